import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { readTlsOptions, type TlsOptions } from '../../shared/tls';

export type VeloCloudAccountType = 'enterprise' | 'partner' | 'operator';

export interface VeloCloudCredentials {
	baseUrl: string;
	apiToken?: string;
	username?: string;
	password?: string;
	accountType: VeloCloudAccountType;
	tls: TlsOptions;
}

/**
 * `vco.example.com`, `vco.example.com/`, `https://vco.example.com/` and `https://vco.example.com/portal/`
 * all mean https://vco.example.com (the VCO archiver script broke on the trailing slash and on a scheme).
 */
export function normaliseVeloCloudHost(host: string): string {
	const trimmed = host.trim();
	const refuse = (why: string) =>
		new ApplianceError('config', `The VeloCloud credential's Host ${why}`, {
			description: 'Enter the orchestrator host name only, such as vco.example.com (a scheme and a port are accepted).',
		});
	if (trimmed === '') throw refuse('is empty');
	// eslint-disable-next-line no-control-regex
	if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) throw refuse('contains spaces or control characters');
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		throw refuse('is not a host name');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`uses ${url.protocol.slice(0, -1)}, not https`);
	// `user:pass@host` would send a password, `vco.example.com@evil` would send the token elsewhere.
	if (url.username !== '' || url.password !== '' || /@/.test(withScheme.replace(/^[a-z]+:\/\//i, '').split('/')[0])) {
		throw refuse('contains a user name or "@"');
	}
	if (url.search !== '' || url.hash !== '' || /[?#]/.test(withScheme)) throw refuse('contains a query or a fragment');
	const path = url.pathname.replace(/\/+$/, '').replace(/\/portal(\/rest)?$/i, '');
	if (path !== '') throw refuse(`has a path (${url.pathname})`);
	return `${url.protocol}//${url.host}`;
}

export function readVeloCloudCredentials(data: ICredentialDataDecryptedObject): VeloCloudCredentials {
	const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
	return {
		baseUrl: normaliseVeloCloudHost(String(data.host ?? '')),
		apiToken: text(data.apiToken),
		username: text(data.username),
		password: typeof data.password === 'string' && data.password !== '' ? data.password : undefined,
		accountType: (text(data.accountType) as VeloCloudAccountType | undefined) ?? 'enterprise',
		tls: readTlsOptions(data),
	};
}

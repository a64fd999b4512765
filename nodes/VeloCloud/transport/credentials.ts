import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

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
 * all mean https://vco.example.com (the seed broke on the trailing slash and on a scheme).
 */
export function normaliseVeloCloudHost(host: string): string {
	let value = host.trim();
	if (!/^https?:\/\//i.test(value)) value = `https://${value}`;
	value = value.replace(/\/+$/, '').replace(/\/portal(\/rest)?$/i, '');
	return value.replace(/\/+$/, '');
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

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { readTlsOptions, type TlsOptions } from '../../shared/tls';

/** The port of an on-premises PCE; SaaS PCEs listen on 443, which must then be written. */
export const DEFAULT_PCE_PORT = 8443;

export interface IllumioCredentials {
	/** `https://pce.example.com:8443`: scheme, host and port, no path */
	baseUrl: string;
	apiKeyUsername: string;
	apiKeySecret: string;
	orgId: number;
	tls: TlsOptions;
}

/**
 * `pce.example.com`, `pce.example.com:443`, `https://pce.example.com:8443/` and `…/api/v2` all name
 * a PCE; a URL without a port gets 8443 (Illumio's default), so a SaaS PCE must say `:443`.
 */
export function normalisePceUrl(input: string): string {
	const value = input.trim();
	const match = /^(?:(https?):\/\/)?(\[[0-9a-f:.]+\]|[^/:?#\s[\]]+)(?::(\d+))?(\/[^?#]*)?$/i.exec(value);
	const path = (match?.[4] ?? '').replace(/\/+$/, '');
	if (!match || !/^(|\/api|\/api\/v2)$/i.test(path)) {
		throw new ApplianceError('config', `The PCE URL "${value}" is not a PCE address`, {
			description: 'Enter the PCE host name with an optional port, e.g. pce.example.com or https://pce.example.com:8443.',
		});
	}
	const scheme = (match[1] ?? 'https').toLowerCase();
	const port = match[3] === undefined ? DEFAULT_PCE_PORT : Number(match[3]);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new ApplianceError('config', `The PCE URL "${value}" has an invalid port`, { description: 'Use a port from 1 to 65535: 8443 on premises, 443 for SaaS.' });
	}
	return `${scheme}://${match[2].toLowerCase()}:${port}`;
}

/** Reads and checks the credential's fields, the shared TLS fields (custom CA, verification) included. */
export function readIllumioCredentials(data: ICredentialDataDecryptedObject): IllumioCredentials {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	const apiKeyUsername = text(data.authUsername);
	const apiKeySecret = typeof data.apiKeySecret === 'string' ? data.apiKeySecret : '';
	if (apiKeyUsername === '' || apiKeySecret === '') {
		throw new ApplianceError('config', 'The Illumio credential needs the API key username and its secret', {
			description: 'Create an API key in the PCE (user menu → My API Keys) and copy its Authentication Username (api_…) and Secret.',
		});
	}
	const orgId = Number(typeof data.orgId === 'string' ? data.orgId.trim() : data.orgId);
	if (!Number.isInteger(orgId) || orgId < 1) {
		throw new ApplianceError('config', `The Org ID of the Illumio credential must be a whole number of 1 or more, not "${String(data.orgId)}"`, {
			description: 'The PCE shows the Org ID with the API key (an on-premises PCE usually has org 1).',
		});
	}
	return { baseUrl: normalisePceUrl(text(data.url)), apiKeyUsername, apiKeySecret, orgId, tls: readTlsOptions(data) };
}

/** HTTP Basic with the API key, as the PCE expects it. */
export function basicAuthorization(credentials: Pick<IllumioCredentials, 'apiKeyUsername' | 'apiKeySecret'>): string {
	return `Basic ${Buffer.from(`${credentials.apiKeyUsername}:${credentials.apiKeySecret}`, 'utf8').toString('base64')}`;
}

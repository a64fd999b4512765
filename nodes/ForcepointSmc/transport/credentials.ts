import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { readTlsOptions, type TlsOptions } from '../../shared/tls';

export interface ForcepointSmcCredentials {
	/** scheme://host:port[/prefix], no trailing slash */
	baseUrl: string;
	apiKey: string;
	/** empty = the highest version the SMC offers that this package supports */
	apiVersion?: string;
	domain: string;
	tls: TlsOptions;
}

/** The SMC API's default port (smc-python's configloader; every documentation example). */
export const SMC_DEFAULT_PORT = 8082;

/**
 * `smc.example.com`, `smc.example.com:8082`, `https://smc.example.com/` and `http://10.0.0.9:8082`:
 * HTTPS unless the URL says http, port 8082 unless it names one, any path prefix kept.
 */
export function normaliseSmcUrl(input: string): string {
	let value = input.trim();
	if (value === '') throw new ApplianceError('config', 'The Forcepoint SMC credential has no URL', { description: 'Enter the SMC API URL, e.g. https://smc.example.com:8082.' });
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = `https://${value}`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ApplianceError('config', `The SMC URL "${input}" is not a URL`, { description: 'Enter the SMC API URL, e.g. https://smc.example.com:8082.' });
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new ApplianceError('config', `The SMC URL must start with https:// or http://, not ${url.protocol}//`);
	}
	// URL drops the scheme's default port: an explicit :443 or :80 is kept as written.
	const explicitPort = /^[a-z]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^/:]*):(\d+)/i.exec(value)?.[1];
	const port = explicitPort ?? String(SMC_DEFAULT_PORT);
	const path = url.pathname.replace(/\/+$/, '');
	return `${url.protocol}//${url.hostname}:${port}${path}`;
}

export function readForcepointSmcCredentials(data: ICredentialDataDecryptedObject): ForcepointSmcCredentials {
	const apiKey = typeof data.apiKey === 'string' ? data.apiKey.trim() : '';
	if (apiKey === '') throw new ApplianceError('config', 'The Forcepoint SMC credential has no API key', { description: 'Paste the authentication key of an API Client element.' });
	const version = typeof data.apiVersion === 'string' ? data.apiVersion.trim() : '';
	if (version !== '' && !/^\d+\.\d+$/.test(version)) {
		throw new ApplianceError('config', `The API version "${version}" is not of the form 7.1`, { description: 'Enter a version such as 7.1, or leave it empty to use the newest the SMC offers.' });
	}
	const domain = typeof data.domain === 'string' && data.domain.trim() !== '' ? data.domain.trim() : 'Shared Domain';
	return { baseUrl: normaliseSmcUrl(String(data.url ?? '')), apiKey, apiVersion: version || undefined, domain, tls: readTlsOptions(data) };
}

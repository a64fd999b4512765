import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { readTlsOptions, type TlsOptions } from '../../shared/tls';

export type NetworkInsightCredentials =
	| {
			kind: 'onPrem';
			/** https://host[:port]/api/ni */
			apiBase: string;
			username: string;
			password: string;
			domain: { domain_type: 'LOCAL' | 'LDAP'; value: string };
			tls: TlsOptions;
	  }
	| {
			kind: 'cloud';
			/** https://<cloud API host>/ni/api/ni */
			apiBase: string;
			/** https://<CSP host>, where the API token is exchanged for an access token */
			cspBase: string;
			apiToken: string;
			tls: TlsOptions;
	  };

/** `vrni.example.com`, `https://vrni.example.com/` and `https://vrni.example.com/api/ni` all mean https://vrni.example.com. */
export function normaliseHost(host: string, suffix: RegExp): string {
	let value = host.trim();
	if (!/^https?:\/\//i.test(value)) value = `https://${value}`;
	return value.replace(/\/+$/, '').replace(suffix, '').replace(/\/+$/, '');
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

export function readNetworkInsightCredentials(data: ICredentialDataDecryptedObject): NetworkInsightCredentials {
	const tls = readTlsOptions(data);
	if (data.authType === 'cloud') {
		const apiToken = text(data.apiToken);
		if (apiToken === '') {
			throw new ApplianceError('config', 'The Network Insight credential has no API token for vRNI Cloud', {
				description: 'Create an API token in VMware Cloud Services (My Account → API Tokens) and paste it into the credential.',
			});
		}
		return {
			kind: 'cloud',
			apiBase: `${normaliseHost(text(data.cloudApiHost) || 'api.mgmt.cloud.vmware.com', /\/ni(\/api(\/ni)?)?$/i)}/ni/api/ni`,
			cspBase: normaliseHost(text(data.cspHost) || 'console.cloud.vmware.com', /\/csp.*$/i),
			apiToken,
			tls,
		};
	}
	const host = text(data.host);
	const username = text(data.username);
	const password = typeof data.password === 'string' ? data.password : '';
	if (host === '' || username === '' || password === '') {
		throw new ApplianceError('config', 'The Network Insight credential needs a host, a username and a password', {
			description: 'Fill them in, or switch Authentication to vRNI Cloud.',
		});
	}
	const ldap = data.domainType === 'LDAP';
	const domainValue = text(data.domain);
	if (ldap && domainValue === '') {
		throw new ApplianceError('config', 'An LDAP login needs the LDAP domain', { description: 'Fill in the domain, e.g. corp.example.com.' });
	}
	return {
		kind: 'onPrem',
		apiBase: `${normaliseHost(host, /\/api(\/ni)?$/i)}/api/ni`,
		username,
		password,
		// vRNI ignores the value of a LOCAL domain; PowervRNI sends "local".
		domain: ldap ? { domain_type: 'LDAP', value: domainValue } : { domain_type: 'LOCAL', value: 'local' },
		tls,
	};
}

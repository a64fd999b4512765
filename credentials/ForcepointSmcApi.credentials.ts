import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';

/**
 * Forcepoint (Stonesoft) Security Management Center API: an API Client's authentication key, logged in
 * to one admin domain. The connection test is the Forcepoint SMC node's `forcepointSmcApiTest`: it reads
 * the offered API versions, logs in and out, and tells a wrong key, an unknown domain, a version the SMC
 * does not offer, an unreachable host and a TLS failure apart.
 */
export class ForcepointSmcApi implements ICredentialType {
	name = 'forcepointSmcApi';

	displayName = 'Forcepoint SMC API';

	icon = { light: 'file:../nodes/ForcepointSmc/forcepointSmc.svg', dark: 'file:../nodes/ForcepointSmc/forcepointSmc.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#forcepoint-smc-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://smc.example.com:8082',
			description: 'SMC API address; HTTPS unless it starts with http://, port 8082 unless it names one',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Authentication key of an API Client element (Configuration → Administration → Access Rights → API Clients)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '',
			placeholder: '7.1',
			description: 'Leave empty to use the newest version the SMC offers (6.5 to 7.x are supported)',
		},
		{
			displayName: 'Admin Domain',
			name: 'domain',
			type: 'string',
			default: 'Shared Domain',
			description: 'Administrative domain to log in to; SMCs without domains use Shared Domain',
		},
		...tlsCredentialProperties,
	];
}

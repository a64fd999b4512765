import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';

/**
 * Illumio Core PCE REST API v2 with an API key (HTTP Basic: the key's authentication username and its
 * secret). The connection test is the Illumio nodes' `illumioApiTest`, which reads a small resource of
 * the org and tells a wrong key, a wrong org, an unreachable PCE and a TLS failure apart.
 */
export class IllumioApi implements ICredentialType {
	name = 'illumioApi';

	displayName = 'Illumio PCE API';

	icon = { light: 'file:../nodes/Illumio/illumio.svg', dark: 'file:../nodes/Illumio/illumio.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#illumio-pce-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'PCE URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://pce.example.com:8443',
			description: 'The PCE host, with a port when it is not 8443 (SaaS PCEs: 443, e.g. scp1.illum.io:443); "pce.example.com" is enough on premises',
		},
		{
			displayName: 'API Key Username',
			name: 'authUsername',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'api_1d9f490a0eabff1c4',
			description: 'The Authentication Username of the API key (user menu → My API Keys)',
		},
		{
			displayName: 'API Key Secret',
			name: 'apiKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Secret shown once when the API key was created',
		},
		{
			displayName: 'Org ID',
			name: 'orgId',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			required: true,
			description: 'The organization the API key belongs to (shown with the key; 1 on most on-premises PCEs)',
		},
		...tlsCredentialProperties,
	];
}

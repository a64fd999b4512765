import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';

/**
 * VMware VeloCloud SD-WAN Orchestrator (VCO) Portal API v1. An API token (VCO 3.4+) or a username and
 * password; as in the seed archiver, the token wins when both are filled in. The connection test is the
 * VeloCloud node's `veloCloudApiTest`, which tells a wrong token, a wrong password, an unreachable host
 * and a TLS failure apart.
 */
export class VeloCloudApi implements ICredentialType {
	name = 'veloCloudApi';

	displayName = 'VeloCloud Orchestrator API';

	icon = { light: 'file:../nodes/VeloCloud/veloCloud.svg', dark: 'file:../nodes/VeloCloud/veloCloud.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#velocloud-orchestrator-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'vco.example.com',
			description: 'Orchestrator host name; "vco.example.com/", "https://vco.example.com/" and "http://…" are accepted too',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Token from Account → API Tokens (VCO 3.4 and later). Used whenever it is set.',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'For a session login when no API token is set',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Account Type',
			name: 'accountType',
			type: 'options',
			options: [
				{ name: 'Enterprise', value: 'enterprise', description: 'A customer account: one enterprise' },
				{ name: 'Partner (MSP)', value: 'partner', description: 'Every enterprise of the partner' },
				{ name: 'Operator', value: 'operator', description: 'Every enterprise of the orchestrator' },
			],
			default: 'enterprise',
			description: 'Which enterprises the account sees, and which login it uses',
		},
		...tlsCredentialProperties,
	];
}

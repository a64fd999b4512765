import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';

/**
 * VMware vRealize Network Insight (Aria Operations for Networks) public API. On premises: a user of the
 * LOCAL or LDAP domain, whose token (`POST /api/ni/auth/token`) lives for one execution and is deleted
 * afterwards. vRNI Cloud: a VMware Cloud Services API token. The connection test is the Network Insight
 * node's `networkInsightApiTest`, which tells a wrong password, a wrong domain, an unreachable host and a
 * TLS failure apart.
 */
export class NetworkInsightApi implements ICredentialType {
	name = 'networkInsightApi';

	displayName = 'Network Insight API';

	icon = { light: 'file:../nodes/NetworkInsight/networkInsight.svg', dark: 'file:../nodes/NetworkInsight/networkInsight.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#network-insight-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Username and Password (On Premises)', value: 'onPrem' },
				{ name: 'API Token (vRNI Cloud)', value: 'cloud' },
			],
			default: 'onPrem',
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'vrni.example.com',
			description: 'The vRNI platform (platform-1 of a cluster); a port, "https://" and "/api/ni" are accepted',
			displayOptions: { show: { authType: ['onPrem'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'admin@local',
			displayOptions: { show: { authType: ['onPrem'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['onPrem'] } },
		},
		{
			displayName: 'Domain Type',
			name: 'domainType',
			type: 'options',
			options: [
				{ name: 'LOCAL', value: 'LOCAL', description: 'Local users such as admin@local' },
				{ name: 'LDAP', value: 'LDAP', description: 'Directory users' },
			],
			default: 'LOCAL',
			displayOptions: { show: { authType: ['onPrem'] } },
		},
		{
			displayName: 'LDAP Domain',
			name: 'domain',
			type: 'string',
			default: '',
			placeholder: 'corp.example.com',
			description: 'The directory domain the user belongs to',
			displayOptions: { show: { authType: ['onPrem'], domainType: ['LDAP'] } },
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A VMware Cloud Services API token (My Account → API Tokens) with the Network Insight roles',
			displayOptions: { show: { authType: ['cloud'] } },
		},
		{
			displayName: 'Cloud API Host',
			name: 'cloudApiHost',
			type: 'string',
			default: 'api.mgmt.cloud.vmware.com',
			description: 'Where your vRNI Cloud lives: api.mgmt.cloud.vmware.com (US), or the uk., jp., au. or de. host of the same name',
			displayOptions: { show: { authType: ['cloud'] } },
		},
		{
			displayName: 'Cloud Services Host',
			name: 'cspHost',
			type: 'string',
			default: 'console.cloud.vmware.com',
			description: 'Where the API token is exchanged for an access token',
			displayOptions: { show: { authType: ['cloud'] } },
		},
		...tlsCredentialProperties,
	];
}

import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';

/**
 * VMware vRealize Log Insight (Aria Operations for Logs) ingestion API (CFAPI). Ingestion needs no login,
 * but then vRLI replaces any timestamp more than 10 minutes old with its arrival time; with a username
 * and password the events are sent under a session and keep their own time. The connection test is the
 * Log Insight node's `logInsightApiTest`, which asks for the vRLI version.
 */
export class LogInsightApi implements ICredentialType {
	name = 'logInsightApi';

	displayName = 'Log Insight API';

	icon = { light: 'file:../nodes/LogInsight/logInsight.svg', dark: 'file:../nodes/LogInsight/logInsight.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#log-insight-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'vrli.example.com',
			description: 'The Log Insight host (or its load-balancer address)',
		},
		{
			displayName: 'Protocol',
			name: 'protocol',
			type: 'options',
			options: [
				{ name: 'HTTPS (Port 9543)', value: 'https' },
				{ name: 'HTTP (Port 9000)', value: 'http', description: 'Only where vRLI does not enforce SSL' },
			],
			default: 'https',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 0,
			description: 'Leave 0 for the ingestion port of the protocol: 9543 for HTTPS, 9000 for HTTP',
		},
		{
			displayName: 'Agent ID',
			name: 'agentId',
			type: 'string',
			default: '',
			placeholder: '4a3b6c1e-0f4e-4a55-9a0e-1b2c3d4e5f60',
			description: 'A UUID naming this n8n as an event source; leave empty for one derived from the host, the same on every run',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'Optional: with a user, events are sent under a session and vRLI keeps their original timestamps',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Authentication Provider',
			name: 'provider',
			type: 'options',
			options: [
				{ name: 'Local', value: 'Local' },
				{ name: 'Active Directory', value: 'ActiveDirectory' },
				{ name: 'VMware Identity Manager', value: 'vIDM' },
			],
			default: 'Local',
		},
		...tlsCredentialProperties,
	];
}

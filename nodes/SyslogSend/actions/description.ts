import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { receiverProperties } from './receiver';
import * as send from './send.operation';

export const description: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Syslog Send',
	name: 'syslogSend',
	group: ['output'],
	version: 1,
	description: 'Send events to a syslog receiver or SIEM over UDP, TCP or TLS (RFC 5424, RFC 3164, CEF lines)',
	defaults: { name: 'Syslog Send' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [...receiverProperties, ...send.description],
};

import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as edge from './edge';
import * as enterprise from './enterprise';
import * as event from './event';

export const description: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool'> = {
	displayName: 'VeloCloud',
	name: 'veloCloud',
	group: ['input'],
	version: 1,
	description: 'Read enterprise events, enterprises and edges from a VMware VeloCloud SD-WAN Orchestrator',
	defaults: { name: 'VeloCloud' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'veloCloudApi', required: true, testedBy: 'veloCloudApiTest' }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Edge', value: 'edge' },
				{ name: 'Enterprise', value: 'enterprise' },
				{ name: 'Event', value: 'event' },
			],
			default: 'event',
		},
		...event.description,
		...enterprise.description,
		...edge.description,
	],
};

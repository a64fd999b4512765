import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as event from './event';

export const description: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool'> = {
	displayName: 'Illumio',
	name: 'illumio',
	group: ['input'],
	version: 1,
	description: 'Read audit events from an Illumio Core PCE',
	defaults: { name: 'Illumio' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'illumioApi', required: true, testedBy: 'illumioApiTest' }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [{ name: 'Event', value: 'event' }],
			default: 'event',
		},
		...event.description,
	],
};

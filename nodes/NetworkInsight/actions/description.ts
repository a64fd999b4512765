import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as entity from './entity';
import * as flow from './flow';

export const description: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool'> = {
	displayName: 'Network Insight',
	name: 'networkInsight',
	group: ['input'],
	version: 1,
	description: 'Search flows and entities (VMs, hosts, security groups, problems) in VMware vRealize Network Insight',
	defaults: { name: 'Network Insight' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'networkInsightApi', required: true, testedBy: 'networkInsightApiTest' }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Entity', value: 'entity' },
				{ name: 'Flow', value: 'flow' },
			],
			default: 'flow',
		},
		...flow.description,
		...entity.description,
	],
};

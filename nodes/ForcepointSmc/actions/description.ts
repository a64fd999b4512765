import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as blockList from './blockList';
import * as monitoring from './monitoring';

export const description: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Forcepoint SMC',
	name: 'forcepointSmc',
	group: ['input'],
	version: 1,
	description: 'Query logs and monitoring tables of a Forcepoint (Stonesoft) Security Management Center, and manage engine block lists',
	defaults: { name: 'Forcepoint SMC' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Block List', value: 'blockList' },
				{ name: 'Monitoring', value: 'monitoring' },
			],
			default: 'monitoring',
		},
		...monitoring.description,
		...blockList.description,
	],
};

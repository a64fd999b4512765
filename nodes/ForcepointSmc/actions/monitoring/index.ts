import type { INodeProperties } from 'n8n-workflow';

import * as runQuery from './runQuery.operation';

export { runQuery };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['monitoring'] } },
		options: [
			{
				name: 'Run Query',
				value: 'runQuery',
				description: 'Read logs, connections, block list, routes, users, VPN SAs, alerts or neighbors',
				action: 'Run a monitoring query',
			},
		],
		default: 'runQuery',
	},
	...runQuery.description,
];

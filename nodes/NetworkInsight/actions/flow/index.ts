import type { INodeProperties } from 'n8n-workflow';

import * as search from './search.operation';

export { search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['flow'] } },
		options: [
			{
				name: 'Search',
				value: 'search',
				description: 'Find the flows of a time window that match a filter, with their full details',
				action: 'Search flows',
			},
		],
		default: 'search',
	},
	...search.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as search from './search.operation';

export { get, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['entity'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get one entity by ID', action: 'Get an entity' },
			{
				name: 'Search',
				value: 'search',
				description: 'Find entities of a type (virtual machines, hosts, security groups, problems...) that match a filter',
				action: 'Search entities',
			},
		],
		default: 'search',
	},
	...search.description,
	...get.description,
];

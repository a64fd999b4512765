import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['edge'] } },
		options: [{ name: 'Get Many', value: 'getMany', description: 'Get the edges of an enterprise', action: 'Get many edges' }],
		default: 'getMany',
	},
	...getMany.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['enterprise'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get one enterprise', action: 'Get an enterprise' },
			{ name: 'Get Many', value: 'getMany', description: 'Get every enterprise the account sees', action: 'Get many enterprises' },
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
];

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
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get one audit event by its href or UUID', action: 'Get an event' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the audit events of a time window (sign-ins, policy changes, agent tampering...)',
				action: 'Get many events',
			},
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as remove from './delete.operation';

export { add, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['blockList'] } },
		options: [
			{ name: 'Add Entry', value: 'add', description: 'Block traffic on an engine for a while', action: 'Add a block list entry' },
			{ name: 'Delete Entry', value: 'delete', description: 'Remove an entry a Block List query returned', action: 'Delete a block list entry' },
		],
		default: 'add',
	},
	...add.description,
	...remove.description,
];

/**
 * The n8n floor's last node: passes its items on untouched, as n8n's No Operation node does, and
 * appends their count to a file, so that the benchmark sees when every event went through.
 */
import { appendFileSync } from 'node:fs';

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

export class BenchFloorDone implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Floor Done',
		name: 'benchFloorDone',
		group: ['transform'],
		version: 1,
		description: 'Counts the items that reached it',
		defaults: { name: 'Bench Floor Done' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Count File', name: 'countFile', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		appendFileSync(this.getNodeParameter('countFile', 0) as string, `${items.length}\n`);
		return [items];
	}
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../../shared/itemLoop';
import * as edge from './edge';
import * as enterprise from './enterprise';
import * as event from './event';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

const OPERATIONS: Record<string, Record<string, Operation>> = {
	event: { getMany: event.getMany.execute },
	enterprise: { get: enterprise.get.execute, getMany: enterprise.getMany.execute },
	edge: { getMany: edge.getMany.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runForEachItem(this, async function (itemIndex) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = OPERATIONS[resource]?.[operation];
		if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		return await run.call(this, itemIndex);
	});
}

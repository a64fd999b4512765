import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ClosableClient } from '../transport/applianceClient';
import { n8nSend, type OpenClient } from '../transport/withClient';
import { runForEachItem } from './itemLoop';

/** One operation of a vendor node: the execution's client, the item it works for, plain objects out. */
export type ClientOperation<C> = (this: IExecuteFunctions, client: C, itemIndex: number) => Promise<IDataObject[]>;

/** resource → operation → implementation, as the node's description names them. */
export type OperationTable<C> = Record<string, Record<string, ClientOperation<C>>>;

/**
 * The router of every vendor action node: one client for the whole execution (one login, however many
 * items; vRNI allows 100 live tokens per user and SMC sessions are costly), opened on the first item
 * and always closed, with the shared item loop around the operations.
 */
export async function routeOperations<C extends ClosableClient>(
	context: IExecuteFunctions,
	openClient: OpenClient<C>,
	operations: OperationTable<C>,
): Promise<INodeExecutionData[][]> {
	let opened: Promise<C> | undefined;
	let client: C | undefined;
	// A login that fails is not repeated for every item: each item reports the same failure.
	const clientForItems = async () => {
		opened ??= openClient(context, n8nSend(context));
		client = await opened;
		return client;
	};
	try {
		return await runForEachItem(
			context,
			async function (itemIndex) {
				const resource = this.getNodeParameter('resource', itemIndex) as string;
				const operation = this.getNodeParameter('operation', itemIndex) as string;
				const run = operations[resource]?.[operation];
				if (!run) {
					throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex });
				}
				return await run.call(this, await clientForItems(), itemIndex);
			},
			() => client?.secrets ?? [],
		);
	} finally {
		await client?.close();
	}
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../errors';

/** What one operation produces for one input item: plain objects, paired to that item by the loop. */
export type ItemOperation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

/**
 * The one item loop every action node uses: runs the operation per input item, pairs each output to
 * its input, honours Continue On Fail, and puts the item index on every error so n8n shows which
 * item failed. `secrets` (read when an error is built) are redacted from every message.
 */
export async function runForEachItem(
	context: IExecuteFunctions,
	operation: ItemOperation,
	secrets: () => ReadonlyArray<string | undefined> = () => [],
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation.call(context, itemIndex);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = toNodeError(context.getNode(), caught, secrets(), itemIndex);
			if (context.continueOnFail()) {
				output.push({ json: { error: error.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw error;
		}
	}
	return [output];
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../errors';

export interface ChunkLimits<T> {
	/** at most this many entries per chunk */
	maxCount: number;
	/** at most this many bytes per chunk, as `sizeOf` counts them; an entry larger on its own gets a chunk of its own */
	maxBytes: number;
	sizeOf: (entry: T) => number;
}

/** Splits entries, in order, into chunks under both limits (vRLI's 4 MB per request, vRNI's 1,000 ids per fetch, file appends). */
export function chunkByCountAndBytes<T>(entries: Iterable<T>, limits: ChunkLimits<T>): T[][] {
	const maxCount = Math.max(1, limits.maxCount);
	const chunks: T[][] = [];
	let current: T[] = [];
	let bytes = 0;
	for (const entry of entries) {
		const size = limits.sizeOf(entry);
		if (current.length > 0 && (current.length >= maxCount || bytes + size > limits.maxBytes)) {
			chunks.push(current);
			current = [];
			bytes = 0;
		}
		current.push(entry);
		bytes += size;
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

const YIELD_EVERY_ITEMS = 1000;

/** One prepared input item on its way into a batch. */
export interface BatchEntry<T> {
	itemIndex: number;
	value: T;
}

export interface BatchedOperation<T> extends Omit<ChunkLimits<BatchEntry<T>>, 'sizeOf'> {
	/** reads one item's parameters into what the batch sends; throws to fail that item only */
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<T> | T;
	sizeOf(value: T): number;
	/**
	 * sends one batch; returns one result per entry, in order, or an Error in place of the result of an
	 * entry the receiver refused alone (it fails that item only); throws to fail every item of the batch
	 */
	send(this: IExecuteFunctions, batch: Array<BatchEntry<T>>): Promise<Array<IDataObject | Error>>;
	/** redacted from every message, read when an error is built */
	secrets?: () => ReadonlyArray<string | undefined>;
}

/**
 * The item loop of nodes that send many items in one request or one write: every item is prepared
 * (a bad item fails alone), the good ones go out in chunks under the limits, and each input item gets
 * its own result or error, paired to it, with Continue On Fail honoured. Nothing half-sent is reported
 * as sent: a failed batch fails each of its items.
 */
export async function runBatched<T>(context: IExecuteFunctions, operation: BatchedOperation<T>): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const secrets = operation.secrets ?? (() => []);
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const fail = (caught: unknown, itemIndex: number) => {
		const error = toNodeError(context.getNode(), caught, secrets(), itemIndex);
		if (!context.continueOnFail()) throw error;
		results[itemIndex] = { json: { error: error.message }, pairedItem: { item: itemIndex } };
	};

	const prepared: Array<BatchEntry<T>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Let timers run now and then: a queue-mode worker renews its job's lock on one, and a worker
		// that holds the event loop for long loses the job as stalled.
		if (itemIndex % YIELD_EVERY_ITEMS === YIELD_EVERY_ITEMS - 1) await new Promise((resolve) => setImmediate(resolve));
		try {
			prepared.push({ itemIndex, value: await operation.prepare.call(context, itemIndex) });
		} catch (caught) {
			fail(caught, itemIndex);
		}
	}

	const chunks = chunkByCountAndBytes(prepared, { ...operation, sizeOf: (entry) => operation.sizeOf(entry.value) });
	for (const batch of chunks) {
		let sent: Array<IDataObject | Error>;
		try {
			sent = await operation.send.call(context, batch);
		} catch (caught) {
			for (const entry of batch) fail(caught, entry.itemIndex);
			continue;
		}
		batch.forEach((entry, position) => {
			const result = sent[position];
			if (result instanceof Error) fail(result, entry.itemIndex);
			else results[entry.itemIndex] = { json: result ?? {}, pairedItem: { item: entry.itemIndex } };
		});
	}
	return [results.filter((result): result is INodeExecutionData => result !== undefined)];
}

import type { IHttpRequestOptions } from 'n8n-workflow';

const flush = async () => await new Promise((resolve) => setImmediate(resolve));

/** Counts the requests a trigger has in flight, so a test can tell "still reading" from "done". */
export function countingRequests(send: (options: IHttpRequestOptions) => Promise<unknown>) {
	let inFlight = 0;
	return {
		inFlight: () => inFlight,
		httpRequest: async (options: IHttpRequestOptions) => {
			inFlight++;
			try {
				return await send(options);
			} finally {
				inFlight--;
			}
		},
	};
}

/**
 * After a trigger's execution succeeded, the trigger may read the rest of its window and emit again.
 * Waits until `emitted()` reaches `count`, or until no request has been in flight for a while of event
 * loop turns (the trigger went quiet), within a bound.
 */
export async function settleEmissions(emitted: () => number, count: number, inFlight: () => number): Promise<void> {
	let quietTurns = 0;
	for (let turn = 0; turn < 100_000 && emitted() < count && quietTurns < 50; turn++) {
		quietTurns = inFlight() === 0 ? quietTurns + 1 : 0;
		await (inFlight() === 0 ? flush() : new Promise((resolve) => setTimeout(resolve, 1)));
	}
}

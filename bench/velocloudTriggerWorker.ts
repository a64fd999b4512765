/**
 * One measured run of a `velocloud-trigger-window-*` bench row, in a fresh process so that its peak RSS
 * is its own. `floor` or `trigger`, then the VCO's URL and token, the window's start (it ends now) and
 * Max Events per Execution; prints {"events","executions","seconds","peakRssMb"} as one JSON line.
 *
 * trigger: VeloCloudTrigger.poll with n8n's own request helper, each emitted execution reported as
 * succeeded at once (its items counted and let go), until the cursor has passed the window's end.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions, IRun } from 'n8n-workflow';

import type { VeloCloudTrigger as Trigger } from '../nodes/VeloCloud/VeloCloudTrigger.node';
import { n8nHttpRequest } from '../test/support/n8nHttp';
import { veloCloudFloor } from './floor/vcoFloor';
import { timed } from './measure';

const MINUTE = 60_000;
// tsx would resolve `VeloCloudTrigger.node` to the codex file beside it (VeloCloudTrigger.node.json).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { VeloCloudTrigger } = require('../nodes/VeloCloud/VeloCloudTrigger.node.ts') as { VeloCloudTrigger: typeof Trigger };

async function runTrigger(url: string, token: string, start: number, maxEventsPerExecution: number): Promise<{ events: number; executions: number; peakLiveHeapMb: number }> {
	const staticData: IDataObject = {};
	const pollStart = Date.now();
	const parameters: IDataObject = {
		enterpriseIds: [],
		filters: {},
		options: { lookbackMinutes: Math.ceil((pollStart - start) / MINUTE), maxEventsPerExecution },
	};
	let events = 0;
	let executions = 0;
	let peakLiveHeapMb = 0;
	let failure: string | undefined;
	const succeeded = { status: 'success', finished: true, data: { resultData: {} } } as unknown as IRun;
	const context = {
		getMode: () => 'trigger',
		getNode: () => ({ id: 'bench', name: 'VeloCloud Trigger', type: 'n8n-nodes-netsec-events.veloCloudTrigger', typeVersion: 1, position: [0, 0], parameters }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({ host: url, apiToken: token, accountType: 'enterprise', allowUnauthorizedCerts: false, caCertificate: '' }),
		logger: { warn: (message: string) => (failure = message) },
		__emit: (data: INodeExecutionData[][], _response: unknown, done?: { resolve: (run: IRun) => void }) => {
			// An execution without items is the trigger storing that its last batch succeeded: not one of the window's.
			if (data[0].length === 0) return;
			events += data[0].length;
			executions++;
			// What is live when an execution starts (its events included), after a full collection.
			if (global.gc) {
				global.gc();
				peakLiveHeapMb = Math.max(peakLiveHeapMb, Math.round(process.memoryUsage().heapUsed / 1024 / 1024));
			}
			setImmediate(() => done?.resolve(succeeded));
		},
		helpers: {
			httpRequest: n8nHttpRequest(),
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			createDeferredPromise: () => {
				let resolve!: (value: IRun) => void;
				const promise = new Promise<IRun>((res) => (resolve = res));
				return { promise, resolve, reject: () => undefined };
			},
		},
	} as unknown as IPollFunctions;
	await new VeloCloudTrigger().poll.call(context);
	// The passes after the first run as each execution succeeds: done once the cursor passed the poll's start.
	for (let wait = 0; wait < 60_000; wait++) {
		const cursor = staticData.eventCursor as { watermark: number; inFlight?: unknown } | undefined;
		if (failure) throw new Error(failure);
		if (cursor && !cursor.inFlight && cursor.watermark >= pollStart) return { events, executions, peakLiveHeapMb };
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error('the trigger did not get through the window within 10 minutes');
}

async function main(): Promise<void> {
	const [mode, url, token, start, maxEventsPerExecution] = process.argv.slice(2);
	const { value, seconds, peakRssMb } = await timed(async () =>
		mode === 'trigger'
			? await runTrigger(url, token, Number(start), Number(maxEventsPerExecution))
			: { events: await veloCloudFloor(url, token, Number(start), Date.now()), executions: 0, peakLiveHeapMb: 0 },
	);
	process.stdout.write(`${JSON.stringify({ ...value, seconds, peakRssMb })}\n`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});

import nock from 'nock';
import type { IDataObject, INodeExecutionData, IPollFunctions, IRun } from 'n8n-workflow';

import { VeloCloudTrigger } from '../../../nodes/VeloCloud/VeloCloudTrigger.node';
import { n8nHttpRequest } from '../../support/n8nHttp';
import { countingRequests, settleEmissions } from '../helpers/settle';
import { useNockWithLoopback } from '../helpers/nock';

const HOST = 'https://vco.trigger.test';
const MINUTE = 60_000;

interface Row {
	id: number;
	eventTime: string;
	event: string;
}

/** A VCO that answers getEnterpriseEvents from `rows` for the asked interval, newest first. */
function serveEvents(rows: Row[], times = 1, alwaysReturned: Row[] = []) {
	nock(HOST)
		.post('/portal/rest/enterprise/getEnterprise')
		.times(times)
		.reply(200, { id: 1, name: 'Acme Retail Group' })
		.post('/portal/rest/event/getEnterpriseEvents')
		.times(times)
		.reply(200, (_uri, body) => {
			const { start, end } = (body as { interval: { start: number; end: number } }).interval;
			const data = rows
				.filter((row) => Date.parse(row.eventTime) >= start && Date.parse(row.eventTime) <= end)
				.sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
			return { metaData: { limit: 2048, more: false }, data: [...data, ...alwaysReturned] };
		});
}

interface Emission {
	data: INodeExecutionData[][];
	done?: { resolve: (run: IRun | undefined) => void; reject: (error: Error) => void };
}

function context(staticData: IDataObject, mode: 'manual' | 'trigger', options: IDataObject = {}, emissions: Emission[] = []): IPollFunctions {
	const parameters: IDataObject = { enterpriseIds: [], filters: {}, options };
	return {
		getMode: () => mode,
		getNode: () => ({ id: 't', name: 'VeloCloud Trigger', type: 'n8n-nodes-netsec-events.veloCloudTrigger', typeVersion: 1, position: [0, 0], parameters }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		logger: { warn: (message: string) => warnings.push(message) },
		getCredentials: async () => ({ host: HOST, apiToken: 'trigger-token-123456', accountType: 'enterprise' }),
		__emit: (data: INodeExecutionData[][], _response: unknown, done?: Emission['done']) => emissions.push({ data, done }),
		helpers: {
			httpRequest: requests.httpRequest,
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			createDeferredPromise: () => {
				let resolve!: (value: IRun | undefined) => void;
				let reject!: (error: Error) => void;
				const promise = new Promise<IRun | undefined>((res, rej) => {
					resolve = res;
					reject = rej;
				});
				return { promise, resolve, reject };
			},
		},
	} as unknown as IPollFunctions;
}

const flush = async () => await new Promise((resolve) => setImmediate(resolve));
const requests = countingRequests(n8nHttpRequest());

/**
 * One poll in trigger mode: the ids of every execution it starts, each execution ending as `outcome`
 * says ("pending" leaves the first one running).
 */
async function poll(staticData: IDataObject, options: IDataObject = {}, outcome: 'success' | 'error' | 'pending' = 'success') {
	const emissions: Emission[] = [];
	const result = await trigger.poll.call(context(staticData, 'trigger', options, emissions));
	expect(result).toBeNull();
	const executions: unknown[][] = [];
	for (let index = 0; index < emissions.length && index < 1000; index++) {
		// An execution without items is the trigger storing that its last batch succeeded (see storeConfirmation).
		if (emissions[index].data[0].length === 0) continue;
		executions.push(emissions[index].data[0].map((item) => item.json.id));
		if (outcome === 'pending') break;
		emissions[index].done?.resolve({ status: outcome, finished: outcome === 'success', data: { resultData: {} } } as unknown as IRun);
		await settleEmissions(() => emissions.length, index + 2, requests.inFlight);
	}
	return executions;
}

const trigger = new VeloCloudTrigger();
const warnings: string[] = [];
const ids = (result: INodeExecutionData[][] | null) => (result ? result[0].map((item) => item.json.id) : []);
const row = (id: number, ageMs: number): Row => ({ id, eventTime: new Date(Date.now() - ageMs).toISOString(), event: 'EDGE_UP' });

useNockWithLoopback();

describe('VeloCloud Trigger', () => {

	it('shows recent events on "Fetch Test Event" and leaves the cursor alone', async () => {
		const staticData: IDataObject = {};
		serveEvents([row(1, 30 * MINUTE), row(2, 2 * MINUTE)]);
		const result = await trigger.poll.call(context(staticData, 'manual'));
		expect(ids(result)).toEqual([1, 2]);
		expect(result![0][0].json).toMatchObject({ enterpriseId: 1, enterpriseName: 'Acme Retail Group' });
		expect(staticData).toEqual({});
	});

	it('starts from now, emits each new event once, and repeats nothing on an immediate second poll', async () => {
		const staticData: IDataObject = {};
		const rows = [row(1, 5 * MINUTE)];
		serveEvents(rows);
		expect(await poll(staticData)).toEqual([]);

		rows.push(row(2, 0), row(3, 0));
		serveEvents(rows, 2);
		expect(await poll(staticData)).toEqual([[2, 3]]);
		expect(await poll(staticData)).toEqual([]);
	});

	it('backfills the look-back on first activation and catches late events', async () => {
		const staticData: IDataObject = {};
		const rows = [row(1, 50 * MINUTE), row(2, 90 * MINUTE)];
		serveEvents(rows);
		expect(await poll(staticData, { lookbackMinutes: 60 })).toEqual([[1]]);
		// Reported late: it happened 5 minutes ago, before the last poll.
		rows.push(row(3, 5 * MINUTE));
		serveEvents(rows);
		expect(await poll(staticData, { lookbackMinutes: 60 })).toEqual([[3]]);
	});

	it('changes nothing when a poll fails, and the next poll delivers', async () => {
		const staticData: IDataObject = {};
		serveEvents([]);
		await poll(staticData);
		const saved = JSON.stringify(staticData);
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').reply(200, { id: 1, name: 'Acme Retail Group' });
		nock(HOST).post('/portal/rest/event/getEnterpriseEvents').reply(400, { error: { code: -32602, message: 'Invalid params' } });
		await expect(trigger.poll.call(context(staticData, 'trigger'))).rejects.toThrow('VCO error on event/getEnterpriseEvents: Invalid params');
		expect(JSON.stringify(staticData)).toBe(saved);
		serveEvents([row(7, 0)]);
		expect(await poll(staticData)).toEqual([[7]]);
	});

	it('emits the events of a failed execution again on the next poll, and only those', async () => {
		const staticData: IDataObject = {};
		const rows = [row(1, 0)];
		serveEvents(rows);
		await poll(staticData, { lookbackMinutes: 5 }, 'error');
		rows.push(row(2, 0));
		serveEvents(rows);
		expect(await poll(staticData, { lookbackMinutes: 5 })).toEqual([[1, 2]]);
		serveEvents(rows);
		expect(await poll(staticData, { lookbackMinutes: 5 })).toEqual([]);
	});

	it('holds back events while their execution runs, so an overlapping poll emits nothing twice', async () => {
		const staticData: IDataObject = {};
		serveEvents([row(1, 0), row(2, 0)]);
		expect(await poll(staticData, { lookbackMinutes: 5 }, 'pending')).toEqual([[1, 2]]);
		// No request at all while this process still runs the batch.
		expect(await poll(staticData, { lookbackMinutes: 5 })).toEqual([]);
	});

	it('after a re-activation (static data as n8n saved it when emitting), a batch that succeeded is not emitted again', async () => {
		const live: IDataObject = {};
		const rows = [row(1, 0)];
		serveEvents(rows);
		const emissions: Emission[] = [];
		await trigger.poll.call(context(live, 'trigger', { lookbackMinutes: 5 }, emissions));
		const savedAtEmit = JSON.parse(JSON.stringify(live)) as IDataObject;
		emissions[0].done?.resolve({ status: 'success', finished: true, data: { resultData: {} } } as unknown as IRun);
		await flush();
		rows.push(row(2, 0));
		serveEvents(rows);
		expect(await poll(savedAtEmit, { lookbackMinutes: 5 })).toEqual([[2]]);
	});

	describe('storing a success (n8n stores static data only when the trigger starts an execution)', () => {
		const succeeded = { status: 'success', finished: true, data: { resultData: {} } } as unknown as IRun;
		const cursorOf = (staticData: IDataObject) => staticData.eventCursor as { inFlight?: { id: string; process: string } };

		it('follows the last successful batch with an execution of no items, so a restarted n8n delivers nothing again', async () => {
			const live: IDataObject = {};
			const rows = [row(1, 0), row(2, 0)];
			serveEvents(rows);
			const emissions: Emission[] = [];
			await trigger.poll.call(context(live, 'trigger', { lookbackMinutes: 5 }, emissions));
			const storedAtFirstEmit = JSON.parse(JSON.stringify(live)) as IDataObject;
			emissions[0].done?.resolve(succeeded);
			await settleEmissions(() => emissions.length, 2, requests.inFlight);
			expect(emissions.map((emission) => emission.data[0].length)).toEqual([2, 0]);
			expect(emissions[1].done).toBeUndefined();
			// What n8n stored at that second emit: the batch confirmed, nothing in flight.
			const storedAtLastEmit = JSON.parse(JSON.stringify(live)) as IDataObject;
			expect(cursorOf(storedAtLastEmit).inFlight).toBeUndefined();
			serveEvents(rows);
			expect(await poll(storedAtLastEmit, { lookbackMinutes: 5 })).toEqual([]);
			// Without it, a restarted n8n would find the batch in flight, emitted by a process that is gone and
			// whose outcome it cannot know (a batch id this process never saw), and deliver it again.
			Object.assign(cursorOf(storedAtFirstEmit).inFlight!, { id: 'a batch of the process before the restart', process: 'the process before the restart' });
			serveEvents(rows);
			expect(await poll(storedAtFirstEmit, { lookbackMinutes: 5 })).toEqual([[1, 2]]);
		});

		it('stores once after the last execution of a large window, not after each', async () => {
			const rows = Array.from({ length: 25 }, (_, index) => row(index + 1, (25 - index) * 1000));
			serveEvents(rows, 3);
			const emissions: Emission[] = [];
			await trigger.poll.call(context({}, 'trigger', { lookbackMinutes: 5, maxEventsPerExecution: 10 }, emissions));
			for (let index = 0; index < emissions.length && index < 10; index++) {
				emissions[index].done?.resolve(succeeded);
				await settleEmissions(() => emissions.length, index + 2, requests.inFlight);
			}
			expect(emissions.map((emission) => emission.data[0].length)).toEqual([10, 10, 5, 0]);
		});

		it('stores nothing after a failed execution: the stored batch in flight is what makes it delivered again', async () => {
			const live: IDataObject = {};
			serveEvents([row(1, 0)]);
			const emissions: Emission[] = [];
			await trigger.poll.call(context(live, 'trigger', { lookbackMinutes: 5 }, emissions));
			emissions[0].done?.resolve({ status: 'error', finished: false, data: { resultData: { error: new Error('vRLI is down') } } } as unknown as IRun);
			await settleEmissions(() => emissions.length, 2, requests.inFlight);
			expect(emissions).toHaveLength(1);
		});
	});

	it('delivers a large window in executions of bounded size, each after the previous succeeded', async () => {
		const staticData: IDataObject = {};
		const rows = Array.from({ length: 25 }, (_, index) => row(index + 1, (25 - index) * 1000));
		// Each execution's events are read anew once the previous one succeeded: three reads.
		serveEvents(rows, 3);
		const executions = await poll(staticData, { lookbackMinutes: 5, maxEventsPerExecution: 10 });
		expect(executions.map((ids) => ids.length)).toEqual([10, 10, 5]);
		expect(executions.flat()).toEqual(rows.map((entry) => entry.id));
		serveEvents(rows);
		expect(await poll(staticData, { lookbackMinutes: 5 })).toEqual([]);
	});

	it('stops after a failed execution of a large window; the next poll resumes after the last success', async () => {
		const staticData: IDataObject = {};
		const rows = Array.from({ length: 25 }, (_, index) => row(index + 1, (25 - index) * 1000));
		serveEvents(rows, 2);
		const emissions: Emission[] = [];
		await trigger.poll.call(context(staticData, 'trigger', { lookbackMinutes: 5, maxEventsPerExecution: 10 }, emissions));
		emissions[0].done?.resolve({ status: 'success', finished: true, data: { resultData: {} } } as unknown as IRun);
		await settleEmissions(() => emissions.length, 2, requests.inFlight);
		emissions[1].done?.resolve({ status: 'error', finished: false, data: { resultData: { error: new Error('disk full') } } } as unknown as IRun);
		await settleEmissions(() => emissions.length, 3, requests.inFlight);
		expect(emissions).toHaveLength(2);
		serveEvents(rows);
		expect((await poll(staticData, { lookbackMinutes: 5 })).flat()).toEqual(rows.slice(10).map((entry) => entry.id));
	});

	it('delivers events without an id or with an unreadable time instead of dropping them', async () => {
		const staticData: IDataObject = {};
		const odd = [
			{ eventTime: new Date().toISOString(), event: 'NO_ID' },
			{ id: 9, eventTime: 'yesterday-ish', event: 'BAD_TIME' },
		] as unknown as Row[];
		serveEvents([], 1, odd);
		const executions = await poll(staticData, { lookbackMinutes: 5 });
		expect(executions.flat()).toHaveLength(2);
		expect(new Set(executions.flat())).toEqual(new Set([undefined, 9]));
	});
});

import nock from 'nock';
import type { IDataObject, INodeExecutionData, IPollFunctions, IRun } from 'n8n-workflow';

import { IllumioTrigger } from '../../../nodes/Illumio/IllumioTrigger.node';
import { n8nHttpRequest } from '../../support/n8nHttp';
import { countingRequests, settleEmissions } from '../helpers/settle';
import { useNockWithLoopback } from '../helpers/nock';

const HOST = 'https://pce.trigger.test:8443';
const MINUTE = 60_000;
let serial = 0;

interface PceEvent extends IDataObject {
	href: string;
	timestamp: string;
	event_type: string;
	severity: string;
	status: string;
}

function pceEvent(event_type: string, ageMs: number, extra: Partial<PceEvent> = {}): PceEvent {
	serial++;
	return {
		href: `/orgs/1/events/${String(serial).padStart(8, '0')}-0000-4000-8000-000000000000`,
		timestamp: new Date(Date.now() - ageMs).toISOString(),
		event_type,
		severity: 'info',
		status: 'success',
		...extra,
	};
}

/** A PCE answering GET /events from `events` as the real one does: window, type filter, newest first, X-Total-Count. */
function servePce(events: PceEvent[], queries: URLSearchParams[] = [], times = 2) {
	return nock(HOST)
		.get('/api/v2/orgs/1/events')
		.query(true)
		.times(times)
		.reply((uri) => {
			const query = new URL(uri, HOST).searchParams;
			queries.push(query);
			const gte = Date.parse(query.get('timestamp[gte]') ?? '1970-01-01T00:00:00Z');
			const lte = Date.parse(query.get('timestamp[lte]') ?? '2999-01-01T00:00:00Z');
			const types = query.getAll('event_type');
			const matching = events
				.filter((event) => Date.parse(event.timestamp) >= gte && Date.parse(event.timestamp) <= lte)
				.filter((event) => types.length === 0 || types.includes(event.event_type))
				.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
			return [200, matching.slice(0, Number(query.get('max_results') ?? 100)), { 'X-Total-Count': String(matching.length) }];
		});
}

interface Emission {
	data: INodeExecutionData[][];
	done?: { resolve: (run: IRun | undefined) => void };
}

function context(staticData: IDataObject, mode: 'manual' | 'trigger', parameters: IDataObject, emissions: Emission[] = []): IPollFunctions {
	return {
		getMode: () => mode,
		getNode: () => ({ id: 't', name: 'Illumio Trigger', type: 'n8n-nodes-netsec-events.illumioTrigger', typeVersion: 1, position: [0, 0], parameters }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		logger: { warn: () => undefined },
		getCredentials: async () => ({ url: HOST, authUsername: 'api_0123456789abcdef0', apiKeySecret: 'trigger-secret-1234', orgId: 1 }),
		__emit: (data: INodeExecutionData[][], _response: unknown, done?: Emission['done']) => emissions.push({ data, done }),
		helpers: {
			httpRequest: requests.httpRequest,
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			createDeferredPromise: () => {
				let resolve!: (value: IRun | undefined) => void;
				const promise = new Promise<IRun | undefined>((res) => (resolve = res));
				return { promise, resolve, reject: () => undefined };
			},
		},
	} as unknown as IPollFunctions;
}

const flush = async () => await new Promise((resolve) => setImmediate(resolve));
const requests = countingRequests(n8nHttpRequest());
const trigger = new IllumioTrigger();

/** One trigger-mode poll: the items of every execution it starts, each execution ending as `outcome` says. */
async function poll(staticData: IDataObject, parameters: IDataObject, outcome: 'success' | 'error' = 'success'): Promise<IDataObject[][]> {
	const emissions: Emission[] = [];
	expect(await trigger.poll.call(context(staticData, 'trigger', parameters, emissions))).toBeNull();
	const executions: IDataObject[][] = [];
	for (let index = 0; index < emissions.length && index < 1000; index++) {
		// An execution without items is the trigger storing that its last batch succeeded (see storeConfirmation).
		if (emissions[index].data[0].length === 0) continue;
		executions.push(emissions[index].data[0].map((item) => item.json));
		emissions[index].done?.resolve({ status: outcome, finished: outcome === 'success', data: { resultData: {} } } as unknown as IRun);
		await settleEmissions(() => emissions.length, index + 2, requests.inFlight);
	}
	return executions;
}

const watcher = (name: string, eventTypes: string, extra: IDataObject = {}) => ({ name, eventTypes, minSeverity: 'any', status: 'any', throttleMinutes: 0, ...extra });
const hrefs = (items: IDataObject[]) => items.map((item) => item.href);

useNockWithLoopback();

describe('Illumio Trigger', () => {
	it('shows recent routed events on "Fetch Test Event" and leaves the state alone', async () => {
		const staticData: IDataObject = {};
		const events = [pceEvent('user.login', 30 * MINUTE), pceEvent('workload.update', 20 * MINUTE), pceEvent('agent.tampering', 2 * MINUTE)];
		servePce(events);
		const parameters = { watchers: { watcher: [watcher('Sign-ins', 'user.*'), watcher('Agents', 'agent.*', { throttleMinutes: 60 })] }, options: {} };
		const result = await trigger.poll.call(context(staticData, 'manual', parameters));
		expect(result![0].map((item) => [item.json.event_type, item.json.watchers])).toEqual([
			['user.login', ['Sign-ins']],
			['agent.tampering', ['Agents']],
		]);
		expect(staticData).toEqual({});
	});

	it('delivers a burst of 5,000 once, in bounded executions, and nothing on an immediate second poll', async () => {
		const staticData: IDataObject = {};
		const parameters = { watchers: {}, options: { maxEventsPerExecution: 2000 } };
		servePce([]);
		expect(await poll(staticData, parameters)).toEqual([]);
		const burst = Array.from({ length: 5000 }, (_, index) => pceEvent(index % 2 ? 'user.login' : 'sec_rule.create', 0));
		// Each execution's events are read anew (count, then the events) once the previous one succeeded.
		servePce(burst, [], 6);
		const executions = await poll(staticData, parameters);
		expect(executions.map((items) => items.length)).toEqual([2000, 2000, 1000]);
		expect(new Set(executions.flat().map((item) => item.href))).toEqual(new Set(burst.map((event) => event.href)));
		// No watcher: every event, tagged with an empty list.
		expect(executions[0][0]).toMatchObject({ watchers: [], suppressedCount: 0 });
		servePce(burst);
		expect(await poll(staticData, parameters)).toEqual([]);
	});

	it('routes by watchers, drops unmatched events for good, and lets the PCE filter exact types', async () => {
		const staticData: IDataObject = {};
		const parameters = { watchers: { watcher: [watcher('Sign-ins', 'user.login, user.logout'), watcher('Policy', 'sec_policy.create')] }, options: {} };
		servePce([]);
		await poll(staticData, parameters);
		const events = [pceEvent('user.login', 0), pceEvent('sec_policy.create', 0), pceEvent('workload.update', 0)];
		const queries: URLSearchParams[] = [];
		servePce(events, queries);
		const [items] = await poll(staticData, parameters);
		expect(items.map((item) => item.watchers)).toEqual([['Sign-ins'], ['Policy']]);
		expect(queries[1].getAll('event_type')).toEqual(['user.login', 'user.logout', 'sec_policy.create']);

		// A batch nothing matches is committed without an execution, and not read as new again.
		const unmatched = { watchers: { watcher: [watcher('Tampering', 'agent.*')] }, options: {} };
		servePce([pceEvent('user.login', 0)]);
		expect(await poll(staticData, unmatched)).toEqual([]);
		const cursor = JSON.stringify(staticData.illumioEventCursor);
		servePce([pceEvent('agent.tampering', 0)]);
		expect((await poll(staticData, unmatched)).flat()).toHaveLength(1);
		expect(JSON.stringify(staticData.illumioEventCursor)).not.toBe(cursor);
	});

	it('keeps the throttle state only when the execution succeeded: a failed one is repeated with the same counts', async () => {
		const staticData: IDataObject = {};
		const parameters = { watchers: { watcher: [watcher('Logins', 'user.login', { throttleMinutes: 10 })] }, options: { lookbackMinutes: 60, latenessMinutes: 60 } };
		const events = [pceEvent('user.login', 30 * MINUTE), pceEvent('user.login', 29 * MINUTE), pceEvent('user.login', 25 * MINUTE)];
		servePce(events);
		expect((await poll(staticData, parameters)).map(hrefs)).toEqual([[events[0].href]]);

		events.push(pceEvent('user.login', 15 * MINUTE), pceEvent('user.login', 14 * MINUTE));
		servePce(events);
		const failed = await poll(staticData, parameters, 'error');
		expect(failed).toEqual([[expect.objectContaining({ href: events[3].href, suppressedCount: 2 })]]);
		const throttleAfterFailure = JSON.stringify((staticData.illumioEventCursor as IDataObject).presentation);

		servePce(events);
		const repeated = await poll(staticData, parameters);
		expect(repeated).toEqual(failed);
		expect(JSON.stringify((staticData.illumioEventCursor as IDataObject).presentation)).not.toBe(throttleAfterFailure);
		servePce(events);
		expect(await poll(staticData, parameters)).toEqual([]);
	});

	it('commits the throttle state of a batch that succeeded after n8n saved the static data (a re-activation)', async () => {
		const parameters = { watchers: { watcher: [watcher('Logins', 'user.login', { throttleMinutes: 10 })] }, options: { lookbackMinutes: 60, latenessMinutes: 60 } };
		const events = [pceEvent('user.login', 30 * MINUTE), pceEvent('user.login', 29 * MINUTE)];
		servePce(events);
		const emissions: Emission[] = [];
		const live: IDataObject = {};
		await trigger.poll.call(context(live, 'trigger', parameters, emissions));
		// n8n saved the static data when the poll emitted; the execution ends afterwards.
		const saved = JSON.parse(JSON.stringify(live)) as IDataObject;
		emissions[0].done?.resolve({ status: 'success', finished: true, data: { resultData: {} } } as unknown as IRun);
		await flush();

		events.push(pceEvent('user.login', 25 * MINUTE), pceEvent('user.login', 15 * MINUTE));
		servePce(events);
		const next = await poll(saved, parameters);
		expect(saved.illumioEventCursor).toMatchObject({ presentation: { entries: { 'Logins\u0001user.login\u0001': { suppressed: 0 } } } });
		// The first batch was confirmed from the relayed outcome: its throttle window and count hold.
		expect(next).toEqual([[expect.objectContaining({ href: events[3].href, suppressedCount: 2 })]]);
	});

	it('folds same-type events of one poll into a summary', async () => {
		const staticData: IDataObject = {};
		const parameters = { watchers: { watcher: [watcher('Sign-ins', 'user.*')] }, options: { groupMin: 3 } };
		servePce([]);
		await poll(staticData, parameters);
		const events = [pceEvent('user.login', 0), pceEvent('user.login', 0), pceEvent('user.login', 0), pceEvent('user.logout', 0)];
		servePce(events);
		const [items] = await poll(staticData, parameters);
		expect(items.map((item) => [item.event_type, item.group_count])).toEqual([
			['user.login', 3],
			['user.logout', undefined],
		]);
	});

	it.each([
		[{ watcher: [watcher('Logins', 'user.login', { throttleMinutes: -1 })] }, {}, 'Watcher "Logins": Throttle (Minutes) must be 0 or more, not -1'],
		[{ watcher: [watcher('Logins', 'User.Login')] }, {}, 'Watcher "Logins": the event type pattern "User.Login" can never match'],
		[{}, { groupMin: -2 }, 'Group Same-Type Events (Minimum) must be 0 (off) or a whole number of 2 or more, not -2'],
	])('refuses bad settings before asking the PCE (%#)', async (watchers, options, message) => {
		await expect(trigger.poll.call(context({}, 'trigger', { watchers, options }))).rejects.toThrow(message);
	});
});

/**
 * The Forcepoint SMC Trigger's life cycle against the simulator, through n8n's real request helper:
 * activation, items, forced disconnects with gap items, relogin, fatal errors to emitError, failures
 * while starting thrown, manual runs, and nothing left open after close.
 */
import type { IDataObject, INodeExecutionData, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { ForcepointSmcTrigger } from '../../../nodes/ForcepointSmc/ForcepointSmcTrigger.node';
import { simulatorTls } from '../../simulators/common';
import { ForcepointSmcSimulator } from '../../simulators/forcepointSmc';
import { n8nHttpRequest } from '../../support/n8nHttp';

const sim = new ForcepointSmcSimulator({ logCount: 300 });
beforeAll(() => sim.start(0));
afterAll(() => sim.stop());
afterEach(() => sim.reset());

interface Harness {
	context: ITriggerFunctions;
	items: IDataObject[];
	errors: Error[];
	warnings: string[];
}

function harness(parameters: IDataObject, mode: 'trigger' | 'manual' = 'trigger', credentials: IDataObject = {}): Harness {
	const items: IDataObject[] = [];
	const errors: Error[] = [];
	const warnings: string[] = [];
	const all: IDataObject = { options: { maxReconnectDelaySeconds: 1 }, ...parameters };
	const context = {
		getMode: () => mode,
		getNode: () => ({ id: 't', name: 'Forcepoint SMC Trigger', type: 'n8n-nodes-netsec-events.forcepointSmcTrigger', typeVersion: 1, position: [0, 0], parameters: all }),
		getNodeParameter: (name: string, fallback?: unknown) => all[name] ?? fallback,
		getCredentials: async () => ({ url: sim.url, apiKey: sim.options.apiKey, domain: 'Shared Domain', caCertificate: simulatorTls().ca, ...credentials }),
		emit: (data: INodeExecutionData[][]) => items.push(...data[0].map((item) => item.json)),
		emitError: (error: Error) => errors.push(error),
		logger: { warn: (message: string) => warnings.push(message), debug: () => undefined, info: () => undefined, error: () => undefined },
		helpers: { httpRequest: n8nHttpRequest(), returnJsonArray: (list: IDataObject[]) => list.map((json) => ({ json })) },
	} as unknown as ITriggerFunctions;
	return { context, items, errors, warnings };
}

async function until(condition: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 8000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

async function nothingOpen(): Promise<void> {
	await until(() => Object.values(sim.socketCounts()).every((count) => count === 0), 'every socket closed');
	expect(sim.sessionCount).toBe(0);
}

const trigger = new ForcepointSmcTrigger();

describe('Forcepoint SMC Trigger: element changes', () => {
	it('subscribes each entry point, passes the chosen actions, survives drops with a gap item each time, and closes everything', async () => {
		const { context, items, errors } = harness({ mode: 'elementChanges', entryPoints: ['host', 'network'], actions: ['create', 'delete'] });
		const response = (await trigger.trigger.call(context)) as ITriggerResponse;
		await until(() => sim.activity().subscriptions === 2, 'two subscriptions');
		const created = sim.elementChange('host', 'create', 'trigger-host');
		sim.elementChange('host', 'update', undefined, created.id);
		sim.elementChange('fw_policy', 'create', 'not watched');
		sim.elementChange('network', 'delete', 'Branch LAN');
		await until(() => items.length === 2, 'two changes');
		expect(items.map((item) => [item.action, item.entryPoint, item.context])).toEqual([
			['create', 'host', 'host'],
			['delete', 'network', 'network'],
		]);
		for (let round = 1; round <= 3; round++) {
			if (round === 2) sim.expireAllSessions();
			sim.dropSockets();
			await until(() => items.filter((item) => item.gap).length === round && sim.activity().subscriptions === 2, `reconnect ${round}`);
			sim.elementChange('host', 'create', `after-${round}`);
			await until(() => items.filter((item) => item.action === 'create').length === round + 1, `change after reconnect ${round}`);
		}
		const gap = items.find((item) => item.gap)!.gap as IDataObject;
		expect(Date.parse(String(gap.from))).toBeLessThanOrEqual(Date.parse(String(gap.to)));
		expect(gap.reason).toMatch(/^The SMC closed \/7.1\/notification\/socket/);
		expect(errors).toEqual([]);
		await response.closeFunction!();
		await nothingOpen();
	});

	it('adds the element when asked', async () => {
		const { context, items } = harness({ mode: 'elementChanges', entryPoints: [], includeElement: true });
		const response = (await trigger.trigger.call(context)) as ITriggerResponse;
		await until(() => sim.activity().subscriptions === 1, 'the * subscription');
		sim.elementChange('host', 'create', 'with-data');
		await until(() => items.length === 1, 'one change');
		expect(items[0]).toMatchObject({ action: 'create', context: '*', elementData: { name: 'with-data' } });
		await response.closeFunction!();
		await nothingOpen();
	});

	it('throws while starting for an unknown entry point, a wrong key or an unoffered version, and leaves nothing open', async () => {
		const cases: Array<[IDataObject, IDataObject, string]> = [
			[{ entryPoints: ['host', 'hots'] }, {}, 'The SMC has no entry point "hots"'],
			[{}, { apiKey: 'WrongKey0123456789abcdef' }, 'The SMC refused the login to domain "Shared Domain" (HTTP 401: Login failed: Invalid authentication key)'],
			[{}, { apiVersion: '5.9' }, 'The SMC does not offer API version 5.9; it offers 6.5, 6.10, 7.0, 7.1'],
		];
		for (const [parameters, credentials, message] of cases) {
			const { context } = harness({ mode: 'elementChanges', ...parameters }, 'trigger', credentials);
			await expect(trigger.trigger.call(context)).rejects.toThrow(message);
		}
		await nothingOpen();
	});

	it('reports a loss it cannot cure to emitError: the key was revoked while disconnected', async () => {
		const { context, errors } = harness({ mode: 'elementChanges' });
		const response = (await trigger.trigger.call(context)) as ITriggerResponse;
		const key = sim.options.apiKey;
		try {
			sim.options.apiKey = 'RevokedKey0123456789abcd';
			sim.expireAllSessions();
			sim.dropSockets();
			await until(() => errors.length === 1, 'emitError');
			expect(errors[0].message).toContain('The SMC refused the login');
			expect(errors[0].message).not.toContain(key);
		} finally {
			sim.options.apiKey = key;
		}
		await response.closeFunction!();
		await nothingOpen();
	});

	it('listens until the first change in a manual run', async () => {
		const { context, items } = harness({ mode: 'elementChanges', entryPoints: ['host'] }, 'manual');
		const response = (await trigger.trigger.call(context)) as ITriggerResponse;
		expect(sim.activity().subscriptions).toBe(0);
		await response.manualTriggerFunction!();
		sim.elementChange('host', 'create', 'manual');
		await until(() => items.length === 1, 'the first change');
		await response.closeFunction!();
		await nothingOpen();
	});

	it('closes cleanly while a manual start is still in flight', async () => {
		const { context } = harness({ mode: 'elementChanges' }, 'manual');
		const response = (await trigger.trigger.call(context)) as ITriggerResponse;
		const starting = response.manualTriggerFunction!();
		await response.closeFunction!();
		await starting.catch(() => undefined);
		await nothingOpen();
	});
});

describe('Forcepoint SMC Trigger: live log query', () => {
	it('emits filtered live records, reconnects with a gap item and backfills the gap from stored logs', async () => {
		const { context, items, errors } = harness({
			mode: 'liveLogs',
			filter: { conditions: [{ operator: 'in', field: 'SERVICE', valueType: 'service', values: 'TCP/443, TCP/80, UDP/53, TCP/22, TCP/25, UDP/123, TCP/3389, TCP/389' }] },
			fields: 'TIMESTAMP, LOGID, SRC, DST, SERVICE',
			fieldFormat: 'name',
			options: { backfillGaps: true, maxReconnectDelaySeconds: 1 },
		});
		const response = (await trigger.trigger.call(context)) as ITriggerResponse;
		await until(() => sim.activity().fetches.current === 1, 'the live query');
		sim.addLogs(5);
		await until(() => items.length === 5, 'five live records');
		expect(Object.keys(items[0]).sort()).toEqual(['Dst', 'LogId', 'Service', 'Src', 'Timestamp']);
		sim.dropSockets();
		// Logged while nothing listened: only the backfill can deliver them.
		const missed = sim.addLogs(3).map((record) => String(record.fields[2]));
		await until(() => items.some((item) => item.gap), 'the gap item');
		await until(() => items.filter((item) => item.backfill).length >= 3, 'the backfill');
		const backfilled = items.filter((item) => item.backfill).map((item) => String(item.LogId));
		expect(backfilled).toEqual(expect.arrayContaining(missed));
		await until(() => sim.activity().fetches.current === 1, 'the live query again');
		sim.addLogs(2);
		await until(() => items.filter((item) => !item.gap && !item.backfill).length === 7, 'live records after the reconnect');
		expect(errors).toEqual([]);
		await response.closeFunction!();
		await nothingOpen();
	});

	it('throws while starting for a filter with a bad value', async () => {
		const { context } = harness({ mode: 'liveLogs', filter: { conditions: [{ operator: 'in', field: 'SRC', valueType: 'ip', values: '10.0.0.300' }] } });
		await expect(trigger.trigger.call(context)).rejects.toThrow('Filter condition 1: "10.0.0.300" is not an IP address');
		await nothingOpen();
	});
});

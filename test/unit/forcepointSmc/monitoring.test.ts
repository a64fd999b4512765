/** Monitoring queries and notifications over the transport, against the SMC simulator. */
import axios from 'axios';

import { buildFilter, type SmcFilter } from '../../../nodes/ForcepointSmc/transport/filters';
import {
	blockListDefinition,
	logQueryRequest,
	QueryFailedError,
	recordsOf,
	runFetch,
	sessionQueryRequest,
	type MonitoringRecord,
} from '../../../nodes/ForcepointSmc/transport/monitoring';
import { changesOf, subscribe, SubscriptionError } from '../../../nodes/ForcepointSmc/transport/notifications';
import { SmcSocket } from '../../../nodes/ForcepointSmc/transport/socket';
import { simulatorTls } from '../../simulators/common';
import { ForcepointSmcSimulator } from '../../simulators/forcepointSmc';

const sim = new ForcepointSmcSimulator({ logCount: 600 });
let cookie: string;

beforeAll(async () => {
	await sim.start(0);
	const login = await axios.post(`${sim.url}/7.1/login`, { domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
	cookie = String(login.headers['set-cookie']?.[0]).split(';')[0];
});
afterAll(() => sim.stop());
afterEach(async () => {
	// Every test closes what it opened.
	const deadline = Date.now() + 3000;
	while (Object.values(sim.socketCounts()).some((count) => count > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(sim.socketCounts()).toEqual({ log: 0, session: 0, notification: 0, status: 0 });
});

function open(path: string, version = '7.1'): Promise<SmcSocket> {
	return SmcSocket.open({ url: `${sim.url.replace('http', 'ws')}/${version}${path}`, cookie, keepAliveMs: 0, tls: { ca: simulatorTls().ca } });
}

describe('monitoring queries', () => {
	it('reads a stored log query to its end, bounded by max records, in batches', async () => {
		const socket = await open('/monitoring/log/socket');
		const batches: MonitoringRecord[][] = [];
		const request = logQueryRequest({ mode: 'stored', maxRecords: 250, newestFirst: false, format: { fieldFormat: 'id', fieldIds: [1, 7] } });
		expect(request).toEqual({
			query: { type: 'stored', start_ms: 0, end_ms: 0 },
			fetch: { backwards: false, quantity: 250 },
			format: { type: 'texts', field_format: 'id', resolving: { senders: true }, field_ids: [1, 7] },
		});
		const progress = await runFetch(socket, request, { label: 'log query', onRecords: (records) => void batches.push(records), messageTimeoutMs: 3000 });
		await socket.close(progress.fetchId);
		expect(progress.ended).toBe(true);
		expect(batches.map((batch) => batch.length)).toEqual([200, 50]);
		expect(Object.keys(batches[0][0]).sort()).toEqual(['1', '7']);
		// Oldest first.
		expect(String(batches[0][0]['1']) <= String(batches[1][49]['1'])).toBe(true);
	});

	it('sends the time range, the filter and the timezone', () => {
		const filter = buildFilter({ conditions: [{ operator: 'in', field: 'SRC', valueType: 'ip', values: '10.0.0.0/16' }] });
		expect(
			logQueryRequest({ mode: 'stored', startMs: 1000, endMs: 2000, filter, servers: ['https://smc/7.1/elements/log_server/1'], format: { fieldFormat: 'name', timezone: 'Europe/Helsinki' } }),
		).toEqual({
			query: { type: 'stored', start_ms: 1000, end_ms: 2000, filter, servers: ['https://smc/7.1/elements/log_server/1'] },
			fetch: { backwards: true },
			format: { type: 'texts', field_format: 'name', resolving: { senders: true, timezone: 'Europe/Helsinki', time_show_zone: true } },
		});
	});

	it('streams a live log query until told to stop', async () => {
		const socket = await open('/monitoring/log/socket');
		const seen: MonitoringRecord[] = [];
		const running = runFetch(socket, logQueryRequest({ mode: 'current', format: { fieldFormat: 'name' } }), {
			label: 'live log query',
			onRecords: (records) => {
				seen.push(...records);
				return seen.length >= 5;
			},
		});
		const deadline = Date.now() + 3000;
		while (sim.activity().fetches.current === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
		sim.addLogs(2);
		sim.addLogs(3);
		const progress = await running;
		await socket.close(progress.fetchId);
		expect(seen).toHaveLength(5);
		expect(progress.ended).toBe(false);
		expect(seen[0]).toHaveProperty('Src');
	});

	it('reads a session snapshot until it goes quiet, then added, updated and removed deltas with their delta keys', async () => {
		const socket = await open('/monitoring/session/socket');
		const snapshot: MonitoringRecord[] = [];
		const request = sessionQueryRequest({ definition: 'CONNECTIONS', target: 'Plano FW', format: { fieldFormat: 'name' } });
		const first = await runFetch(socket, request, { label: 'CONNECTIONS query', onRecords: (records) => void snapshot.push(...records), snapshotWaitMs: 2000, quietMs: 150 });
		expect(snapshot).toHaveLength(250);
		expect(snapshot.every((record) => record.operation === 'added' && record.first_fetch === true && typeof record.delta_key === 'string')).toBe(true);
		const [updated] = sim.sessionChange('CONNECTIONS', 'Plano FW', 'update', 1);
		const [removed] = sim.sessionChange('CONNECTIONS', 'Plano FW', 'delete', 1);
		const deltas = [...recordsOf(await socket.next(2000)), ...recordsOf(await socket.next(2000))];
		expect(deltas.map((record) => [record.operation, record.delta_key])).toEqual([
			['updated', updated.meta.delta_key],
			['removed', removed.meta.delta_key],
		]);
		await socket.close(first.fetchId);
	});

	it('returns an empty snapshot when nothing matches', async () => {
		const socket = await open('/monitoring/session/socket');
		const filter = buildFilter({ conditions: [{ operator: 'in', field: 'SRC', valueType: 'ip', values: '192.0.2.1' }] });
		const records: MonitoringRecord[] = [];
		const progress = await runFetch(socket, sessionQueryRequest({ definition: 'USERS', target: 'Plano FW', filter, format: { fieldFormat: 'name' } }), {
			label: 'USERS query',
			onRecords: (batch) => void records.push(...batch),
			snapshotWaitMs: 100,
			quietMs: 100,
		});
		await socket.close(progress.fetchId);
		expect(records).toEqual([]);
		expect(progress.fetchId).toEqual(expect.any(Number));
	});

	it('reads with an SMC Filter Expression condition what the same conditions select', async () => {
		const stored = async (filter: SmcFilter | undefined) => {
			const socket = await open('/monitoring/log/socket');
			const records: MonitoringRecord[] = [];
			const request = logQueryRequest({ mode: 'stored', maxRecords: 1000, newestFirst: true, filter, format: { fieldFormat: 'id', fieldIds: [2] } });
			const progress = await runFetch(socket, request, { label: 'log query', onRecords: (batch) => void records.push(...batch), messageTimeoutMs: 3000 });
			await socket.close(progress.fetchId);
			return records.map((record) => record['2']);
		};
		const expected = await stored(
			buildFilter({
				conditions: [
					{ operator: 'in', field: 'DST', valueType: 'ip', values: '10.0.0.0/16' },
					{ operator: 'in', field: 'DPORT', valueType: 'number', values: '22, 25, 443' },
				],
			}),
		);
		expect(expected.length).toBeGreaterThan(0);
		const expression = buildFilter({ conditions: [{ operator: 'translated', expression: '$Dst IN union(ipv4_net("10.0.0.0/16")) AND ($Dport == 22 OR $Dport == 25 OR $Dport == 443)' }] });
		expect(await stored(expression)).toEqual(expected);
	});

	it('names what the SMC rejected', async () => {
		const socket = await open('/monitoring/session/socket');
		const running = runFetch(socket, sessionQueryRequest({ definition: 'CONNECTIONS', target: 'No Such Engine', format: { fieldFormat: 'name' } }), {
			label: 'CONNECTIONS query on No Such Engine',
			onRecords: () => undefined,
			messageTimeoutMs: 2000,
		});
		await expect(running).rejects.toThrow(new QueryFailedError('Unknown target No Such Engine', 'CONNECTIONS query on No Such Engine'));
		await expect(running).rejects.toThrow('The SMC rejected the CONNECTIONS query on No Such Engine: Unknown target No Such Engine');
		await socket.close();
	});

	it('picks BLOCK_LIST from SMC 7.0 on and BLACKLIST before', () => {
		expect(blockListDefinition('7.1.2 [11277]')).toBe('BLOCK_LIST');
		expect(blockListDefinition('7.0')).toBe('BLOCK_LIST');
		expect(blockListDefinition('6.10.4 [10900]')).toBe('BLACKLIST');
	});
});

describe('notifications', () => {
	it.each([
		['7.1', 'event'],
		['6.5', 'events'],
	])('subscribes one context at a time and reads API %s `%s` messages', async (version) => {
		const socket = await open('/notification/socket', version);
		const subscriptions = await subscribe(socket, ['host', 'network,host'], 2000);
		expect([...subscriptions.contexts]).toEqual([
			[0, 'host'],
			[1, 'network,host'],
		]);
		const created = sim.elementChange('host', 'create', `unit-${version}`);
		const changes = [...changesOf(await socket.next(2000), subscriptions.contexts), ...changesOf(await socket.next(2000), subscriptions.contexts)];
		expect(changes).toEqual(
			[0, 1].map((subscriptionId) => ({
				subscriptionId,
				context: subscriptionId === 0 ? 'host' : 'network,host',
				action: 'create',
				element: `${sim.url}/${version}/elements/host/${created.id}`,
				entryPoint: 'host',
				elementId: created.id,
			})),
		);
		await socket.close();
	});

	it('names a refused context', async () => {
		const socket = await open('/notification/socket');
		const failing = subscribe(socket, ['host', 'no_such_entry'], 2000);
		await expect(failing).rejects.toThrow(SubscriptionError);
		await expect(failing).rejects.toThrow('The SMC refused the subscription to "no_such_entry": Unknown context: no_such_entry');
		await socket.close();
	});

	it('reads nothing from messages that carry no events', () => {
		expect(changesOf({ success: 'Subscribed for notifications', subscription_id: 0 }, new Map())).toEqual([]);
		expect(changesOf({ events: [{ type: 'delete' }, null], subscription_id: 3 }, new Map())).toEqual([]);
	});
});

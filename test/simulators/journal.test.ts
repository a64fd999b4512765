/** The simulators' journal (the demo's memory across restarts), and the VCO and SMC simulators replaying it. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { F, ForcepointSmcSimulator, type SmcChangeRecord } from './forcepointSmc';
import { http, login } from './forcepointSmcTestClient';
import { openSimulatorJournal } from './journal';
import { VeloCloudSimulator, type VcoAddedEventRecord } from './velocloud';
import { useTempFolder } from '../unit/helpers/tempFolder';

describe('simulator journal', () => {
	const folder = useTempFolder('netsec-journal');

	it('keeps the first anchor and every appended record, in order', () => {
		const first = openSimulatorJournal<{ n: number }>(folder(), 'vco', 1_000);
		expect(first.anchorMs).toBe(1_000);
		expect(first.added).toEqual([]);
		first.append({ n: 1 });
		first.append({ n: 2 });
		const second = openSimulatorJournal<{ n: number }>(folder(), 'vco', 9_000);
		expect(second.anchorMs).toBe(1_000);
		expect(second.added).toEqual([{ n: 1 }, { n: 2 }]);
	});

	it('drops a record a kill cut short during its write, and the next record starts on its own line', () => {
		const journal = openSimulatorJournal<{ n: number }>(folder(), 'vco');
		journal.append({ n: 1 });
		appendFileSync(join(folder(), 'vco-added.ndjson'), '{"n":');
		const reopened = openSimulatorJournal<{ n: number }>(folder(), 'vco');
		expect(reopened.added).toEqual([{ n: 1 }]);
		reopened.append({ n: 2 });
		expect(openSimulatorJournal<{ n: number }>(folder(), 'vco').added).toEqual([{ n: 1 }, { n: 2 }]);
		expect(readFileSync(join(folder(), 'vco-added.ndjson'), 'utf8')).toBe('{"n":1}\n{"n":2}\n');
	});

	it('refuses a damaged journal instead of starting a history that reuses ids', () => {
		openSimulatorJournal(folder(), 'vco');
		writeFileSync(join(folder(), 'vco-added.ndjson'), '{"n":1}\nnot json\n{"n":3}\n');
		expect(() => openSimulatorJournal(folder(), 'vco')).toThrow(/line 2 is not JSON.*delete the folder to start a new history/);
	});
});

describe('VCO simulator replaying its journal', () => {
	it('rebuilds added events exactly (forced types too) and numbers new ones after the largest id', () => {
		const records: VcoAddedEventRecord[] = [];
		const anchorMs = Date.UTC(2026, 10, 1);
		const first = new VeloCloudSimulator({ anchorMs, eventCount: 100 });
		first.onEventAdded = (record) => records.push(record);
		const added = [
			...first.addEvents({ enterpriseId: 2, count: 3 }),
			...first.addEvents({ enterpriseId: 1, event: 'EDGE_DOWN', backdateMs: 60_000 }),
			...first.addEvents({ enterpriseId: 3, event: 'SOMETHING_NEW' }),
		];
		expect(records.map((record) => record.id)).toEqual(added.map((event) => event.id));

		const second = new VeloCloudSimulator({ anchorMs, eventCount: 100 });
		second.restoreAddedEvents(records);
		const all = (simulator: VeloCloudSimulator) => simulator.eventsBetween(undefined, 0, Number.MAX_SAFE_INTEGER);
		expect(all(second)).toEqual(all(first));
		const [next] = second.addEvents({ enterpriseId: 4 });
		expect(next.id).toBe(Math.max(...added.map((event) => event.id)) + 1);
	});
});

describe('SMC simulator replaying its journal', () => {
	const folder = useTempFolder('netsec-journal-smc');
	const anchorMs = Date.UTC(2026, 10, 1);
	const blockListOf = (simulator: ForcepointSmcSimulator) => simulator.sessionEntries('BLOCK_LIST', 'Plano FW')!;
	const stateOf = (simulator: ForcepointSmcSimulator) => ({
		logs: simulator.storedLogs(),
		elements: simulator.elementList(),
		connections: simulator.sessionEntries('CONNECTIONS', 'Helsinki Cluster'),
		blockList: blockListOf(simulator),
		alerts: simulator.sessionEntries('ACTIVE_ALERTS', 'Shared Domain'),
	});
	const journaled = (records: SmcChangeRecord[]) => {
		const simulator = new ForcepointSmcSimulator({ anchorMs, logCount: 50 });
		simulator.restoreChanges(records);
		return simulator;
	};

	it('rebuilds logs, elements, session entries and the trickle exactly, and gives out no id twice after a restart', async () => {
		const journal = openSimulatorJournal<SmcChangeRecord>(folder(), 'smc');
		const first = new ForcepointSmcSimulator({ anchorMs, logCount: 50 });
		first.onChange = (record) => journal.append(record);
		first.addLogs(3);
		first.addLogs(2, 60_000);
		const host = first.elementChange('host', 'create', 'Journal Host');
		first.elementChange('host', 'update', undefined, host.id);
		const network = first.elementChange('network', 'create');
		first.elementChange('network', 'delete', undefined, network.id);
		first.elementChange('host', 'validated', undefined, host.id);
		// The trickle's first three beats create, update and delete a host.
		for (let beat = 0; beat < 3; beat++) first.trickleOnce();
		first.sessionChange('CONNECTIONS', 'Helsinki Cluster', 'add', 2);
		first.sessionChange('CONNECTIONS', 'Helsinki Cluster', 'update', 3);
		first.sessionChange('CONNECTIONS', 'Helsinki Cluster', 'delete', 1);
		// A block-list entry added and one removed through the REST API, as the Forcepoint SMC node does.
		await first.start(0);
		try {
			const cookie = await login(first);
			const engine = `${first.url}/7.1/elements/single_fw/1649/block_list`;
			const entry = { end_point1: { address_mode: 'address', ip_network: '198.51.100.7/32' }, end_point2: { address_mode: 'any' }, duration: 3600 };
			expect((await http.post(engine, { entries: [entry] }, { headers: { cookie } })).status).toBe(204);
			const firstKey = Object.keys(blockListOf(first))[0];
			const href = String(blockListOf(first)[firstKey].meta.block_list_href);
			expect((await http.delete(`${first.url}/7.1${href}`, { headers: { cookie } })).status).toBe(204);
		} finally {
			await first.stop();
		}

		const records = openSimulatorJournal<SmcChangeRecord>(folder(), 'smc').added;
		const second = journaled(records);
		expect(stateOf(second)).toEqual(stateOf(first));

		// After the restart, new log ids, element ids and session entries follow every one given out before.
		const largestLogId = Math.max(...first.storedLogs().map((record) => record.fields[F.LOGID] as number));
		expect(second.addLogs(1)[0].fields[F.LOGID]).toBe(largestLogId + 1);
		const createdIds = records.flatMap((record) => (record.kind === 'element' && record.action === 'create' ? [record.id] : []));
		expect(createdIds).toHaveLength(3);
		expect(second.elementChange('host', 'create', 'After Restart').id).toBe(Math.max(...createdIds) + 1);
		const oldKeys = new Set(Object.keys(blockListOf(first)));
		const [added] = second.sessionChange('BLOCK_LIST', 'Plano FW', 'add');
		expect(oldKeys.has(String(added.meta.delta_key))).toBe(false);
		// The trickle continues its create, update, delete cycle: its fourth beat creates a network.
		second.trickleOnce();
		expect(second.elementList().filter((element) => element.type === 'network').at(-1)?.name).toBe('trickle-network-4');
	});

	it('replays a reset, so the records after it rebuild what the simulator held', () => {
		const records: SmcChangeRecord[] = [];
		const first = new ForcepointSmcSimulator({ anchorMs, logCount: 50 });
		first.onChange = (record) => records.push(record);
		first.addLogs(5);
		first.elementChange('host', 'create', 'Before Reset');
		first.reset();
		first.addLogs(2);
		first.elementChange('router', 'create', 'After Reset');
		expect(records.map((record) => record.kind)).toEqual(['log', 'log', 'log', 'log', 'log', 'element', 'reset', 'log', 'log', 'element']);
		expect(stateOf(journaled(records))).toEqual(stateOf(first));
	});

	it('refuses a journal that changes an element it never created', () => {
		expect(() => journaled([{ kind: 'element', entryPoint: 'host', action: 'update', id: 99_999, name: 'nowhere' }])).toThrow(/no host element 99999 to update/);
	});
});

/** The simulators' journal (the demo's memory across restarts), and the VCO simulator replaying it. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

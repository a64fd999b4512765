import type { IDataObject } from 'n8n-workflow';

import { afterPass, PollCursor } from '../../../nodes/shared/trigger/cursor';
import { seededRandom } from '../../simulators/common';

interface SimEvent {
	id: string;
	time: number;
	/** when the appliance starts returning it (time + delay) */
	visibleAt: number;
}

/** Seeded, so a failing seed can be replayed. */
const random = seededRandom;

const MINUTE = 60_000;
const key = (event: SimEvent) => event.id;
const time = (event: SimEvent) => event.time;

/**
 * One poll as a trigger runs it: load from static data, read the window in pages of any size, keep
 * the `limit` oldest fresh events, then either fail (nothing committed) or commit; while the window
 * held more than `limit`, another pass from the cursor left. The appliance may return duplicates and
 * any order.
 */
function poll(staticData: IDataObject, events: SimEvent[], now: number, rand: () => number, fail: boolean, lookbackMs = 0, limit = Number.POSITIVE_INFINITY) {
	const emitted: SimEvent[] = [];
	let range: { start: number; end: number } | undefined;
	for (let pass = 0; pass < 10_000; pass++) {
		const cursor = PollCursor.load(staticData, { latenessMs: 15 * MINUTE, lookbackMs, now });
		// as runPoll does: a later pass reads from where the last one stopped, about `limit` events far
		const whole = cursor.window;
		const window = range ? { start: range.start, end: Math.min(range.end, whole.end) } : whole;
		const answer = events.filter((event) => event.visibleAt <= now && event.time >= window.start && event.time <= window.end);
		// duplicates and a shuffled order, as paging under concurrent inserts can produce
		for (const event of answer.slice()) if (rand() < 0.1) answer.push(event);
		// shuffled, or oldest first as some appliances answer (then reading may stop early)
		if (rand() < 0.5) answer.sort(() => rand() - 0.5);
		else answer.sort((a, b) => a.time - b.time);
		const selection = cursor.freshSelection(key, time, limit, window);
		for (let offset = 0; offset < answer.length; ) {
			const size = 1 + Math.floor(rand() * 50);
			const more = selection.add(answer.slice(offset, offset + size));
			offset += size;
			if (!more) break;
		}
		const result = selection.result();
		const selected = result.events;
		if (fail) return emitted;
		const { upTo, next } = afterPass(window, whole, result, selected.length > 0 ? time(selected[selected.length - 1]) : window.end, limit);
		if (selected.length === 0) cursor.commit(selected, key, time, upTo);
		else {
			// as runPoll does: the batch goes in flight, n8n saves static data and reads it back, and the
			// execution's success confirms the batch
			cursor.markInFlight(selected, key, time, upTo, { id: `batch-${pass}`, process: 'this process' });
			Object.assign(staticData, JSON.parse(JSON.stringify(staticData)) as IDataObject);
			PollCursor.load(staticData, { latenessMs: 15 * MINUTE, lookbackMs, now }).confirmInFlight(`batch-${pass}`);
		}
		emitted.push(...selected);
		if (!next) return emitted;
		range = next;
	}
	throw new Error('the passes of one poll did not end');
}

describe('PollCursor', () => {
	it.each(Array.from({ length: 40 }, (_, index) => [index + 1, index % 2 === 0 ? Number.POSITIVE_INFINITY : 1 + (index % 9)]))(
		'emits every event exactly once, oldest first, whatever the arrival order, lateness, failures and restarts (seed %i, at most %d per execution)',
		(seed, limit) => {
			const rand = random(seed);
			const activation = 1_700_000_000_000;
			const events: SimEvent[] = [];
			for (let index = 0; index < 400; index++) {
				const eventTime = activation + Math.floor(rand() * 180 * MINUTE);
				// up to 14 minutes late: inside the 15-minute lateness window
				events.push({ id: `e${index}`, time: eventTime, visibleAt: eventTime + Math.floor(rand() * 14 * MINUTE) });
			}
			let staticData: IDataObject = {};
			const emitted: SimEvent[] = [];
			let now = activation;
			while (now < activation + 240 * MINUTE) {
				// "from now" means from the first successful poll: the floor is only known once one commits
				const fail = now > activation && rand() < 0.2;
				const batch = poll(staticData, events, now, rand, fail, 0, limit);
				emitted.push(...batch);
				for (let index = 1; index < batch.length; index++) expect(batch[index].time).toBeGreaterThanOrEqual(batch[index - 1].time);
				// n8n polls twice right after activation, and retries happen: a second poll at once adds nothing
				if (!fail && rand() < 0.3) expect(poll(staticData, events, now, rand, false, 0, limit)).toEqual([]);
				// a restart: static data goes through the database as JSON
				if (rand() < 0.2) staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
				now += Math.floor(rand() * 20 * MINUTE) + 1;
			}
			// a last poll once everything is visible
			emitted.push(...poll(staticData, events, now + 30 * MINUTE, rand, false, 0, limit));
			const ids = emitted.map((event) => event.id);
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(ids)).toEqual(new Set(events.map((event) => event.id)));
		},
	);

	it('keeps the oldest fresh events of a stream of any size in memory bounded by the limit', () => {
		const now = 1_700_000_000_000;
		const cursor = PollCursor.load({}, { latenessMs: 15 * MINUTE, lookbackMs: 60 * MINUTE, now });
		const rand = random(7);
		const all: SimEvent[] = Array.from({ length: 20_000 }, (_, index) => ({ id: `e${index}`, time: now - Math.floor(rand() * 60 * MINUTE), visibleAt: 0 }));
		let handedOut = 0;
		const selection = cursor.freshSelection(key, (event: SimEvent) => {
			handedOut++;
			return event.time;
		}, 100);
		// every event twice, in pages, in a shuffled order
		const answer = [...all, ...all].sort(() => rand() - 0.5);
		for (let offset = 0; offset < answer.length; offset += 500) selection.add(answer.slice(offset, offset + 500));
		const { events, complete } = selection.result();
		const oldest = [...all].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1)).slice(0, 100);
		expect(complete).toBe(false);
		expect(events.map((event) => event.id)).toEqual(oldest.map((event) => event.id));
		expect(handedOut).toBe(answer.length);
		// Where the rest lies: the next range holds at most 1,000 more events, short of it by less than
		// one of the count's 256 slices (about 75 events here).
		const once = cursor.freshSelection(key, time, 1000);
		once.add(all);
		const first = once.result();
		const newestKept = time(first.events[first.events.length - 1]);
		const nextEnd = first.leftOut.endHolding(newestKept, 1000);
		const inNextRange = all.filter((event) => event.time > newestKept && event.time <= nextEnd).length;
		expect(inNextRange).toBeLessThanOrEqual(1000);
		expect(inNextRange).toBeGreaterThan(850);
		// nothing over the limit: the whole stream fits
		const small = cursor.freshSelection(key, time, 100);
		small.add(all.slice(0, 100));
		small.add(all.slice(0, 100));
		expect(small.result()).toMatchObject({ events: [...all.slice(0, 100)].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1)), complete: true });
	});

	it('starts from now on first activation and from the look-back when asked', () => {
		const now = 1_700_000_000_000;
		const before = { id: 'old', time: now - 5 * MINUTE, visibleAt: now - 5 * MINUTE };
		const after = { id: 'new', time: now + MINUTE, visibleAt: now + MINUTE };
		const rand = random(1);
		const fromNow: IDataObject = {};
		expect(poll(fromNow, [before, after], now, rand, false)).toEqual([]);
		expect(poll(fromNow, [before, after], now + 2 * MINUTE, rand, false)).toEqual([after]);
		const withLookback: IDataObject = {};
		expect(poll(withLookback, [before, after], now, rand, false, 10 * MINUTE)).toEqual([before]);
	});

	it('keeps its state bounded to the lateness window', () => {
		const staticData: IDataObject = {};
		const start = 1_700_000_000_000;
		const rand = random(7);
		const events = Array.from({ length: 2000 }, (_, index) => ({ id: `e${index}`, time: start + index * 1000, visibleAt: start + index * 1000 }));
		for (let now = start; now <= start + 2000 * 1000; now += 5 * MINUTE) poll(staticData, events, now, rand, false);
		const state = staticData.eventCursor as { emitted: Record<string, number> };
		// 15 minutes of one event a second, plus the boundary
		expect(Object.keys(state.emitted).length).toBeLessThanOrEqual(15 * 60 + 1);
	});

	it('saves an in-flight batch with only the keys its confirmation keeps, and confirms it as a commit would', () => {
		const start = 1_700_000_000_000;
		const now = start + 4 * 60 * MINUTE;
		// a backfill: one event a second over four hours, 14,400 in one batch
		const events = Array.from({ length: 4 * 3600 }, (_, index) => ({ id: `e${index}`, time: start + index * 1000, visibleAt: start }));
		const options = { latenessMs: 15 * MINUTE, lookbackMs: 5 * 60 * MINUTE, now };
		const [viaFlight, viaCommit]: IDataObject[] = [{}, {}];
		const cursor = PollCursor.load(viaFlight, options);
		const batch = cursor.select(events, key, time);
		cursor.markInFlight(batch, key, time, now, { id: 'backfill', process: 'this process' });
		const inFlight = (viaFlight.eventCursor as { inFlight: { keys: Record<string, number> } }).inFlight;
		// the last 15 minutes of the batch (and the event at the boundary), not its 14,400 keys
		expect(Object.keys(inFlight.keys)).toHaveLength(15 * 60);
		PollCursor.load(viaFlight, options).confirmInFlight('backfill');
		PollCursor.load(viaCommit, options).commit(batch, key, time, now);
		expect(viaFlight).toEqual(viaCommit);
	});

	it('emits nothing twice when the lateness window is raised between polls', () => {
		const staticData: IDataObject = {};
		const start = 1_700_000_000_000;
		const events = Array.from({ length: 120 }, (_, index) => ({ id: `e${index}`, time: start + index * MINUTE, visibleAt: start + index * MINUTE }));
		const emitted: string[] = [];
		const pollWith = (now: number, latenessMs: number) => {
			const cursor = PollCursor.load(staticData, { latenessMs, lookbackMs: 0, now });
			const { start: from, end } = cursor.window;
			const selected = cursor.select(events.filter((event) => event.time >= from && event.time <= end && event.visibleAt <= now), key, time);
			cursor.commit(selected, key, time);
			emitted.push(...selected.map(key));
		};
		pollWith(start, 15 * MINUTE);
		pollWith(start + 60 * MINUTE, 15 * MINUTE);
		pollWith(start + 90 * MINUTE, 60 * MINUTE);
		pollWith(start + 119 * MINUTE, 5 * MINUTE);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted).toHaveLength(120);
	});

	it('a failed poll leaves the state exactly as it was', () => {
		const staticData: IDataObject = {};
		const now = 1_700_000_000_000;
		const rand = random(3);
		const events = [{ id: 'a', time: now + 1000, visibleAt: now + 1000 }];
		poll(staticData, events, now, rand, false);
		const saved = JSON.stringify(staticData);
		poll(staticData, events, now + MINUTE, rand, true);
		expect(JSON.stringify(staticData)).toBe(saved);
		expect(poll(staticData, events, now + 2 * MINUTE, rand, false)).toEqual(events);
	});
});

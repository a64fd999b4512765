import type { IDataObject } from 'n8n-workflow';

/**
 * The one cursor of every polling trigger, kept in the node's workflow static data (so it survives
 * restarts and works in queue mode, where the main instance polls):
 *
 * - `watermark`: the end of what the last confirmed batch covered;
 * - `emitted`: keys of the events emitted whose time is still inside the lateness window;
 * - `floor`: nothing older than this is ever emitted: the first successful poll's time minus the
 *   chosen look-back (a first poll that fails commits nothing, not even the floor);
 * - `inFlight`: the batch handed to an execution that has not finished yet. Its events are not
 *   emitted again while it runs; when the execution succeeds they are committed, when it fails they
 *   are released and the next poll emits them again;
 * - `presentation`: what a trigger keeps about the items it made of its events (the Illumio
 *   throttle windows), committed with the batch that produced it and released with it.
 *
 * Each poll asks the appliance for [max(floor, watermark − lateness), now], drops what was emitted,
 * emits the rest oldest first and only then moves the watermark (`commit`). An event that shows up
 * late is still caught as long as it is less than `lateness` older than the poll that first could
 * have seen it. A failed poll commits nothing; a poll repeated at once finds every key emitted.
 */
export interface CursorOptions {
	/** how far back each poll looks behind the watermark for late events */
	latenessMs: number;
	/** on first activation, how far back to start (0 = only events from now on) */
	lookbackMs: number;
	now: number;
}

export interface InFlightBatch {
	id: string;
	/** which n8n process emitted it: a batch of a process that is gone can never be confirmed */
	process: string;
	emittedAt: number;
	/** the watermark once the batch is confirmed */
	upTo: number;
	/** the batch's keys that confirming records in `emitted` (its events within the lateness window of `upTo`) */
	keys: Record<string, number>;
	/** the presentation state once the batch is confirmed */
	presentation?: IDataObject;
}

interface CursorState {
	version: 1;
	floor: number;
	watermark: number;
	emitted: Record<string, number>;
	/** `emitted` holds every key emitted at or after this time (older ones were pruned) */
	trackedFrom?: number;
	inFlight?: InFlightBatch;
	presentation?: IDataObject;
}

/** The state key of the VeloCloud trigger since its first release; other triggers name their own. */
export const DEFAULT_CURSOR_KEY = 'eventCursor';

export interface TimeWindow {
	start: number;
	end: number;
}

export class PollCursor {
	private constructor(
		private readonly staticData: IDataObject,
		private readonly stateKey: string,
		private state: CursorState,
		private readonly options: CursorOptions,
	) {}

	static load(staticData: IDataObject, options: CursorOptions, stateKey = DEFAULT_CURSOR_KEY): PollCursor {
		const saved = staticData[stateKey] as CursorState | undefined;
		const state: CursorState =
			saved && saved.version === 1
				? saved
				: { version: 1, floor: options.now - options.lookbackMs, watermark: options.now - options.lookbackMs, emitted: {} };
		return new PollCursor(staticData, stateKey, state, options);
	}

	get window(): TimeWindow {
		// Never earlier than what `emitted` still covers: a lateness raised between polls would
		// otherwise re-read pruned events and emit them twice.
		const start = Math.max(this.state.floor, this.state.trackedFrom ?? this.state.floor, this.state.watermark - this.options.latenessMs);
		return { start, end: Math.max(start, this.options.now) };
	}

	get inFlight(): InFlightBatch | undefined {
		return this.state.inFlight;
	}

	/** The presentation state of the last confirmed batch. */
	get presentation(): IDataObject | undefined {
		return this.state.presentation;
	}

	/**
	 * The events not emitted yet (nor in flight), oldest first (ties by key, so the order is stable),
	 * each once even if the appliance returned it twice. Nothing is recorded until `commit`.
	 */
	select<T>(events: Iterable<T>, keyOf: (event: T) => string, timeOf: (event: T) => number): T[] {
		const selection = this.freshSelection(keyOf, timeOf, Number.POSITIVE_INFINITY);
		selection.add(events);
		return selection.result().events;
	}

	/**
	 * Takes the events of `range` (by default the whole window) page by page and keeps only the `limit`
	 * oldest not emitted yet (nor in flight), so a window of any size is read in memory bounded by
	 * `limit`. Its result is `complete` when no fresh event was left out, and tells where those left out
	 * lie, so the next pass can ask for about `limit` events rather than the rest of the window.
	 */
	freshSelection<T>(keyOf: (event: T) => string, timeOf: (event: T) => number, limit: number, range: TimeWindow = this.window): FreshSelection<T> {
		const { start, end } = range;
		const inFlight = this.state.inFlight?.keys ?? {};
		return new OldestFresh(limit, new TimeHistogram(range), timeOf, (event, time) => {
			if (time < start || time > end) return undefined;
			const key = keyOf(event);
			if (key in this.state.emitted || key in inFlight) return undefined;
			return { key, event, time };
		});
	}

	/** Hands a batch to an execution: its events are held back from later polls until it ends. */
	markInFlight<T>(
		batch: readonly T[],
		keyOf: (event: T) => string,
		timeOf: (event: T) => number,
		upTo: number,
		owner: { id: string; process: string },
		presentation?: IDataObject,
	): void {
		// Only the keys confirming keeps in `emitted` are saved (those within the lateness window of
		// `upTo`): static data is written at every emit and read at every execution's start, and a
		// backfill's batch of 10^5 keys made that megabytes each time.
		const keepFrom = upTo - this.options.latenessMs;
		const keys: Record<string, number> = {};
		for (const event of batch) {
			const time = timeOf(event);
			if (time >= keepFrom) keys[keyOf(event)] = time;
		}
		this.save({ ...this.state, inFlight: { ...owner, emittedAt: this.options.now, upTo, keys, ...(presentation ? { presentation } : {}) } });
	}

	/** The execution of the in-flight batch failed (or can no longer report): emit its events again. */
	releaseInFlight(batchId = this.state.inFlight?.id): void {
		if (!this.state.inFlight || this.state.inFlight.id !== batchId) return;
		const { inFlight: _released, ...rest } = this.state;
		this.save(rest);
	}

	/** The execution of the in-flight batch succeeded: its events are emitted for good. */
	confirmInFlight(batchId = this.state.inFlight?.id): void {
		const batch = this.state.inFlight;
		if (!batch || batch.id !== batchId) return;
		this.commitKeys(Object.entries(batch.keys), batch.upTo, batch.presentation);
	}

	/**
	 * Records emitted events and moves the watermark to `upTo` (default: this poll's window end). When a
	 * poll emits only part of what it found, `upTo` is the time of the last event emitted.
	 */
	commit<T>(
		emitted: Iterable<T>,
		keyOf: (event: T) => string,
		timeOf: (event: T) => number,
		upTo = this.window.end,
		presentation?: IDataObject,
	): void {
		const entries: Array<[string, number]> = [];
		for (const event of emitted) entries.push([keyOf(event), timeOf(event)]);
		this.commitKeys(entries, upTo, presentation);
	}

	private commitKeys(entries: Iterable<[string, number]>, upTo: number, presentation?: IDataObject): void {
		const keepFrom = upTo - this.options.latenessMs;
		const next: Record<string, number> = {};
		for (const [key, time] of Object.entries(this.state.emitted)) if (time >= keepFrom) next[key] = time;
		for (const [key, time] of entries) if (time >= keepFrom) next[key] = time;
		const { inFlight: _done, ...rest } = this.state;
		this.save({
			...rest,
			watermark: Math.max(this.state.watermark, upTo),
			emitted: next,
			trackedFrom: Math.max(this.state.trackedFrom ?? this.state.floor, keepFrom),
			...(presentation ? { presentation } : {}),
		});
	}

	private save(state: CursorState): void {
		this.staticData[this.stateKey] = state;
		this.state = state;
	}
}

/**
 * Where a pass leaves the cursor (`upTo`: the watermark once its batch is confirmed) and what the next
 * pass of the same poll reads, if any: from `upTo` on, as far as about `limit` more events reach.
 * Events left out may share the last kept one's time, so the watermark stops there.
 */
export function afterPass(
	read: TimeWindow,
	whole: TimeWindow,
	selection: { complete: boolean; leftOut: TimeHistogram },
	lastKeptTime: number,
	limit: number,
	estimate?: TimeHistogram,
): { upTo: number; next?: PassRange } {
	const upTo = selection.complete ? read.end : lastKeptTime;
	if (selection.complete && read.end >= whole.end) return { upTo };
	// What a pass left out is counted within what it read: a pass that read to the window's end counts
	// the whole rest, and that count keeps choosing the ends of the passes after it.
	const readToEnd = read.end >= whole.end;
	const counts = selection.complete ? estimate : selection.leftOut;
	const end = counts?.endHolding(upTo, limit);
	return {
		upTo,
		next: {
			start: upTo,
			end: end !== undefined && end > upTo ? end : whole.end,
			estimate: readToEnd && !selection.complete ? selection.leftOut : estimate,
		},
	};
}

/** What the next pass of a poll reads, and the count of the rest that chose its end. */
export interface PassRange extends TimeWindow {
	estimate?: TimeHistogram;
}

export interface FreshSelection<T> {
	/** false once nothing more the appliance sends can be selected (it answers oldest first and passed the newest kept) */
	add(events: Iterable<T>): boolean;
	result(): { events: T[]; complete: boolean; leftOut: TimeHistogram };
}

/** How many events fell in each of 256 slices of a window: constant memory, whatever the count. */
export class TimeHistogram {
	private readonly counts = new Float64Array(256);
	private readonly width: number;

	constructor(private readonly window: TimeWindow) {
		this.width = Math.max(1, (window.end - window.start) / this.counts.length);
	}

	add(time: number): void {
		this.counts[this.slice(time)]++;
	}

	/**
	 * How far from `from` the counted events stay within `count`: the end of the last slice before the
	 * one that would exceed it (at least one slice), or the window's end when all of them fit.
	 */
	endHolding(from: number, count: number): number {
		const first = this.slice(from);
		let total = 0;
		for (let slice = first; slice < this.counts.length; slice++) {
			total += this.counts[slice];
			if (total > count) return this.sliceEnd(Math.max(first, slice - 1));
		}
		return this.window.end;
	}

	private sliceEnd(slice: number): number {
		return Math.min(this.window.end, Math.ceil(this.window.start + (slice + 1) * this.width));
	}

	private slice(time: number): number {
		return Math.min(this.counts.length - 1, Math.max(0, Math.floor((time - this.window.start) / this.width)));
	}
}

interface Candidate<T> {
	key: string;
	event: T;
	time: number;
}

const byTimeThenKey = <T>(a: Candidate<T>, b: Candidate<T>) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The `limit` oldest fresh events of a stream. Candidates pile up to twice the limit, then the newest
 * half is dropped: memory stays under 2 × limit events whatever the stream holds. An event returned
 * twice by the appliance is kept once; the twin of a dropped event is newer than the boundary, so it
 * is dropped too.
 */
class OldestFresh<T> implements FreshSelection<T> {
	private kept: Array<Candidate<T>> = [];
	private keys = new Set<string>();
	/** the newest event kept by the last trim that dropped some: anything newer is dropped on sight */
	private boundary: Candidate<T> | undefined;
	/** the time of the last event read, and whether every event so far came in time order */
	private lastTime = Number.NEGATIVE_INFINITY;
	private inTimeOrder = true;

	constructor(
		private readonly limit: number,
		private readonly leftOut: TimeHistogram,
		private readonly timeOf: (event: T) => number,
		private readonly candidate: (event: T, time: number) => Candidate<T> | undefined,
	) {}

	/** Candidates pile up to a quarter over the limit before the newest are dropped: few sorts, little memory. */
	private get trimAt(): number {
		return this.limit + Math.max(1000, Math.ceil(this.limit / 4));
	}

	add(events: Iterable<T>): boolean {
		for (const event of events) {
			const time = this.timeOf(event);
			if (!(time >= this.lastTime)) this.inTimeOrder = false;
			this.lastTime = time;
			const entry = this.candidate(event, time);
			if (!entry || this.keys.has(entry.key)) continue;
			if (this.boundary && byTimeThenKey(entry, this.boundary) > 0) {
				this.leftOut.add(entry.time);
				continue;
			}
			this.keys.add(entry.key);
			this.kept.push(entry);
			if (this.kept.length >= this.trimAt) this.trim();
		}
		// An appliance that answers oldest first has nothing older to come once it is past the boundary.
		return !(this.inTimeOrder && this.boundary && this.lastTime > this.boundary.time);
	}

	result(): { events: T[]; complete: boolean; leftOut: TimeHistogram } {
		this.trim();
		return { events: this.kept.map((entry) => entry.event), complete: this.boundary === undefined, leftOut: this.leftOut };
	}

	private trim(): void {
		this.kept.sort(byTimeThenKey);
		if (this.kept.length <= this.limit) return;
		for (const entry of this.kept.splice(this.limit)) {
			this.keys.delete(entry.key);
			this.leftOut.add(entry.time);
		}
		this.boundary = this.kept[this.kept.length - 1];
	}
}

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
		const { start, end } = this.window;
		const inFlight = this.state.inFlight?.keys ?? {};
		const fresh: Array<{ key: string; event: T; time: number }> = [];
		const seen = new Set<string>();
		for (const event of events) {
			const time = timeOf(event);
			if (time < start || time > end) continue;
			const key = keyOf(event);
			if (key in this.state.emitted || key in inFlight || seen.has(key)) continue;
			seen.add(key);
			fresh.push({ key, event, time });
		}
		return fresh.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((entry) => entry.event);
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
		const keys: Record<string, number> = {};
		for (const event of batch) keys[keyOf(event)] = timeOf(event);
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

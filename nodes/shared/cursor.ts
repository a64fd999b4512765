import type { IDataObject } from 'n8n-workflow';

/**
 * The one cursor of every polling trigger, kept in the node's workflow static data (so it survives
 * restarts and works in queue mode, where the main instance polls):
 *
 * - `watermark`: the end of the last successful poll's window;
 * - `emitted`: keys of the events emitted whose time is still inside the lateness window;
 * - `floor`: nothing older than this is ever emitted: the first successful poll's time minus the
 *   chosen look-back (a first poll that fails commits nothing, not even the floor).
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

interface CursorState {
	version: 1;
	floor: number;
	watermark: number;
	emitted: Record<string, number>;
	/** `emitted` holds every key emitted at or after this time (older ones were pruned) */
	trackedFrom?: number;
}

const STATE_KEY = 'eventCursor';

export interface TimeWindow {
	start: number;
	end: number;
}

export class PollCursor {
	private constructor(
		private readonly staticData: IDataObject,
		private readonly state: CursorState,
		private readonly options: CursorOptions,
	) {}

	static load(staticData: IDataObject, options: CursorOptions): PollCursor {
		const saved = staticData[STATE_KEY] as CursorState | undefined;
		const state: CursorState =
			saved && saved.version === 1
				? saved
				: { version: 1, floor: options.now - options.lookbackMs, watermark: options.now - options.lookbackMs, emitted: {} };
		return new PollCursor(staticData, state, options);
	}

	get window(): TimeWindow {
		// Never earlier than what `emitted` still covers: a lateness raised between polls would
		// otherwise re-read pruned events and emit them twice.
		const start = Math.max(this.state.floor, this.state.trackedFrom ?? this.state.floor, this.state.watermark - this.options.latenessMs);
		return { start, end: Math.max(start, this.options.now) };
	}

	/**
	 * The events not emitted yet, oldest first (ties by key, so the order is stable), each once even if
	 * the appliance returned it twice. Nothing is recorded until `commit`.
	 */
	select<T>(events: Iterable<T>, keyOf: (event: T) => string, timeOf: (event: T) => number): T[] {
		const { start, end } = this.window;
		const fresh = new Map<string, { event: T; time: number }>();
		for (const event of events) {
			const key = keyOf(event);
			const time = timeOf(event);
			if (!Number.isFinite(time) || time < start || time > end) continue;
			if (key in this.state.emitted || fresh.has(key)) continue;
			fresh.set(key, { event, time });
		}
		return [...fresh.entries()]
			.sort(([keyA, a], [keyB, b]) => a.time - b.time || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0))
			.map(([, entry]) => entry.event);
	}

	/** Records the emitted events and moves the watermark to this poll's window end. */
	commit<T>(emitted: Iterable<T>, keyOf: (event: T) => string, timeOf: (event: T) => number): void {
		const { end } = this.window;
		const keepFrom = end - this.options.latenessMs;
		const next: Record<string, number> = {};
		for (const [key, time] of Object.entries(this.state.emitted)) if (time >= keepFrom) next[key] = time;
		for (const event of emitted) {
			const time = timeOf(event);
			if (time >= keepFrom) next[keyOf(event)] = time;
		}
		this.staticData[STATE_KEY] = {
			version: 1,
			floor: this.state.floor,
			watermark: Math.max(this.state.watermark, end),
			emitted: next,
			trackedFrom: Math.max(this.state.trackedFrom ?? this.state.floor, keepFrom),
		} satisfies CursorState;
	}
}

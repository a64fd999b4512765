import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions, IRun } from 'n8n-workflow';

import { afterPass, PollCursor, type PassRange, type TimeWindow } from './cursor';

const MINUTE = 60_000;

/** "Fetch Test Event" shows at most this many events of the last hour. */
const MANUAL_SAMPLE_SIZE = 20;
const MANUAL_WINDOW_MS = 60 * MINUTE;

/**
 * Identifies this n8n process. Not state: a batch in flight that was emitted by another process (n8n
 * restarted, another main instance took over) can never be confirmed here, so it is emitted again.
 */
const PROCESS_ID = randomUUID();

/** An in-flight batch whose execution has not reported after this long is emitted again. */
const IN_FLIGHT_TIMEOUT_MS = 2 * 60 * MINUTE;

/**
 * How executions of this process ended, by batch id, until the next poll reads it. n8n persists a
 * poller's static data when it emits, not when an execution ends, and a re-activated workflow reads its
 * static data afresh: this relays the outcome to the next poll of a workflow re-activated in this process
 * (a success is also stored by storeConfirmation; a failure need not be). It is not the cursor's state
 * (that is in static data): when the process is gone, a batch whose outcome was not stored is emitted again.
 */
const settledBatches = new Map<string, boolean>();
const MAX_SETTLED = 1000;

function recordOutcome(batchId: string, succeeded: boolean): void {
	settledBatches.set(batchId, succeeded);
	if (settledBatches.size > MAX_SETTLED) settledBatches.delete(settledBatches.keys().next().value as string);
}

export interface PollOptions {
	lookbackMinutes?: number;
	latenessMinutes?: number;
	maxEventsPerExecution?: number;
}

/** Executions of a large window hold this many events each unless the user sets another number. */
export const DEFAULT_MAX_EVENTS_PER_EXECUTION = 50_000;

/** The options every polling trigger offers, with the vendor's default lateness. */
export function pollOptions(defaultLatenessMinutes: number, latenessHint: string): INodeProperties[] {
	return [
		{
			displayName: 'Look-Back on First Activation (Minutes)',
			name: 'lookbackMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'On the first poll, also emit the events of this many minutes before it (a backfill). 0 starts from now.',
		},
		{
			displayName: 'Lateness Window (Minutes)',
			name: 'latenessMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaultLatenessMinutes,
			description: `How far back each poll looks for events reported late (${latenessHint})`,
		},
		{
			displayName: 'Max Events per Execution',
			name: 'maxEventsPerExecution',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_EVENTS_PER_EXECUTION,
			description:
				'A poll that finds more starts one execution per this many events, oldest first, each after the previous one succeeded',
		},
	];
}

/** What a vendor trigger supplies; everything else about polling is written once, here. */
export interface PollSource<E extends IDataObject> {
	/**
	 * Reads the events of a window, any order, handing them to `take` a page at a time (so a huge
	 * window never has to sit in memory) and stopping early when `take` says nothing more is needed;
	 * throws on failure (the poll then changes nothing).
	 */
	read(window: TimeWindow, take: (page: E[]) => boolean): Promise<void>;
	/** a stable identity of an event (an id, an href, or its content when it has none) */
	key(event: E): string;
	/** the event's time in epoch ms; NaN when unreadable (the event is still delivered) */
	time(event: E): number;
	/** the static-data key of this trigger's cursor */
	stateKey?: string;
	/**
	 * How a batch of new events (oldest first) becomes the items emitted, when that is more than the
	 * events themselves (routing, throttling, grouping), from the state the last confirmed batch left.
	 * The state returned travels with the batch and is committed with it by the cursor, so a batch
	 * emitted again after a failed execution is presented from the same state. A batch that yields no
	 * item is committed at once, without an execution. "Fetch Test Event" shows presented items too.
	 */
	present?(batch: E[], state: IDataObject | undefined): { items: IDataObject[]; state?: IDataObject };
}

/**
 * The poll of every trigger. In manual mode ("Fetch Test Event") it returns recent events and leaves the
 * cursor alone. Otherwise it emits what is new, oldest first, in executions of at most
 * `maxEventsPerExecution` events, and commits each batch only when its execution succeeded: a failed
 * execution (the archive's disk full, a receiver down) leaves its events to the next poll.
 */
export async function runPoll<E extends IDataObject>(
	context: IPollFunctions,
	source: PollSource<E>,
	options: PollOptions,
): Promise<INodeExecutionData[][] | null> {
	const now = Date.now();
	const staticData = context.getWorkflowStaticData('node');
	const cursorOptions = {
		latenessMs: (options.latenessMinutes ?? 15) * MINUTE,
		lookbackMs: (options.lookbackMinutes ?? 0) * MINUTE,
		now,
	};
	if (context.getMode() === 'manual') {
		const recent = newestOf(MANUAL_SAMPLE_SIZE, source);
		await source.read({ start: now - MANUAL_WINDOW_MS, end: now }, recent.add);
		const sample = recent.result();
		const items = source.present ? source.present(sample, PollCursor.load(staticData, cursorOptions, source.stateKey).presentation).items : sample;
		return items.length > 0 ? [context.helpers.returnJsonArray(items)] : null;
	}

	const load = () => PollCursor.load(staticData, { ...cursorOptions, now: Date.now() }, source.stateKey);
	const cursor = PollCursor.load(staticData, cursorOptions, source.stateKey);
	const pending = cursor.inFlight;
	if (pending) {
		const outcome = settledBatches.get(pending.id);
		settledBatches.delete(pending.id);
		if (outcome === true) cursor.confirmInFlight(pending.id);
		else if (outcome === false) cursor.releaseInFlight(pending.id);
		else if (pending.process === PROCESS_ID && now - pending.emittedAt <= IN_FLIGHT_TIMEOUT_MS) {
			// Its execution still runs in this process: its events are not emitted twice meanwhile.
			return null;
		} else {
			// Nobody can confirm it any more: emit it again (the archive recognises lines it already wrote).
			cursor.releaseInFlight(pending.id);
		}
	}

	const maxPerExecution = Math.max(1, options.maxEventsPerExecution ?? Number.POSITIVE_INFINITY);
	/**
	 * One pass: reads the window, keeps the oldest `maxPerExecution` fresh events and emits them as one
	 * execution. When the window held more, the next pass starts once that execution succeeded, from
	 * where this one stopped and only as far as about `maxPerExecution` more events reach (this pass
	 * counted where the events it left out lie): memory holds one execution's events and the window is
	 * read about once, however many events it has. Late events the passes miss are read by the next
	 * poll, which looks back over the lateness window as always.
	 */
	const pass = async (cursorNow: PollCursor, range?: PassRange): Promise<'emitted' | 'nothing'> => {
		const whole = cursorNow.window;
		const window = range ? { start: range.start, end: Math.min(range.end, whole.end) } : whole;
		const timeOf = (event: E) => {
			const time = source.time(event);
			// An event whose time cannot be read is delivered now rather than dropped.
			return Number.isFinite(time) ? time : window.end;
		};
		const selection = cursorNow.freshSelection(source.key, timeOf, maxPerExecution, window);
		await source.read(window, (page) => selection.add(page));
		const result = selection.result();
		const batch = result.events;
		const { upTo, next } = afterPass(window, whole, result, batch.length > 0 ? timeOf(batch[batch.length - 1]) : window.end, maxPerExecution, range?.estimate);
		const presented = source.present && batch.length > 0 ? source.present(batch, cursorNow.presentation) : { items: batch };
		// Nothing to run: the batch (possibly empty) is committed at once and the rest read on.
		if (presented.items.length === 0) {
			cursorNow.commit(batch, source.key, timeOf, upTo, presented.state);
			return next ? await pass(load(), next) : 'nothing';
		}
		const batchId = randomUUID();
		cursorNow.markInFlight(batch, source.key, timeOf, upTo, { id: batchId, process: PROCESS_ID }, presented.state);
		const done = context.helpers.createDeferredPromise<IRun | undefined>();
		void done.promise.then(
			async (run) => {
				const succeeded = executionSucceeded(run);
				recordOutcome(batchId, succeeded);
				const current = load();
				if (!succeeded) {
					current.releaseInFlight(batchId);
					return;
				}
				current.confirmInFlight(batchId);
				// A failed read here changes nothing: the next scheduled poll reads the rest.
				const rest = next
					? await pass(current, next).catch((error: unknown) => {
							context.logger.warn(`Reading the rest of the window failed; the next poll will: ${String(error)}`);
							return 'nothing' as const;
						})
					: 'nothing';
				// A batch emitted after this one stores this success with its own emit.
				if (rest === 'nothing') storeConfirmation(context);
			},
			() => {
				recordOutcome(batchId, false);
				load().releaseInFlight(batchId);
			},
		);
		context.__emit([context.helpers.returnJsonArray(presented.items)], undefined, done);
		return 'emitted';
	};
	await pass(cursor);
	return null;
}

/**
 * n8n stores a poller's static data only when the poller starts an execution, never when one ends. A
 * confirmed batch that no other batch follows would stay "in flight" in the database, and the first poll
 * after a restart of n8n would deliver it again: to an archive that recognises its lines, but also to a
 * SIEM, vRLI or a mail box. So the success is stored the only way a poller can: an execution with no
 * items, which runs no node after the trigger.
 */
function storeConfirmation(context: IPollFunctions): void {
	context.__emit([[]]);
}

function executionSucceeded(run: IRun | undefined): boolean {
	if (!run) return false;
	return run.status === 'success' || (run.status === undefined && !run.data?.resultData?.error) || (run.finished === true && !run.data?.resultData?.error);
}

/** The `size` newest events of a stream, oldest first, for "Fetch Test Event". */
function newestOf<E extends IDataObject>(size: number, source: PollSource<E>): { add: (page: E[]) => boolean; result: () => E[] } {
	let kept: Array<{ event: E; time: number; key: string }> = [];
	const newestFirst = (a: { time: number; key: string }, b: { time: number; key: string }) =>
		(b.time || 0) - (a.time || 0) || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
	const trim = () => {
		kept = kept.sort(newestFirst).slice(0, size);
	};
	return {
		add: (page) => {
			for (const event of page) {
				kept.push({ event, time: source.time(event), key: source.key(event) });
				if (kept.length >= 4 * size) trim();
			}
			return true;
		},
		result: () => {
			trim();
			return kept.reverse().map((entry) => entry.event);
		},
	};
}

import type { IDataObject } from 'n8n-workflow';

import type { Watcher } from './watchers';

/**
 * Per watcher and event type (and, optionally, resource): at most one item per window, the others
 * suppressed and counted into the next item that gets through (`suppressedCount`). Windows run on
 * event time, so the decisions are a pure function of the events and the state they start from: a
 * batch that is delivered again after a failed execution gets the same decisions from the same state.
 */
export interface ThrottleEntry {
	/** event time (epoch ms) of the item that opened the current window */
	since: number;
	/** events suppressed since then, reported on the next item that gets through */
	suppressed: number;
}

export interface ThrottleState {
	version: 1;
	entries: Record<string, ThrottleEntry>;
}

/** Bound on the state kept in static data: the oldest windows go first (their counts with them). */
export const MAX_THROTTLE_ENTRIES = 5000;

export function emptyThrottleState(): ThrottleState {
	return { version: 1, entries: {} };
}

/** What an event is about, for throttling per resource: the first changed resource, else its actor. */
export function resourceOf(event: IDataObject): string {
	const changes = Array.isArray(event.resource_changes) ? (event.resource_changes as IDataObject[]) : [];
	for (const change of changes) {
		const href = firstHref(change.resource);
		if (href) return href;
	}
	const notifications = Array.isArray(event.notifications) ? (event.notifications as IDataObject[]) : [];
	for (const notification of notifications) {
		const href = firstHref(notification.info);
		if (href) return href;
	}
	return firstHref(event.created_by) ?? '';
}

/** The href of `{ <type>: { href } }`, the shape of PCE resource references. */
function firstHref(value: unknown): string | undefined {
	if (!value || typeof value !== 'object') return undefined;
	for (const inner of Object.values(value as IDataObject)) {
		const href = (inner as IDataObject | null)?.href;
		if (typeof href === 'string' && href !== '') return href;
	}
	return undefined;
}

export class Throttle {
	private readonly entries: Record<string, ThrottleEntry>;
	private newest = Number.NEGATIVE_INFINITY;

	constructor(
		state: ThrottleState | undefined,
		private readonly watchers: readonly Watcher[],
	) {
		const known = new Set(watchers.filter((watcher) => watcher.throttleMs > 0).map((watcher) => watcher.name));
		this.entries = {};
		// Entries of watchers that were removed, renamed or no longer throttle are dropped.
		for (const [key, entry] of Object.entries(state?.version === 1 ? state.entries : {})) {
			if (known.has(key.slice(0, key.indexOf('\u0001')))) this.entries[key] = { ...entry };
		}
	}

	/**
	 * Decides for one event (events come oldest first): whether `watcher` lets it through, and with how
	 * many suppressed events to report. `undefined` = suppressed.
	 */
	admit(watcher: Watcher, event: IDataObject, time: number): { reported: number } | undefined {
		if (watcher.throttleMs <= 0) return { reported: 0 };
		this.newest = Math.max(this.newest, time);
		const key = [watcher.name, String(event.event_type ?? ''), watcher.throttleByResource ? resourceOf(event) : ''].join('\u0001');
		const entry = this.entries[key];
		if (!entry || time >= entry.since + watcher.throttleMs) {
			this.entries[key] = { since: time, suppressed: 0 };
			return { reported: entry?.suppressed ?? 0 };
		}
		entry.suppressed++;
		return undefined;
	}

	/** The state to keep: windows still open or counts not yet reported, at most MAX_THROTTLE_ENTRIES. */
	state(): ThrottleState {
		const windowOf = new Map(this.watchers.map((watcher) => [watcher.name, watcher.throttleMs]));
		const kept = Object.entries(this.entries).filter(([key, entry]) => {
			const windowMs = windowOf.get(key.slice(0, key.indexOf('\u0001'))) ?? 0;
			return entry.suppressed > 0 || entry.since + windowMs > this.newest;
		});
		kept.sort(([, a], [, b]) => b.since - a.since);
		return { version: 1, entries: Object.fromEntries(kept.slice(0, MAX_THROTTLE_ENTRIES)) };
	}
}

import type { IDataObject } from 'n8n-workflow';

import { severityRank } from '../eventFilters';
import { Throttle, type ThrottleState } from './throttle';
import { matchingWatchers, type Watcher } from './watchers';

export interface RouteOptions {
	/** emit events no watcher matched, with `watchers: []` */
	emitUnmatched: boolean;
	/** this many or more items of one event type (and the same watchers) in one batch become one summary; < 2 = off */
	groupMin: number;
}

export interface RouteResult {
	items: IDataObject[];
	/** the throttle state after this batch; keep it only once the batch was delivered */
	throttle: ThrottleState;
	counts: { matched: number; unmatched: number; suppressed: number; grouped: number };
}

/**
 * Turns a batch of new events (oldest first) into the trigger's items: each event tagged with the
 * watchers it matched (`watchers`, for a Switch node), throttled per watcher with the suppressed ones
 * counted into the next item (`suppressedCount`, and `suppressedByWatcher` when it is not 0), and
 * same-type runs optionally folded into one summary item.
 */
export function routeEvents(
	events: IDataObject[],
	watchers: readonly Watcher[],
	options: RouteOptions,
	state: ThrottleState | undefined,
	timeOf: (event: IDataObject) => number,
): RouteResult {
	const throttle = new Throttle(state, watchers);
	const counts = { matched: 0, unmatched: 0, suppressed: 0, grouped: 0 };
	const routed: IDataObject[] = [];
	for (const event of events) {
		const matched = matchingWatchers(watchers, event);
		if (matched.length === 0) {
			counts.unmatched++;
			if (options.emitUnmatched) routed.push(Object.assign(event, { watchers: [], suppressedCount: 0 }));
			continue;
		}
		counts.matched++;
		const time = timeOf(event);
		const admitted: string[] = [];
		let suppressedByWatcher: Record<string, number> | undefined;
		let suppressedCount = 0;
		for (const watcher of matched) {
			const decision = throttle.admit(watcher, event, time);
			if (!decision) continue;
			admitted.push(watcher.name);
			if (decision.reported > 0) {
				suppressedByWatcher ??= {};
				suppressedByWatcher[watcher.name] = decision.reported;
				suppressedCount += decision.reported;
			}
		}
		if (admitted.length === 0) {
			counts.suppressed++;
			continue;
		}
		// The parsed events are ours: tag them in place rather than copy 10^5 objects; the per-watcher
		// counts only when something was suppressed.
		routed.push(Object.assign(event, suppressedByWatcher ? { watchers: admitted, suppressedCount, suppressedByWatcher } : { watchers: admitted, suppressedCount }));
	}
	const items = options.groupMin >= 2 ? groupRuns(routed, options.groupMin, counts) : routed;
	return { items, throttle: throttle.state(), counts };
}

/** Folds `groupMin`+ items of the same event type and watchers into one summary, placed where the last one was. */
function groupRuns(items: IDataObject[], groupMin: number, counts: RouteResult['counts']): IDataObject[] {
	const groupKey = (item: IDataObject) => `${String(item.event_type)}\u0001${(item.watchers as string[]).join('\u0001')}`;
	const members = new Map<string, IDataObject[]>();
	for (const item of items) {
		const key = groupKey(item);
		const list = members.get(key);
		if (list) list.push(item);
		else members.set(key, [item]);
	}
	const result: IDataObject[] = [];
	for (const item of items) {
		const group = members.get(groupKey(item))!;
		if (group.length < groupMin) result.push(item);
		else if (group[group.length - 1] === item) {
			result.push(summary(group));
			counts.grouped += group.length;
		}
	}
	return result;
}

/** Field names follow illumio-pretty-cool-events' group summaries, plus every member's href. */
function summary(group: IDataObject[]): IDataObject {
	const first = group[0];
	const last = group[group.length - 1];
	const mostSevere = group.reduce((worst, item) => {
		const rank = severityRank(item.severity);
		return rank >= 0 && (worst < 0 || rank < worst) ? rank : worst;
	}, -1);
	const statuses = new Set(group.map((item) => item.status));
	const suppressedByWatcher: Record<string, number> = {};
	for (const item of group) {
		for (const [watcher, count] of Object.entries((item.suppressedByWatcher ?? {}) as Record<string, number>)) {
			suppressedByWatcher[watcher] = (suppressedByWatcher[watcher] ?? 0) + count;
		}
	}
	const { watchers, suppressedCount: _first, suppressedByWatcher: _firstByWatcher, ...sample } = first;
	return {
		event_type: first.event_type,
		timestamp: last.timestamp,
		severity: mostSevere >= 0 ? group.find((item) => severityRank(item.severity) === mostSevere)!.severity : first.severity,
		status: statuses.size === 1 ? first.status : 'mixed',
		pce_fqdn: first.pce_fqdn,
		org_id: first.org_id,
		href: first.href,
		is_grouped: true,
		group_count: group.length,
		group_first_timestamp: first.timestamp,
		group_last_timestamp: last.timestamp,
		group_hrefs: group.map((item) => item.href as string),
		group_sample: sample,
		watchers,
		suppressedCount: group.reduce((sum, item) => sum + (item.suppressedCount as number), 0),
		...(Object.keys(suppressedByWatcher).length > 0 ? { suppressedByWatcher } : {}),
	};
}

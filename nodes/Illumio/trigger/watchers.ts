import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import type { EventQuery } from '../transport/events';
import {
	compileEventTypePatterns,
	exactEventTypes,
	ILLUMIO_SEVERITIES,
	severityRank,
	splitPatterns,
	type IllumioSeverity,
	type StatusFilter,
} from '../eventFilters';

/** A watcher as the trigger's parameters describe it. */
export interface WatcherSpec {
	name?: string;
	/** comma- or line-separated patterns: exact names, or `*` for any run of characters */
	eventTypes?: string;
	/** the least severe severity that still matches; 'any' for all */
	minSeverity?: IllumioSeverity | 'any';
	status?: StatusFilter;
	/** at most one item per event type (and resource) per this many minutes; 0 = no throttling */
	throttleMinutes?: number;
	/** throttle per event type and resource rather than per event type */
	throttleByResource?: boolean;
}

export interface Watcher {
	name: string;
	patterns: string[];
	matchesType: (eventType: string) => boolean;
	/** index into ILLUMIO_SEVERITIES of the least severe severity that matches */
	maxSeverityRank: number;
	status: StatusFilter;
	throttleMs: number;
	throttleByResource: boolean;
}

const ANY_SEVERITY = ILLUMIO_SEVERITIES.length - 1;

/** Checks and compiles the watchers; every problem names the watcher and the field. */
export function compileWatchers(specs: readonly WatcherSpec[]): Watcher[] {
	const seen = new Set<string>();
	return specs.map((spec, index) => {
		const name = (spec.name ?? '').trim();
		if (name === '') {
			throw new ApplianceError('config', `Watcher ${index + 1} has no name`, {
				description: 'Give every watcher a name: items carry the names of the watchers they matched, and a Switch node routes by them.',
			});
		}
		if (seen.has(name)) {
			throw new ApplianceError('config', `Two watchers are named "${name}"`, { description: 'Watcher names must differ so that items can be routed by them.' });
		}
		seen.add(name);
		const patterns = splitPatterns(spec.eventTypes);
		if (patterns.length === 0) {
			throw new ApplianceError('config', `Watcher "${name}" has no event type pattern`, {
				description: 'Enter event types such as user.login, patterns such as user.* or *.delete, or * for every event.',
			});
		}
		const matchesType = compileEventTypePatterns(patterns, `Watcher "${name}"`);
		const throttleMinutes = spec.throttleMinutes ?? 0;
		if (typeof throttleMinutes !== 'number' || !Number.isFinite(throttleMinutes) || throttleMinutes < 0) {
			throw new ApplianceError('config', `Watcher "${name}": Throttle (Minutes) must be 0 or more, not ${String(throttleMinutes)}`, {
				description: '0 turns throttling off; N lets at most one item per event type through every N minutes.',
			});
		}
		const minSeverity = spec.minSeverity ?? 'any';
		const maxSeverityRank = minSeverity === 'any' ? ANY_SEVERITY : severityRank(minSeverity);
		if (maxSeverityRank < 0) {
			throw new ApplianceError('config', `Watcher "${name}": unknown minimum severity "${String(minSeverity)}"`, {
				description: `Choose one of ${ILLUMIO_SEVERITIES.join(', ')}, or any.`,
			});
		}
		const status = spec.status ?? 'any';
		if (!['any', 'success', 'failure'].includes(status)) {
			throw new ApplianceError('config', `Watcher "${name}": unknown status "${String(status)}"`, { description: 'Choose success, failure or any.' });
		}
		return { name, patterns, matchesType, maxSeverityRank, status, throttleMs: throttleMinutes * 60_000, throttleByResource: spec.throttleByResource === true };
	});
}

/**
 * What the PCE can filter for the watchers together, so fewer events travel: the union of their exact
 * event types (none when a pattern has a wildcard), the severities down to the least demanding minimum,
 * and a status when all watchers want the same one. Nothing when unmatched events are wanted too.
 */
export function serverSideFilter(watchers: readonly Watcher[], emitUnmatched: boolean): Pick<EventQuery, 'eventTypes' | 'severities' | 'status'> {
	if (emitUnmatched || watchers.length === 0) return {};
	const exact = watchers.every((watcher) => exactEventTypes(watcher.patterns) !== undefined);
	const eventTypes = exact ? [...new Set(watchers.flatMap((watcher) => watcher.patterns))] : undefined;
	const leastDemanding = Math.max(...watchers.map((watcher) => watcher.maxSeverityRank));
	const statuses = new Set(watchers.map((watcher) => watcher.status));
	const [status] = statuses;
	return {
		eventTypes,
		severities: leastDemanding < ANY_SEVERITY ? ILLUMIO_SEVERITIES.slice(0, leastDemanding + 1) : undefined,
		status: statuses.size === 1 && status !== 'any' ? status : undefined,
	};
}

/** The watchers an event matches, in the watchers' order. */
export function matchingWatchers(watchers: readonly Watcher[], event: IDataObject): Watcher[] {
	const eventType = typeof event.event_type === 'string' ? event.event_type : '';
	const rank = severityRank(event.severity);
	return watchers.filter((watcher) => {
		if (!watcher.matchesType(eventType)) return false;
		// An unknown severity only passes a watcher that takes every severity.
		if (watcher.maxSeverityRank < ANY_SEVERITY && (rank < 0 || rank > watcher.maxSeverityRank)) return false;
		return watcher.status === 'any' || event.status === watcher.status;
	});
}

import type { INodeProperties } from 'n8n-workflow';

import { ApplianceError } from '../shared/errors';

/** PCE severities, most severe first (illumio-py's constants). */
export const ILLUMIO_SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export type IllumioSeverity = (typeof ILLUMIO_SEVERITIES)[number];

export type StatusFilter = 'any' | 'success' | 'failure';

/** 0 for emerg … 7 for debug; -1 for anything else. */
export function severityRank(severity: unknown): number {
	return ILLUMIO_SEVERITIES.indexOf(severity as IllumioSeverity);
}

/** The severities at least as severe as `minimum` ('any' = every one), for the PCE's severity filter. */
export function severitiesFrom(minimum: IllumioSeverity | 'any'): IllumioSeverity[] {
	if (minimum === 'any') return [...ILLUMIO_SEVERITIES];
	const rank = severityRank(minimum);
	if (rank < 0) {
		throw new ApplianceError('config', `Unknown minimum severity "${String(minimum)}"`, { description: `Choose one of ${ILLUMIO_SEVERITIES.join(', ')}, or any.` });
	}
	return ILLUMIO_SEVERITIES.slice(0, rank + 1);
}

/**
 * PCE event types are lowercase words joined by dots (`user.login`, `sec_policy.create`,
 * `system_task.expire_service_account_api_keys`). A pattern outside that alphabet can never match.
 */
const PATTERN_SHAPE = /^[a-z0-9_*]+(\.[a-z0-9_*]+)*$/;

/** Patterns of a comma- or line-separated field, trimmed, empty ones dropped. */
export function splitPatterns(value: string | undefined): string[] {
	return (value ?? '')
		.split(/[,\n]/)
		.map((pattern) => pattern.trim())
		.filter((pattern) => pattern !== '');
}

/** A pattern as an anchored regular expression; `*` spans any characters, dots included. */
export function patternToRegExp(pattern: string): RegExp {
	const source = pattern
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${source}$`);
}

/**
 * Compiles event type patterns (exact names, `user.*`, `*.delete`, `*`) into one predicate. A pattern
 * that can never match a PCE event type is refused with a message naming `field` and the fix.
 */
export function compileEventTypePatterns(patterns: readonly string[], field: string): (eventType: string) => boolean {
	for (const pattern of patterns) {
		if (PATTERN_SHAPE.test(pattern)) continue;
		const lower = pattern.toLowerCase();
		const description =
			lower !== pattern && PATTERN_SHAPE.test(lower)
				? `PCE event types are lowercase: write "${lower}".`
				: 'PCE event types are lowercase words joined by dots (user.login, sec_policy.create); use * for any part (user.*, *.delete) and separate patterns with commas.';
		throw new ApplianceError('config', `${field}: the event type pattern "${pattern}" can never match`, { description });
	}
	const regexps = patterns.map(patternToRegExp);
	return (eventType) => regexps.some((regexp) => regexp.test(eventType));
}

/** The patterns as exact names for the PCE's own event_type filter, or undefined when one has a wildcard. */
export function exactEventTypes(patterns: readonly string[]): string[] | undefined {
	return patterns.some((pattern) => pattern.includes('*')) ? undefined : [...patterns];
}

const SEVERITY_OPTIONS = [
	{ name: 'Any', value: 'any' },
	{ name: 'Emergency (Emerg)', value: 'emerg' },
	{ name: 'Alert', value: 'alert' },
	{ name: 'Critical (Crit)', value: 'crit' },
	{ name: 'Error (Err)', value: 'err' },
	{ name: 'Warning', value: 'warning' },
	{ name: 'Notice', value: 'notice' },
	{ name: 'Info', value: 'info' },
	{ name: 'Debug', value: 'debug' },
];

/** Event type patterns, minimum severity and status: the filters of Event → Get Many and of each watcher. */
export function eventFilterProperties(eventTypesDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Event Types',
			name: 'eventTypes',
			type: 'string',
			default: '',
			placeholder: 'user.*, *.delete, sec_policy.create',
			description: eventTypesDescription,
		},
		{
			displayName: 'Minimum Severity',
			name: 'minSeverity',
			type: 'options',
			options: SEVERITY_OPTIONS,
			default: 'any',
			description: 'Only events at least this severe (emerg is the most severe, debug the least)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Any', value: 'any' },
				{ name: 'Success', value: 'success' },
				{ name: 'Failure', value: 'failure' },
			],
			default: 'any',
		},
	];
}

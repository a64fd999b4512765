import { isIP } from 'node:net';

import { toSyslogSeverity } from '../../shared/severity';
import { parseTimestamp } from '../../shared/time';
import { SEVERITY_NAMES, type EventFact, type EventSeverity } from './types';

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Longest text one summary value keeps (a 1 MB field is cut here once, not in every preset). */
export const MAX_VALUE_LENGTH = 20_000;

/** Text for a scalar (objects and arrays as compact JSON); undefined when absent or empty. */
export function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	let result: string;
	if (typeof value === 'string') result = value;
	else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') result = String(value);
	else {
		try {
			result = JSON.stringify(value) ?? '';
		} catch {
			return undefined;
		}
	}
	if (result.trim() === '') return undefined;
	return result.length > MAX_VALUE_LENGTH ? `${result.slice(0, MAX_VALUE_LENGTH)}…` : result;
}

/** The first of several fields that holds a value. */
export function firstText(item: Fields, keys: readonly string[]): { key: string; value: string } | undefined {
	for (const key of keys) {
		const value = text(item[key]);
		if (value !== undefined) return { key, value };
	}
	return undefined;
}

export function severityOf(code: number): EventSeverity {
	return { code, name: SEVERITY_NAMES[code] };
}

export interface SeverityReading {
	severity?: EventSeverity;
	severityText?: string;
	severityField?: string;
}

/** A severity on the syslog scale from a name or number; the raw text is kept when no scale knows it. */
export function readSeverity(value: unknown, field: string): SeverityReading {
	const raw = text(value);
	if (raw === undefined) return {};
	const code = toSyslogSeverity(value);
	return { severity: code === undefined ? undefined : severityOf(code), severityText: raw, severityField: field };
}

export interface TimeReading {
	time?: Date;
	timeText?: string;
}

export function readTime(value: unknown): TimeReading {
	const raw = text(value);
	if (raw === undefined) return {};
	const parsed = parseTimestamp(value);
	return parsed ? { time: parsed, timeText: raw } : { timeText: raw };
}

/** An IP address, or undefined (CEF src/dst and similar fields take addresses only). */
export function ipAddress(value: string | undefined): string | undefined {
	return value !== undefined && isIP(value.trim()) !== 0 ? value.trim() : undefined;
}

/** Facts with a value, in the order given. */
export function facts(pairs: ReadonlyArray<readonly [string, string | undefined]>): EventFact[] {
	const result: EventFact[] = [];
	for (const [label, value] of pairs) if (value !== undefined && value !== '') result.push({ label, value });
	return result;
}

/** "a, b, c and 4 more": a bounded list of a few names. */
export function listSome(values: string[], most = 5): string {
	const shown = values.slice(0, most).join(', ');
	return values.length > most ? `${shown} and ${values.length - most} more` : shown;
}

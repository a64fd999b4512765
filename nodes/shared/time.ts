/**
 * Parses the timestamps our vendors use: ISO 8601 / RFC 3339 strings, naive ISO strings (taken as
 * UTC, as VCO and the original scripts write them), epoch milliseconds and epoch seconds (vRNI).
 * Returns undefined for anything else so callers can say which field was wrong.
 */
export function parseTimestamp(value: unknown): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (typeof value === 'number') return fromEpoch(value);
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return fromEpoch(Number(trimmed));
	// A date-time without a zone is UTC for every appliance we talk to, never the server's local time.
	const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed) ? `${trimmed}Z` : trimmed;
	const parsed = new Date(withZone);
	return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Numbers below 10^11 are epoch seconds (before year 5138), larger ones epoch milliseconds. */
function fromEpoch(value: number): Date | undefined {
	if (!Number.isFinite(value) || value < 0) return undefined;
	const date = new Date(value < 1e11 ? value * 1000 : value);
	// Beyond ±8.64e15 ms a Date is invalid ("Invalid time value" later): say "not a time" here instead.
	return Number.isNaN(date.getTime()) ? undefined : date;
}

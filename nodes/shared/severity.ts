/**
 * Severity names used by our vendors, on the syslog scale (0 emergency … 7 debug):
 * VCO (EMERGENCY … DEBUG), Illumio (emerg, crit, err …), SMC alerts (Low … Critical) and CEF words.
 */
const SYSLOG_SEVERITY_BY_NAME: Readonly<Record<string, number>> = {
	emergency: 0,
	emerg: 0,
	panic: 0,
	alert: 1,
	critical: 2,
	crit: 2,
	'very-high': 2,
	error: 3,
	err: 3,
	high: 3,
	warning: 4,
	warn: 4,
	medium: 4,
	notice: 5,
	low: 5,
	info: 6,
	informational: 6,
	information: 6,
	debug: 7,
};

/** CEF's own words, each at the top of its documented band (Low 0–3, Medium 4–6, High 7–8, Very-High 9–10). */
const CEF_BY_WORD: Readonly<Record<string, number>> = { low: 3, medium: 6, high: 8, 'very-high': 10 };

/** CEF severity (0–10) for each syslog severity (0–7): the emergency end maps to 10. */
const CEF_BY_SYSLOG = [10, 9, 8, 7, 5, 3, 1, 0] as const;

/** Syslog severity 0–7 for a name or number, or undefined when the value names no severity. */
export function toSyslogSeverity(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 7 ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim().toLowerCase();
	if (/^[0-7]$/.test(trimmed)) return Number(trimmed);
	return SYSLOG_SEVERITY_BY_NAME[trimmed];
}

/** CEF severity 0–10 for a name, a syslog-scale name, or a number already on the 0–10 scale. */
export function toCefSeverity(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 10 ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim().toLowerCase();
	if (/^(10|[0-9])$/.test(trimmed)) return Number(trimmed);
	if (trimmed in CEF_BY_WORD) return CEF_BY_WORD[trimmed];
	const syslog = SYSLOG_SEVERITY_BY_NAME[trimmed];
	return syslog === undefined ? undefined : CEF_BY_SYSLOG[syslog];
}

export const SEVERITY_NAMES_HINT =
	'a syslog name (emergency, alert, critical, error, warning, notice, info, debug, or their short forms), Low/Medium/High/Very-High, or a number';

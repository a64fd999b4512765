/**
 * Syslog headers for a message body that does not carry one (a CEF line, any text): RFC 5424, or
 * RFC 3164 for old receivers. A body that already is a syslog message (Event Format's syslog preset)
 * is sent as is once its PRI is checked.
 */
export type HeaderFormat = 'rfc5424' | 'rfc3164' | 'asIs';

export interface HeaderFields {
	facility: number;
	severity: number;
	timestamp: Date;
	hostname: string;
	appName: string;
	procId: string;
	msgId: string;
	/** IANA zone for RFC 3164's local time (RFC 5424 writes UTC) */
	timeZone: string;
}

export function rfc5424Header(fields: HeaderFields): string {
	const pri = fields.facility * 8 + fields.severity;
	// no structured data here ("-"): Event Format's syslog preset writes SD-ELEMENTs
	return `<${pri}>1 ${fields.timestamp.toISOString()} ${headerToken(fields.hostname, 255)} ${headerToken(fields.appName, 48)} ${headerToken(fields.procId, 128)} ${headerToken(fields.msgId, 32)} - `;
}

/** `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: ` (RFC 3164 §4.1.2, local time of the sender, no year). */
export function rfc3164Header(fields: HeaderFields): string {
	const tag = fields.appName.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 32) || 'n8n';
	const pid = fields.procId ? `[${headerToken(fields.procId, 16)}]` : '';
	return `<${fields.facility * 8 + fields.severity}>${bsdTimestamp(fields.timestamp, fields.timeZone)} ${headerToken(fields.hostname, 255)} ${tag}${pid}: `;
}

const CLEAN_TOKEN = /^[\x21-\x7e]+$/;

/** Printable US-ASCII without spaces, length-capped; empty is the NILVALUE "-". */
function headerToken(value: string, maxLength: number): string {
	if (value.length <= maxLength && CLEAN_TOKEN.test(value)) return value;
	const cleaned = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
	return cleaned === '' ? '-' : cleaned;
}

const bsdFormatters = new Map<string, Intl.DateTimeFormat>();

/** `Nov  9 07:05:01`: English month, day padded with a space, 24-hour clock. */
function bsdTimestamp(date: Date, timeZone: string): string {
	let formatter = bsdFormatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			month: 'short',
			day: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23',
		});
		bsdFormatters.set(timeZone, formatter);
	}
	const parts = Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]));
	return `${parts.month} ${parts.day.padStart(2, ' ')} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** PRI is 0..191 (facility 0–23 × 8 + severity 0–7), written without leading zeros. */
const PRI = /^<(0|[1-9][0-9]{0,2})>/;

/** True when the text starts with a valid PRI, as a message from Event Format's syslog preset does. */
export function hasSyslogPri(text: string): boolean {
	const match = PRI.exec(text);
	return match !== null && Number(match[1]) <= 191;
}

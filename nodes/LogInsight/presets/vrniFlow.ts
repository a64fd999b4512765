/**
 * The vRNI flow line and fields of the VRNI SDK's flows_to_vrli.py, value for value, from a flow item
 * of Network Insight → Flow → Search (the Flow entity plus the search result's `time`, epoch seconds):
 *
 *   text      vRNI-Flow: <YYYY-MM-DD HH:MM:SS in the chosen zone> <firewall_action> <protocol> <name>
 *   timestamp time × 1000
 *   fields    __vrni_flow_firewall_action, _firewall_rule_id, _traffic_type, _tag, _source_ip,
 *             _destination_ip, _port (port.display), _port_name (port.iana_name), _protocol, _timestamp
 *
 * Field values are what Python's str() prints: a missing value is "None" and the tag list is
 * "['TAG_A', 'TAG_B']". The script prints the flow name as Python 3 prints bytes (b'…'); that is
 * optional here (`pythonBytesName`), since the line its author documents has the plain name.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PresetResult } from './common';

export interface VrniFlowOptions {
	/** IANA zone for the date in the text; the script uses the clock of the machine it runs on */
	timeZone: string;
	/** write the name as b'…', exactly as the script does under Python 3 */
	pythonBytesName: boolean;
}


const FIELD_ORDER = [
	'firewall_action',
	'firewall_rule_id',
	'traffic_type',
	'tag',
	'source_ip',
	'destination_ip',
	'port',
	'port_name',
	'protocol',
	'timestamp',
] as const;

export function vrniFlowEvent(flow: IDataObject, options: VrniFlowOptions): PresetResult {
	const time = flow.time;
	if (typeof time !== 'number' || !Number.isInteger(time) || time < 0) {
		return { ok: false, message: 'The item has no flow time ("time", epoch seconds)', fix: 'Feed the items of Network Insight → Flow → Search, which carry the time of each flow.' };
	}
	if (typeof flow.name !== 'string') {
		return { ok: false, message: 'The item has no flow name ("name")', fix: 'Feed the items of Network Insight → Flow → Search, which carry the Flow entity.' };
	}
	const sourceIp = member(flow.source_ip, 'ip_address');
	const destinationIp = member(flow.destination_ip, 'ip_address');
	const port = flow.port;
	if (sourceIp === undefined || destinationIp === undefined || !port || typeof port !== 'object') {
		return { ok: false, message: 'The flow has no source_ip, destination_ip or port', fix: 'Feed whole Flow entities (Network Insight → Flow → Search), not a subset of their fields.' };
	}
	const name = flow.name.trim();
	const text = `vRNI-Flow: ${localDateTime(time, options.timeZone)} ${pythonStr(flow.firewall_action)} ${pythonStr(flow.protocol)} ${options.pythonBytesName ? pythonBytes(name) : name}`;
	const values: Record<(typeof FIELD_ORDER)[number], unknown> = {
		firewall_action: flow.firewall_action,
		firewall_rule_id: flow.firewall_rule_id,
		traffic_type: flow.traffic_type,
		tag: flow.flow_tag,
		source_ip: sourceIp,
		destination_ip: destinationIp,
		port: member(port, 'display'),
		port_name: member(port, 'iana_name'),
		protocol: flow.protocol,
		timestamp: time,
	};
	return {
		ok: true,
		event: {
			text,
			timestamp: time * 1000,
			fields: FIELD_ORDER.map((key) => ({ name: `__vrni_flow_${key}`, content: pythonStr(values[key]) })),
		},
	};
}

function member(value: unknown, key: string): unknown {
	return value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
}

/** One formatter per zone (making one costs far more than using it). */
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Zone offsets by zone and quarter hour: offsets and their changes fall on quarter hours. */
const offsets = new Map<string, number>();
const QUARTER_HOUR_MS = 15 * 60_000;

function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
	const key = `${timeZone}@${bucket}`;
	let offset = offsets.get(key);
	if (offset === undefined) {
		let formatter = formatters.get(timeZone);
		if (!formatter) {
			formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
			formatters.set(timeZone, formatter);
		}
		const at = bucket * QUARTER_HOUR_MS;
		const parts = formatter.formatToParts(new Date(at));
		const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value);
		offset = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - at;
		// A long run touches few quarter hours; the cache is only emptied if a run spans years of them.
		if (offsets.size > 100_000) offsets.clear();
		offsets.set(key, offset);
	}
	return offset;
}

/** Python's str(datetime.fromtimestamp(t)) with the clock in `timeZone`: "YYYY-MM-DD HH:MM:SS". */
export function localDateTime(epochSeconds: number, timeZone: string): string {
	const local = new Date(epochSeconds * 1000 + zoneOffsetMs(epochSeconds * 1000, timeZone));
	const two = (value: number) => (value < 10 ? `0${value}` : String(value));
	return `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
}

/** Python's str(): None, True/False, ints, lists as repr. */
export function pythonStr(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

function pythonRepr(value: unknown): string {
	return typeof value === 'string' ? pythonQuoted(value, false) : pythonStr(value);
}

/** How Python 3 prints str.encode('utf-8'): b'…' with non-ASCII bytes as \xNN. */
function pythonBytes(value: string): string {
	return `b${pythonQuoted(Buffer.from(value, 'utf8').toString('latin1'), true)}`;
}

const PLAIN_ASCII = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Python's repr() quoting, for str (non-ASCII kept) and for bytes given as latin1 (non-ASCII as \xNN):
 * single quotes unless the text holds one and no double quote.
 */
function pythonQuoted(value: string, escapeNonAscii: boolean): string {
	// Tags, names and addresses are plain ASCII: nothing to escape.
	if (PLAIN_ASCII.test(value)) return `'${value}'`;
	const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
	let body = '';
	for (const char of value) {
		const code = char.charCodeAt(0);
		if (char === quote || char === '\\') body += `\\${char}`;
		else if (ESCAPES[char]) body += ESCAPES[char];
		else if (code < 0x20 || code === 0x7f || (escapeNonAscii && code > 0x7f)) body += `\\x${code.toString(16).padStart(2, '0')}`;
		else body += char;
	}
	return `${quote}${body}${quote}`;
}

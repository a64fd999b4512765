import type { INodePropertyOptions } from 'n8n-workflow';

import { pythonJsonDumps, pythonJsonObject } from '../pythonJson';

/**
 * Named line layouts: which fields an NDJSON line carries, in which order. Event Format's NDJSON
 * preset and Event Archive both write lines through `jsonLine`, so a layout means the same bytes in
 * either node.
 */
export type LineLayoutName = 'asIs' | 'veloCloudEvent';
export type JsonStyle = 'python' | 'compact';

interface LineLayout {
	/** Written first, in this order; a field the record lacks is left out, as VCO leaves it out. */
	readonly leadingFields: readonly string[];
	/** Never written: fields our own triggers add for routing, which the vendor's record does not hold. */
	readonly omittedFields: readonly string[];
}

const LINE_LAYOUTS: Record<LineLayoutName, LineLayout> = {
	asIs: { leadingFields: [], omittedFields: [] },
	/**
	 * A VCO enterprise event as `event/getEnterpriseEvents` returns it, the order the VCO archiver
	 * script's `json.dumps(event)` keeps. The VeloCloud trigger adds enterpriseId and enterpriseName.
	 */
	veloCloudEvent: {
		leadingFields: [
			'id',
			'eventTime',
			'event',
			'category',
			'severity',
			'message',
			'detail',
			'enterpriseUsername',
			'edgeName',
			'segmentName',
		],
		omittedFields: ['enterpriseId', 'enterpriseName'],
	},
};

export const lineLayoutOptions: INodePropertyOptions[] = [
	{ name: 'As Is', value: 'asIs', description: 'Every field, in the order the item holds them' },
	{
		name: 'VeloCloud Event (VCO Archiver Script Compatible)',
		value: 'veloCloudEvent',
		description:
			"VCO's event fields in VCO's order (ID, eventTime … segmentName), then any other field; enterpriseId and enterpriseName, which the VeloCloud Trigger adds, are left out",
	},
];

export const jsonStyleOptions: INodePropertyOptions[] = [
	{ name: 'Compact', value: 'compact', description: 'Standard compact JSON, UTF-8 kept as is' },
	{
		name: 'Python json.dumps Style',
		value: 'python',
		description:
			'", " and ": " separators, non-ASCII escaped as \\uXXXX; with the VeloCloud Event layout, byte-identical to the VCO archiver script\'s lines',
	},
];

/** Fields a layout places or leaves out, as a set: looked up for every field of every event. */
const placedFields = (layout: LineLayout): ReadonlySet<string> => new Set([...layout.leadingFields, ...layout.omittedFields]);
const PLACED_FIELDS: Record<LineLayoutName, ReadonlySet<string>> = {
	asIs: placedFields(LINE_LAYOUTS.asIs),
	veloCloudEvent: placedFields(LINE_LAYOUTS.veloCloudEvent),
};

/** The keys a record is written with under a layout. */
export function layoutKeys(layoutName: LineLayoutName, record: Record<string, unknown>): string[] {
	const layout = LINE_LAYOUTS[layoutName];
	if (layout.leadingFields.length === 0 && layout.omittedFields.length === 0) return Object.keys(record);
	const placed = PLACED_FIELDS[layoutName];
	const keys = layout.leadingFields.slice();
	for (const field in record) if (!placed.has(field)) keys.push(field);
	return keys;
}

/**
 * One JSON line (no line break) for a value: an object is laid out by the named layout, anything
 * else (a list, text, a number) is serialised as it is.
 */
export function jsonLine(value: unknown, layoutName: LineLayoutName, style: JsonStyle): string {
	if (!isRecord(value)) return style === 'python' ? pythonJsonDumps(value) : (JSON.stringify(value) ?? 'null');
	const keys = layoutKeys(layoutName, value);
	return style === 'python' ? pythonJsonObject(value, keys) : compactJsonObject(value, keys);
}

/**
 * `JSON.stringify` with the keys in the given order. (`JSON.stringify(value, keys)` would be shorter,
 * but its key list filters nested objects too: an object `detail` came out as `{}`.)
 */
function compactJsonObject(record: Record<string, unknown>, keys: readonly string[]): string {
	const parts: string[] = [];
	for (const key of keys) {
		const json = JSON.stringify(record[key]) as string | undefined;
		if (json !== undefined) parts.push(`${JSON.stringify(key)}:${json}`);
	}
	// The braces joined in with the parts: one flat string, as in pythonJsonObject.
	if (parts.length === 0) return '{}';
	parts[0] = `{${parts[0]}`;
	parts[parts.length - 1] += '}';
	return parts.join(',');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

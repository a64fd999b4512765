import type { IDataObject } from 'n8n-workflow';

import { pythonJsonObject } from '../shared/pythonJson';

/** VCO's event fields in VCO's order: the seed archiver's line layout. */
export const VELOCLOUD_EVENT_FIELDS = [
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
] as const;

/** Fields our trigger adds for routing; they are not part of VCO's event and stay out of its line. */
const ROUTING_FIELDS = new Set(['enterpriseId', 'enterpriseName']);
const VELOCLOUD_FIELD_SET = new Set<string>(VELOCLOUD_EVENT_FIELDS);

export type JsonStyle = 'python' | 'compact';

/** The item's fields, in its own order. */
export function itemLine(item: IDataObject, style: JsonStyle): string {
	return style === 'python' ? pythonJsonObject(item, Object.keys(item)) : JSON.stringify(item);
}

/** The event as the seed wrote it: VCO's fields first in VCO's order, then any others VCO returned. */
export function veloCloudEventLine(item: IDataObject, style: JsonStyle): string {
	const keys: string[] = [...VELOCLOUD_EVENT_FIELDS];
	for (const field in item) {
		if (!VELOCLOUD_FIELD_SET.has(field) && !ROUTING_FIELDS.has(field)) keys.push(field);
	}
	return style === 'python' ? pythonJsonObject(item, keys) : JSON.stringify(item, keys);
}

/**
 * Joins lines into chunks of whole lines of about `chunkBytes`, each written with one append: a crash
 * can lose a chunk not yet written, never leave half a line.
 */
export function wholeLineChunks(lines: string[], chunkBytes = 1024 * 1024): string[] {
	const chunks: string[] = [];
	let current = '';
	for (const line of lines) {
		if (current.length > 0 && current.length + line.length + 1 > chunkBytes) {
			chunks.push(current);
			current = '';
		}
		current += `${line}\n`;
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

import type { IDataObject } from 'n8n-workflow';

import { pythonJsonDumps } from '../shared/pythonJson';

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

export type JsonStyle = 'python' | 'compact';

export function serialise(value: unknown, style: JsonStyle): string {
	return style === 'python' ? pythonJsonDumps(value) : JSON.stringify(value);
}

/** The event as the seed wrote it: VCO's fields first in VCO's order, then any others VCO returned. */
export function veloCloudEventRecord(item: IDataObject): IDataObject {
	const record: IDataObject = {};
	for (const field of VELOCLOUD_EVENT_FIELDS) if (item[field] !== undefined) record[field] = item[field];
	for (const [field, value] of Object.entries(item)) {
		if (!(field in record) && !ROUTING_FIELDS.has(field) && value !== undefined) record[field] = value;
	}
	return record;
}

/**
 * Joins lines into chunks of whole lines of about `chunkBytes`, each written with one append: a crash
 * can lose a chunk not yet written, never leave half a line.
 */
export function wholeLineChunks(lines: string[], chunkBytes = 1024 * 1024): string[] {
	const chunks: string[] = [];
	let current: string[] = [];
	let size = 0;
	for (const line of lines) {
		const text = `${line}\n`;
		if (size > 0 && size + text.length > chunkBytes) {
			chunks.push(current.join(''));
			current = [];
			size = 0;
		}
		current.push(text);
		size += text.length;
	}
	if (current.length > 0) chunks.push(current.join(''));
	return chunks;
}

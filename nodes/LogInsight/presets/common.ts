import type { IngestField } from '../events';

/** What a preset makes of an item: the text, the time (any form the ingest rules read) and fields. */
export interface PresetEvent {
	text: string;
	timestamp: unknown;
	fields: IngestField[];
}

export type PresetResult = { ok: true; event: PresetEvent } | { ok: false; message: string; fix: string };

/** Fields in the order given; absent values are left out, objects become compact JSON. */
export function fieldsOf(prefix: string, values: ReadonlyArray<[string, unknown]>): IngestField[] {
	const fields: IngestField[] = [];
	for (const [name, value] of values) {
		if (value === undefined || value === null || value === '') continue;
		fields.push({ name: `${prefix}${name}`, content: typeof value === 'object' ? JSON.stringify(value) : String(value) });
	}
	return fields;
}

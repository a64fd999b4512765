import type { MonitoringRecord } from '../../transport/monitoring';

/** RFC 4180 text: a header of every key seen (in order of first appearance), one line per record. */
export function recordsToCsv(records: MonitoringRecord[]): string {
	const columns: string[] = [];
	const seen = new Set<string>();
	for (const record of records) {
		for (const key of Object.keys(record)) {
			if (!seen.has(key)) {
				seen.add(key);
				columns.push(key);
			}
		}
	}
	const lines = [columns.map(cell).join(',')];
	for (const record of records) lines.push(columns.map((column) => cell(record[column])).join(','));
	return `${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
	if (value === undefined || value === null) return '';
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

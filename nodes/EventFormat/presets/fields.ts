import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { SEVERITY_NAMES_HINT, toCefSeverity, toSyslogSeverity } from '../../shared/severity';
import type { EventSummary } from '../summary';

/** Reads a field a preset cannot do without; a clear per-item error names the field and the fix. */
export function requireField(
	context: IExecuteFunctions,
	item: IDataObject,
	path: string,
	itemIndex: number,
	purpose: string,
): unknown {
	const value = getFieldValue(item, path);
	if (isMissing(value)) {
		throw new NodeOperationError(context.getNode(), `The item has no "${path}" field for the ${purpose}`, {
			itemIndex,
			description: `Set the ${purpose} field to a field the items carry, or add "${path}" upstream (an Edit Fields node, say).`,
		});
	}
	return value;
}

/** Text for a scalar; objects and arrays become compact JSON. */
export function toText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

export type ControlCharacters = 'escape' | 'space';

/**
 * How line-oriented presets (syslog, CEF, text) write line breaks and other control characters
 * from an event, so that no event can end its own record and forge the next one.
 */
export const controlCharactersProperty: INodeProperties = {
	displayName: 'Control Characters',
	name: 'controlCharacters',
	type: 'options',
	options: [
		{ name: 'Escape', value: 'escape', description: 'Line breaks as \\n and \\r, other controls as \\u00XX; the record stays one line' },
		{ name: 'Replace With Space', value: 'space', description: 'Each line break or control character becomes a space' },
	],
	default: 'escape',
};

/** The two scales line formats write: syslog 0 (emergency) … 7, CEF 0 … 10 (most severe). */
export type SeverityScale = 'syslog' | 'cef';

const SCALES: Record<SeverityScale, { read: (value: unknown) => number | undefined; range: string }> = {
	syslog: { read: toSyslogSeverity, range: '0–7' },
	cef: { read: toCefSeverity, range: '0–10' },
};

/** The severity in a field the user named: a clear per-item error when it is missing or names no severity. */
export function severityFromField(context: IExecuteFunctions, itemIndex: number, item: IDataObject, field: string, scale: SeverityScale): number {
	const raw = requireField(context, item, field, itemIndex, 'severity');
	const severity = SCALES[scale].read(raw);
	if (severity === undefined) {
		throw new NodeOperationError(context.getNode(), `"${toText(raw)}" in "${field}" is not a severity`, {
			itemIndex,
			description: `Use ${SEVERITY_NAMES_HINT} ${SCALES[scale].range}.`,
		});
	}
	return severity;
}

/** The event's own severity; a word no scale knows is an error, none at all is informational. */
export function severityFromSummary(context: IExecuteFunctions, itemIndex: number, summary: EventSummary, scale: SeverityScale): number {
	const name = summary.severity?.name ?? (summary.severityText === undefined ? 'info' : undefined);
	const severity = name === undefined ? undefined : SCALES[scale].read(name);
	if (severity !== undefined) return severity;
	throw new NodeOperationError(context.getNode(), `"${summary.severityText}" in "${summary.severityField}" is not a severity`, {
		itemIndex,
		description: `Use ${SEVERITY_NAMES_HINT} ${SCALES[scale].range}, or set Severity Field or Event Fields › Severity.`,
	});
}

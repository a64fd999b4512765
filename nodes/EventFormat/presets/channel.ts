import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { EventFact, EventSummary } from '../summary';
import { singleLine } from './safeText';

/**
 * What the chat, mail and ticket presets show the same way: the severity word and colour, the
 * source, the time, and the labelled facts, all from the event summary.
 */

/** Syslog code shown when an event carries no severity a scale knows. */
const DEFAULT_CODE = 6;

export function severityCode(summary: EventSummary): number {
	return summary.severity?.code ?? DEFAULT_CODE;
}

/** "CRITICAL", or the event's own word when no scale knows it. */
export function severityLabel(summary: EventSummary): string {
	return singleLine(summary.severity?.name ?? summary.severityText ?? 'info').toUpperCase();
}

/** Colour per syslog code: red for the worst, orange, amber, blue, and grey for information. */
const COLOURS = ['#B71C1C', '#C62828', '#D32F2F', '#EF6C00', '#F9A825', '#1565C0', '#607D8B', '#9E9E9E'] as const;

export function severityColour(summary: EventSummary): string {
	return COLOURS[severityCode(summary)];
}

/** "VMware VeloCloud Orchestrator"; empty for an item of no known vendor. */
export function sourceLabel(summary: EventSummary): string {
	return [summary.vendor, summary.product].filter(Boolean).join(' ');
}

/** ISO 8601 UTC when the time could be read, else the event's own text. */
export function timeLabel(summary: EventSummary): string | undefined {
	return summary.time ? summary.time.toISOString() : summary.timeText;
}

/**
 * Severity, time, type, who and where, then the vendor's own facts (each label once, and a value
 * already shown under another label only once).
 */
export function channelFacts(summary: EventSummary): EventFact[] {
	const result: EventFact[] = [];
	const add = (label: string, value: string | undefined) => {
		if (value === undefined || value === '') return;
		if (result.some((fact) => fact.label === label || fact.value === value)) return;
		result.push({ label, value });
	};
	add('Severity', severityLabel(summary));
	add('Time', timeLabel(summary));
	add('Event type', summary.eventType);
	add('Who', summary.who);
	add('Where', summary.where);
	for (const fact of summary.facts) add(fact.label, fact.value);
	return result;
}

/** "CRITICAL · VMware VeloCloud Orchestrator · 2026-11-29T10:15:00.000Z" on one line. */
export function subtitle(summary: EventSummary): string {
	const parts = [severityLabel(summary), sourceLabel(summary), timeLabel(summary)];
	return parts
		.filter((part): part is string => Boolean(part))
		.map(singleLine)
		.join(' · ');
}

/** The Options collection each channel preset shows under its name. */
export function channelOptions(name: string, preset: string, options: INodeProperties[]): INodeProperties[] {
	const collection: INodeProperties = { displayName: 'Options', name, type: 'collection', placeholder: 'Add Option', default: {}, options };
	return updateDisplayOptions({ show: { preset: [preset] } }, [collection]);
}

export const buttonTextOption: INodeProperties = {
	displayName: 'Button Text',
	name: 'buttonText',
	type: 'string',
	default: 'View event',
	description: 'Label of the button that opens the event link (shown only when a link is known)',
};

export function includeEventJsonOption(limit: string): INodeProperties {
	return {
		displayName: 'Include Event JSON',
		name: 'includeEventJson',
		type: 'boolean',
		default: true,
		description: `Whether to append the whole event as JSON (${limit}) for the reader who needs every field`,
	};
}

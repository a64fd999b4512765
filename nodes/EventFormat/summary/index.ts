import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SEVERITY_NAMES_HINT, toSyslogSeverity } from '../../shared/severity';
import { isSmcElementChange, isSmcLogRecord, summarizeSmcElementChange, summarizeSmcLog } from './forcepointSmc';
import { summarizeGeneric } from './generic';
import { isIllumioEvent, summarizeIllumio } from './illumio';
import { isNetworkInsightFlow, summarizeNetworkInsightFlow } from './networkInsight';
import { readTime, severityOf, type Fields } from './read';
import type { EventSummary, SummaryOptions } from './types';
import { isVeloCloudEvent, summarizeVeloCloud } from './velocloud';

export type { EventFact, EventSeverity, EventSummary, SeverityName, SummaryOptions, VendorShape } from './types';
export { SEVERITY_NAMES } from './types';

/**
 * The one place that recognises which vendor an item came from, by its shape, and reads who, what,
 * where, when, severity and link from it. Every preset formats from this summary.
 * The most specific shapes are tried first; anything else is read by common field names.
 */
const SHAPES: ReadonlyArray<[(item: Fields) => boolean, (item: Fields, options: SummaryOptions) => EventSummary]> = [
	[isIllumioEvent, summarizeIllumio],
	[isVeloCloudEvent, summarizeVeloCloud],
	[isSmcElementChange, summarizeSmcElementChange],
	[isSmcLogRecord, summarizeSmcLog],
	[isNetworkInsightFlow, summarizeNetworkInsightFlow],
];

export function summarizeEvent(item: IDataObject, options: SummaryOptions = {}): EventSummary {
	for (const [matches, summarize] of SHAPES) if (matches(item)) return summarize(item, options);
	return summarizeGeneric(item, options);
}

/** Values the user set for one item (each may be an expression); empty means "from the event". */
export interface EventFieldOverrides {
	vendor?: string;
	product?: string;
	eventType?: string;
	title?: string;
	message?: string;
	who?: string;
	where?: string;
	time?: string;
	severity?: string;
	link?: string;
	id?: string;
	applianceUrl?: string;
}

const override = (name: keyof EventFieldOverrides, displayName: string, description: string, placeholder = ''): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description,
});

/** The Event Fields collection: every part of the summary, overridable per item by expression. */
export const eventFieldsProperty: INodeProperties = {
	displayName: 'Event Fields',
	name: 'eventFields',
	type: 'collection',
	placeholder: 'Override a Field',
	default: {},
	description:
		'Each part of the message is read from the event (VeloCloud, Illumio, Forcepoint SMC, vRealize Network Insight or any item with common field names). Set a value here, usually an expression, to replace it.',
	options: [
		override('applianceUrl', 'Appliance UI URL', 'Base address of the appliance UI, used for the link (Illumio events link to the event itself; PCE default: https://<pce_fqdn>:8443)', 'https://vco.example.com'),
		override('eventType', 'Event Type', 'The kind of event (VCO event, Illumio event_type, SMC situation)', 'LINK_DEAD'),
		override('id', 'Event ID', 'The event’s ID on its appliance'),
		override('link', 'Link', 'A link to the event (http or https only)'),
		override('message', 'Message', 'What happened, in words'),
		override('product', 'Product', 'For example VeloCloud Orchestrator'),
		override('severity', 'Severity', `The severity: ${SEVERITY_NAMES_HINT} 0–7`),
		override('time', 'Time', 'When it happened (ISO 8601 or epoch seconds or milliseconds)'),
		override('title', 'Title', 'One line naming the event (subjects, headers)'),
		override('vendor', 'Vendor', 'For example VMware, Illumio, Forcepoint'),
		override('where', 'Where', 'The edge, workload, engine or host concerned'),
		override('who', 'Who', 'The user, agent or address that caused it'),
	],
};

/** Applies the user's values over what the event gave; returns an error text for a value no scale or calendar reads. */
export function applyOverrides(summary: EventSummary, overrides: EventFieldOverrides): { summary: EventSummary; problem?: string } {
	const result: EventSummary = { ...summary };
	const given = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
	const plain = ['vendor', 'product', 'eventType', 'title', 'message', 'who', 'where', 'link', 'id'] as const;
	for (const name of plain) {
		const value = overrides[name];
		if (given(value)) result[name] = value;
	}
	if (given(overrides.severity)) {
		const code = toSyslogSeverity(overrides.severity);
		if (code === undefined) return { summary: result, problem: `"${overrides.severity}" in Event Fields › Severity is not a severity` };
		result.severity = severityOf(code);
		result.severityText = overrides.severity;
		result.severityField = 'Event Fields › Severity';
	}
	if (given(overrides.time)) {
		const reading = readTime(overrides.time);
		if (!reading.time) return { summary: result, problem: `"${overrides.time}" in Event Fields › Time is not a date` };
		result.time = reading.time;
		result.timeText = reading.timeText;
	}
	return { summary: result };
}

/** The summary of one input item, with the node's Event Fields applied. */
export function readEventSummary(context: IExecuteFunctions, itemIndex: number, item: IDataObject): EventSummary {
	const overrides = (context.getNodeParameter('eventFields', itemIndex, {}) ?? {}) as EventFieldOverrides;
	const applianceUrl = typeof overrides.applianceUrl === 'string' && overrides.applianceUrl.trim() ? overrides.applianceUrl.trim() : undefined;
	const { summary, problem } = applyOverrides(summarizeEvent(item, { applianceUrl }), overrides);
	if (problem) {
		throw new NodeOperationError(context.getNode(), problem, {
			itemIndex,
			description: `Use ${SEVERITY_NAMES_HINT} 0–7 for the severity, and an ISO 8601 date-time or epoch seconds or milliseconds for the time.`,
		});
	}
	return summary;
}

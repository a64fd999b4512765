import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { channelFacts, channelOptions, includeEventJsonOption, severityCode, severityLabel, sourceLabel } from './channel';
import { boundedJson, displayText, safeHttpUrl, singleLine, truncate } from './safeText';

export const SERVICENOW_LIMITS = {
	/** incident.short_description column size */
	shortDescription: 160,
	/** task.description column size (4,000 unless an admin raised it) */
	description: 4000,
	/** task.correlation_id column size */
	correlationId: 100,
	eventJson: 1500,
} as const;

/** Urgency and impact 1 (high) … 3 (low), by syslog code: 0–3 high, 4 medium, 5–7 low. */
const LEVEL_BY_CODE = ['1', '1', '1', '1', '2', '3', '3', '3'] as const;

export const description = channelOptions('serviceNowOptions', 'serviceNow', [includeEventJsonOption('cut to fit the 4,000-character description')]);

export interface ServiceNowOptions {
	includeEventJson?: boolean;
}

/**
 * Incident fields for the ServiceNow node (Incident → Create) or the Table API: short_description,
 * description (plain text), urgency and impact from the severity, and a correlation_id that names
 * the event so a flow can find an incident already open for it.
 */
export function buildServiceNowIncident(summary: EventSummary, item: IDataObject, options: ServiceNowOptions = {}): IDataObject {
	const code = severityCode(summary);
	const url = safeHttpUrl(summary.link);
	const head = [
		truncate(displayText(summary.message), 2000),
		'',
		...channelFacts(summary).map((fact) => `${singleLine(fact.label)}: ${truncate(singleLine(fact.value), 300)}`),
		...(url ? [`Link: ${url}`] : []),
	].join('\n');
	const json = options.includeEventJson === false ? '' : `\n\nEvent:\n${boundedJson(item, SERVICENOW_LIMITS.eventJson)}`;
	const source = sourceLabel(summary);
	const result: IDataObject = {
		short_description: truncate(singleLine(`[${severityLabel(summary)}] ${summary.title}`), SERVICENOW_LIMITS.shortDescription),
		// The facts come first, so what is cut to fit is the JSON at the end.
		description: truncate(head + json, SERVICENOW_LIMITS.description),
		urgency: LEVEL_BY_CODE[code],
		impact: LEVEL_BY_CODE[code],
	};
	if (summary.id) {
		result.correlation_id = truncate(singleLine(`${source || 'event'}:${summary.eventType}:${summary.id}`), SERVICENOW_LIMITS.correlationId, '');
	}
	return result;
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('serviceNowOptions', itemIndex, {}) as ServiceNowOptions;
	return buildServiceNowIncident(readEventSummary(this, itemIndex, item), item, options);
}

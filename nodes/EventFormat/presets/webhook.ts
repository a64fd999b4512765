import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { channelOptions } from './channel';
import { displayText, safeHttpUrl, singleLine } from './safeText';

/** Names the envelope so a receiver can check it; the version only changes when a field changes meaning or goes away. */
export const WEBHOOK_SCHEMA = 'n8n-nodes-netsec-events/event';
export const WEBHOOK_SCHEMA_VERSION = 1;

export const description = channelOptions('webhookOptions', 'webhook', [
	{
		displayName: 'Include Original Event',
		name: 'includeEvent',
		type: 'boolean',
		default: true,
		description: 'Whether to carry the input item, unchanged, under "event"',
	},
]);

export interface WebhookOptions {
	includeEvent?: boolean;
}

/**
 * The webhook envelope (documented in the README): every key is always present, null when the event
 * does not say; severity is a syslog name and code whatever the vendor's own scale.
 */
export function buildWebhookEnvelope(summary: EventSummary, item: IDataObject, options: WebhookOptions = {}): IDataObject {
	const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : displayText(value));
	return {
		schema: WEBHOOK_SCHEMA,
		schemaVersion: WEBHOOK_SCHEMA_VERSION,
		vendor: orNull(summary.vendor),
		product: orNull(summary.product),
		eventType: singleLine(summary.eventType),
		id: orNull(summary.id),
		time: summary.time ? summary.time.toISOString() : null,
		severity: summary.severity?.name ?? null,
		severityCode: summary.severity?.code ?? null,
		severityText: orNull(summary.severityText),
		title: singleLine(summary.title),
		summary: displayText(summary.message),
		who: orNull(summary.who),
		where: orNull(summary.where),
		sourceAddress: orNull(summary.sourceAddress),
		destinationAddress: orNull(summary.destinationAddress),
		link: safeHttpUrl(summary.link) ?? null,
		facts: summary.facts.map((fact) => ({ label: fact.label, value: displayText(fact.value) })),
		event: options.includeEvent === false ? null : item,
	};
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('webhookOptions', itemIndex, {}) as WebhookOptions;
	return buildWebhookEnvelope(readEventSummary(this, itemIndex, item), item, options);
}

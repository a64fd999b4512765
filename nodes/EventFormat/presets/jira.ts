import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { channelFacts, channelOptions, includeEventJsonOption, severityCode, severityLabel, sourceLabel } from './channel';
import { boundedJson, displayText, safeHttpUrl, singleLine, truncate } from './safeText';

export const JIRA_LIMITS = {
	/** Jira refuses a summary over 255 characters or with a line break */
	summary: 255,
	/** Jira's text-field limit (jira.text.field.character.limit default) */
	description: 32_767,
	label: 255,
	factValue: 1000,
	message: 10_000,
	eventJson: 15_000,
} as const;

/** Jira's default priority names, by syslog code (0–2 Highest … 6–7 Lowest). */
const PRIORITY_BY_CODE = ['Highest', 'Highest', 'Highest', 'High', 'Medium', 'Low', 'Lowest', 'Lowest'] as const;

export const description = channelOptions('jiraOptions', 'jira', [
	{
		displayName: 'Extra Labels',
		name: 'extraLabels',
		type: 'string',
		default: '',
		placeholder: 'soc, netsec',
		description: 'Comma-separated labels added to the vendor, event type and severity labels',
	},
	includeEventJsonOption('up to 15,000 characters, in a noformat block'),
]);

export interface JiraOptions {
	extraLabels?: string;
	includeEventJson?: boolean;
}

/**
 * Jira wiki markup: each character that starts markup (*bold*, _em_, {macro}, [link], |table|,
 * !image!, ^sup^, ~sub~, ??cite??, -strike-, +ins+, # list) gets a backslash; line breaks become spaces.
 */
export function escapeJiraWiki(value: string): string {
	return singleLine(value).replace(/[\\*_{}[\]|!^~?#+-]/g, '\\$&');
}

/** Text inside {noformat} is shown as is, except a "{noformat}" in it would end the block early. */
function noformat(value: string): string {
	return `{noformat}\n${displayText(value).replace(/\{noformat\}/gi, '{ noformat}')}\n{noformat}`;
}

/** A Jira label: no whitespace (Jira refuses it), at most 255 characters. */
export function jiraLabel(value: string): string {
	return truncate(singleLine(value).trim().replace(/\s+/g, '_'), JIRA_LIMITS.label, '');
}

/** Summary, description (wiki markup), labels and priority for the Jira Software node's Create Issue. */
export function buildJiraIssue(summary: EventSummary, item: IDataObject, options: JiraOptions = {}): IDataObject {
	const title = truncate(singleLine(`[${severityLabel(summary)}] ${summary.title}`), JIRA_LIMITS.summary);
	const facts = channelFacts(summary);
	const url = safeHttpUrl(summary.link);
	const table = facts
		.map((fact) => `||${escapeJiraWiki(truncate(fact.label, 100)) || ' '}|${escapeJiraWiki(truncate(fact.value, JIRA_LIMITS.factValue)) || ' '}|`)
		.join('\n');
	const source = sourceLabel(summary);
	const parts = [
		`*${escapeJiraWiki(source ? `${source} event` : 'Event')}*`,
		noformat(truncate(summary.message, JIRA_LIMITS.message)),
		table,
	];
	// A link's text and address go through the same escaping; the address is http(s) only.
	if (url) parts.push(`[View the event|${url.replace(/[|\]]/g, encodeURIComponent)}]`);
	if (options.includeEventJson !== false) parts.push(`*Event*\n${noformat(boundedJson(item, JIRA_LIMITS.eventJson, true))}`);
	const labels = [summary.vendor, summary.product, summary.eventType, summary.severity?.name ?? summary.severityText, ...(options.extraLabels ?? '').split(',')]
		.filter((label): label is string => typeof label === 'string' && label.trim() !== '')
		.map(jiraLabel)
		.filter((label, index, all) => label !== '' && all.indexOf(label) === index);
	return {
		summary: title,
		description: truncate(parts.filter(Boolean).join('\n\n'), JIRA_LIMITS.description),
		labels,
		priority: PRIORITY_BY_CODE[severityCode(summary)],
	};
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('jiraOptions', itemIndex, {}) as JiraOptions;
	return buildJiraIssue(readEventSummary(this, itemIndex, item), item, options);
}

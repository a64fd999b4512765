import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { buttonTextOption, channelFacts, channelOptions, severityColour, severityLabel, sourceLabel, timeLabel } from './channel';
import { displayText, escapeWithin, safeHttpUrl, singleLine, truncate } from './safeText';

/** Slack's documented Block Kit limits (docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
	headerText: 150,
	sectionText: 3000,
	fieldText: 2000,
	fields: 10,
	contextText: 3000,
	buttonText: 75,
	buttonUrl: 3000,
	blocks: 50,
	/** the top-level text is the notification fallback; Slack truncates messages past 40,000 */
	fallbackText: 3000,
} as const;

export const description = channelOptions('slackOptions', 'slack', [
	buttonTextOption,
	{
		displayName: 'Include Facts',
		name: 'includeFacts',
		type: 'boolean',
		default: true,
		description: 'Whether to list severity, time, who, where and the vendor’s fields under the message',
	},
	{
		displayName: 'Layout',
		name: 'layout',
		type: 'options',
		options: [
			{
				name: 'Blocks in a Coloured Attachment',
				value: 'attachment',
				description: 'A colour bar by severity; for incoming webhooks and chat.postMessage',
			},
			{ name: 'Top-Level Blocks', value: 'blocks', description: 'No colour bar; the form the Slack node’s Blocks field takes' },
		],
		default: 'attachment',
	},
]);

export interface SlackOptions {
	buttonText?: string;
	includeFacts?: boolean;
	layout?: 'attachment' | 'blocks';
}

/** Slack reads &, < and > as control characters in mrkdwn (mentions, links, dates); each is escaped. */
const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
export function escapeSlackChar(char: string): string {
	return SLACK_ENTITIES[char] ?? char;
}

export function slackMrkdwn(value: string, max: number): string {
	return escapeWithin(displayText(value), max, escapeSlackChar);
}

/** A Slack message payload (incoming webhook or chat.postMessage body) within Block Kit's limits. */
export function buildSlackMessage(summary: EventSummary, options: SlackOptions = {}): IDataObject {
	const severity = severityLabel(summary);
	const blocks: IDataObject[] = [
		{
			type: 'header',
			// plain_text is never parsed for mentions, links or formatting
			text: { type: 'plain_text', text: truncate(singleLine(summary.title), SLACK_LIMITS.headerText) || 'Event', emoji: false },
		},
		{ type: 'section', text: { type: 'mrkdwn', text: slackMrkdwn(summary.message, SLACK_LIMITS.sectionText) || ' ' } },
	];
	if (options.includeFacts !== false) {
		const fields = channelFacts(summary)
			.slice(0, SLACK_LIMITS.fields)
			.map((fact) => {
				const label = `*${slackMrkdwn(singleLine(fact.label), 100)}*\n`;
				return { type: 'mrkdwn', text: label + slackMrkdwn(fact.value, SLACK_LIMITS.fieldText - label.length) };
			});
		if (fields.length) blocks.push({ type: 'section', fields });
	}
	const context = [sourceLabel(summary), timeLabel(summary)].filter(Boolean).join(' · ');
	if (context) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackMrkdwn(context, SLACK_LIMITS.contextText) }] });
	const url = safeHttpUrl(summary.link, SLACK_LIMITS.buttonUrl);
	if (url) {
		const label = truncate(singleLine(options.buttonText || 'View event'), SLACK_LIMITS.buttonText);
		blocks.push({
			type: 'actions',
			elements: [{ type: 'button', text: { type: 'plain_text', text: label, emoji: false }, url, action_id: 'open_event' }],
		});
	}
	const text = slackMrkdwn(singleLine(`${severity}: ${summary.title}`), SLACK_LIMITS.fallbackText);
	if (options.layout === 'blocks') return { text, blocks };
	return { text, attachments: [{ color: severityColour(summary), fallback: text, blocks }] };
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('slackOptions', itemIndex, {}) as SlackOptions;
	return buildSlackMessage(readEventSummary(this, itemIndex, item), options);
}

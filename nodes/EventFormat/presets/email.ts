import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { channelFacts, channelOptions, includeEventJsonOption, severityColour, severityLabel, subtitle } from './channel';
import { boundedJson, displayText, escapeWithin, safeHttpUrl, singleLine, truncate } from './safeText';

export const EMAIL_LIMITS = {
	/** one line, well under RFC 5322's 998-character line limit and what mail clients show */
	subject: 255,
	message: 10_000,
	factValue: 1000,
	eventJson: 50_000,
} as const;

export const description = channelOptions('emailOptions', 'email', [
	includeEventJsonOption('up to 50,000 characters'),
	{
		displayName: 'Subject Prefix',
		name: 'subjectPrefix',
		type: 'string',
		default: '',
		placeholder: '[SOC]',
		description: 'Text put before the subject, for mail filters',
	},
]);

export interface EmailOptions {
	includeEventJson?: boolean;
	subjectPrefix?: string;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtmlChar(char: string): string {
	return HTML_ENTITIES[char] ?? char;
}

/** Escaped for an HTML text node or a quoted attribute, and bounded (never cut inside an entity). */
export function html(value: string, max: number): string {
	return escapeWithin(displayText(value), max, escapeHtmlChar);
}

/**
 * Subject, HTML body and plain-text body for n8n's Send Email node (or any mailer). The subject is
 * one line (a line break in it could start a forged header); every event value in the HTML is
 * escaped; the link is http(s) only.
 */
export function buildEmail(summary: EventSummary, item: IDataObject, options: EmailOptions = {}): IDataObject {
	const severity = severityLabel(summary);
	const prefix = options.subjectPrefix ? `${singleLine(options.subjectPrefix)} ` : '';
	const subject = truncate(singleLine(`${prefix}[${severity}] ${summary.title}`), EMAIL_LIMITS.subject);
	const facts = channelFacts(summary);
	const url = safeHttpUrl(summary.link);
	const eventJson = options.includeEventJson === false ? undefined : boundedJson(item, EMAIL_LIMITS.eventJson, true);
	const message = truncate(displayText(summary.message), EMAIL_LIMITS.message);
	const linkText = `View the event${summary.product ? ` in ${summary.product}` : ''}`;

	const rows = facts
		.map(
			(fact) =>
				`<tr><th align="left" valign="top" style="padding:4px 12px 4px 0;color:#57606a;font-weight:600">${html(fact.label, 100)}</th>` +
				`<td style="padding:4px 0">${html(fact.value, EMAIL_LIMITS.factValue)}</td></tr>`,
		)
		.join('');
	const htmlBody = [
		'<!DOCTYPE html><html><head><meta charset="utf-8"></head>',
		'<body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328">',
		`<div style="border-left:6px solid ${severityColour(summary)};padding:4px 12px;margin-bottom:12px">`,
		`<h2 style="margin:0 0 4px 0;font-size:18px">${html(singleLine(summary.title), 1000)}</h2>`,
		`<div style="color:#57606a">${html(subtitle(summary), 1000)}</div></div>`,
		`<p style="white-space:pre-wrap;margin:0 0 12px 0">${html(message, EMAIL_LIMITS.message * 6)}</p>`,
		rows ? `<table cellspacing="0" cellpadding="0" style="border-collapse:collapse;margin-bottom:12px">${rows}</table>` : '',
		url ? `<p><a href="${html(url, 20_000)}">${html(linkText, 200)}</a></p>` : '',
		eventJson
			? `<pre style="background:#f6f8fa;padding:8px;font-size:12px;white-space:pre-wrap;word-break:break-all">${html(eventJson, EMAIL_LIMITS.eventJson * 6)}</pre>`
			: '',
		'</body></html>',
	].join('');

	const textBody = [
		singleLine(summary.title),
		subtitle(summary),
		'',
		message,
		'',
		...facts.map((fact) => `${singleLine(fact.label)}: ${truncate(singleLine(fact.value), EMAIL_LIMITS.factValue)}`),
		...(url ? ['', `${linkText}: ${url}`] : []),
		...(eventJson ? ['', 'Event:', displayText(eventJson)] : []),
	].join('\n');

	return { subject, html: htmlBody, text: textBody };
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	const options = this.getNodeParameter('emailOptions', itemIndex, {}) as EmailOptions;
	return buildEmail(readEventSummary(this, itemIndex, item), item, options);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { eventFieldsProperty } from '../summary';
import * as cef from './cef';
import * as email from './email';
import * as jira from './jira';
import * as ndjson from './ndjson';
import * as serviceNow from './serviceNow';
import * as slack from './slack';
import * as sms from './sms';
import * as syslog from './syslog';
import * as teamsAdaptiveCard from './teamsAdaptiveCard';
import * as teamsMessageCard from './teamsMessageCard';
import * as text from './text';
import * as webhook from './webhook';

type Formatter = (this: IExecuteFunctions, itemIndex: number, item: IDataObject) => string | IDataObject;

const FORMATTERS = {
	ndjson: ndjson.format,
	syslog: syslog.format,
	cef: cef.format,
	text: text.format,
	slack: slack.format,
	teamsAdaptiveCard: teamsAdaptiveCard.format,
	teamsMessageCard: teamsMessageCard.format,
	email: email.format,
	sms: sms.format,
	jira: jira.format,
	serviceNow: serviceNow.format,
	webhook: webhook.format,
} satisfies Record<string, Formatter>;

export type Preset = keyof typeof FORMATTERS;

export const presetProperties: INodeProperties[] = [
	{
		displayName: 'Preset',
		name: 'preset',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'CEF', value: 'cef', description: 'ArcSight Common Event Format line', action: 'Format as CEF' },
			{ name: 'Email', value: 'email', description: 'Subject, HTML and plain-text bodies for Send Email', action: 'Format as an email' },
			{ name: 'Jira Issue', value: 'jira', description: 'Summary, description, labels and priority', action: 'Format as a Jira issue' },
			{ name: 'Microsoft Teams Adaptive Card', value: 'teamsAdaptiveCard', description: 'A card message for Teams workflow webhooks (≤ 28 KB)', action: 'Format as a Teams adaptive card' },
			{ name: 'Microsoft Teams MessageCard (Legacy)', value: 'teamsMessageCard', description: 'An Office 365 connector card (≤ 28 KB)', action: 'Format as a Teams message card' },
			{ name: 'NDJSON Line', value: 'ndjson', description: 'One JSON object on one line', action: 'Format as an NDJSON line' },
			{ name: 'ServiceNow Incident', value: 'serviceNow', description: 'Short description, description, urgency and impact', action: 'Format as a service now incident' },
			{ name: 'Slack Block Kit', value: 'slack', description: 'A Slack message with blocks, coloured by severity', action: 'Format as a slack message' },
			{ name: 'SMS', value: 'sms', description: '160 GSM-7 or 70 UCS-2 characters, cut with a marker', action: 'Format as an SMS' },
			{ name: 'Syslog (RFC 5424)', value: 'syslog', description: 'A syslog message with structured data', action: 'Format as syslog' },
			{ name: 'Text', value: 'text', description: 'Free text written with n8n expressions', action: 'Format as text' },
			{ name: 'Webhook JSON', value: 'webhook', description: 'A stable, documented JSON envelope around the event', action: 'Format as a webhook envelope' },
		],
		default: 'ndjson',
	},
	...ndjson.description,
	...syslog.description,
	...cef.description,
	...text.description,
	...slack.description,
	...teamsAdaptiveCard.description,
	...teamsMessageCard.description,
	...email.description,
	...sms.description,
	...jira.description,
	...serviceNow.description,
	...webhook.description,
	// Every preset but NDJSON (which writes the item as it is) reads the event through the summary.
	{ ...eventFieldsProperty, displayOptions: { hide: { preset: ['ndjson'] } } },
];

export function formatItem(this: IExecuteFunctions, preset: Preset, itemIndex: number, item: IDataObject): string | IDataObject {
	const formatter: Formatter | undefined = FORMATTERS[preset];
	if (!formatter) throw new Error(`Unknown preset "${String(preset)}"`);
	return formatter.call(this, itemIndex, item);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { SEVERITY_NAMES_HINT } from '../../shared/severity';
import { parseTimestamp } from '../../shared/time';
import { readEventSummary } from '../summary';
import { controlCharactersProperty, requireField, severityFromField, severityFromSummary, toText, type ControlCharacters } from './fields';
import { controlsToSpaces, escapeControls } from './safeText';

const FACILITIES = [
	'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
	'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
	'local6', 'local7',
];

const properties: INodeProperties[] = [
	{
		displayName: 'Facility',
		name: 'syslogFacility',
		type: 'options',
		options: FACILITIES.map((name, code) => ({ name: `${name} (${code})`, value: code })),
		default: 16,
	},
	{
		displayName: 'Severity Field',
		name: 'syslogSeverityField',
		type: 'string',
		default: '',
		placeholder: 'severity',
		description: `Field holding the event severity: ${SEVERITY_NAMES_HINT} 0–7. Leave empty to take the severity from the event, whichever vendor it comes from (informational when it has none).`,
	},
	{
		displayName: 'Message Field',
		name: 'syslogMessageField',
		type: 'string',
		default: '',
		placeholder: 'message',
		description: 'Field holding the free-text message (MSG). Leave empty to take what happened from the event.',
	},
	{
		displayName: 'Timestamp Field',
		name: 'syslogTimestampField',
		type: 'string',
		default: '',
		placeholder: 'eventTime',
		description: 'Field holding the event time (ISO 8601 or epoch). Leave empty to take the event’s own time (the time of formatting when it has none).',
	},
	{
		displayName: 'Options',
		name: 'syslogOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'App Name', name: 'appName', type: 'string', default: 'n8n-netsec-events' },
			{
				displayName: 'Hostname',
				name: 'hostname',
				type: 'string',
				default: '',
				description: 'Originating host (for example the appliance name); empty writes the NILVALUE "-"',
			},
			controlCharactersProperty,
			{
				displayName: 'Message ID Field',
				name: 'msgIdField',
				type: 'string',
				default: '',
				placeholder: 'event',
				description: 'Field holding the MSGID; without this option the event type is used, empty writes "-"',
			},
			{ displayName: 'Process ID', name: 'procId', type: 'string', default: '' },
			{
				displayName: 'Structured Data Fields',
				name: 'structuredDataFields',
				type: 'string',
				default: '',
				placeholder: 'edgeName, category, enterpriseName',
				description: 'Comma-separated fields written as PARAM="value" pairs of one SD-ELEMENT',
			},
			{
				displayName: 'Structured Data ID',
				name: 'structuredDataId',
				type: 'string',
				default: 'netsec@32473',
				description: 'SD-ID in name@private-enterprise-number form (32473 is the example number of RFC 5612)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { preset: ['syslog'] } }, properties);

interface SyslogOptions {
	appName?: string;
	controlCharacters?: ControlCharacters;
	hostname?: string;
	msgIdField?: string;
	procId?: string;
	structuredDataFields?: string;
	structuredDataId?: string;
}

/** An RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`, always one line. */
export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const facility = this.getNodeParameter('syslogFacility', itemIndex) as number;
	const severityField = this.getNodeParameter('syslogSeverityField', itemIndex, '') as string;
	const messageField = this.getNodeParameter('syslogMessageField', itemIndex, '') as string;
	const timestampField = this.getNodeParameter('syslogTimestampField', itemIndex, '') as string;
	const options = this.getNodeParameter('syslogOptions', itemIndex, {}) as SyslogOptions;
	const summary = readEventSummary(this, itemIndex, item);

	const severity = severityField
		? severityFromField(this, itemIndex, item, severityField, 'syslog')
		: severityFromSummary(this, itemIndex, summary, 'syslog');
	const message = messageField ? toText(requireField(this, item, messageField, itemIndex, 'message')) : summary.message;

	let timestamp = summary.time ?? new Date();
	if (timestampField) {
		const raw = requireField(this, item, timestampField, itemIndex, 'timestamp');
		const parsed = parseTimestamp(raw);
		if (!parsed) {
			throw new NodeOperationError(this.getNode(), `"${toText(raw)}" in "${timestampField}" is not a date`, {
				itemIndex,
				description: 'Use an ISO 8601 date-time or epoch seconds or milliseconds.',
			});
		}
		timestamp = parsed;
	}

	const msgId =
		options.msgIdField === undefined ? summary.eventType : options.msgIdField ? toText(getFieldValue(item, options.msgIdField)) : '';
	// A line break inside a record would let an event's text forge a second record on LF-framed transports.
	const oneLine = options.controlCharacters === 'space' ? controlsToSpaces : escapeControls;
	const header = [
		`<${facility * 8 + severity}>1`,
		timestamp.toISOString(),
		headerField(options.hostname ?? '', 255),
		headerField(options.appName ?? 'n8n-netsec-events', 48),
		headerField(options.procId ?? '', 128),
		headerField(msgId, 32),
		structuredData(item, options, oneLine),
	].join(' ');
	const body = oneLine(message);
	return body === '' ? header : `${header} ${body}`;
}

/** Header fields are printable US-ASCII without spaces, length-capped; empty is the NILVALUE "-". */
function headerField(value: string, maxLength: number): string {
	const cleaned = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
	return cleaned === '' ? '-' : cleaned;
}

function structuredData(item: IDataObject, options: SyslogOptions, oneLine: (value: string) => string): string {
	const fields = (options.structuredDataFields ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	const params: string[] = [];
	for (const field of fields) {
		const value = getFieldValue(item, field);
		if (isMissing(value)) continue;
		params.push(`${sdName(field)}="${escapeParamValue(oneLine(toText(value)))}"`);
	}
	if (params.length === 0) return '-';
	return `[${sdName(options.structuredDataId || 'netsec@32473', true)} ${params.join(' ')}]`;
}

/** SD-NAME: 1–32 printable US-ASCII characters except '=', ' ', ']' and '"' ('@' only inside an SD-ID). */
function sdName(value: string, allowAt = false): string {
	const forbidden = allowAt ? /[^\x21-\x7e]|[= \]"]/g : /[^\x21-\x7e]|[= \]"@]/g;
	return value.replace(forbidden, '_').slice(0, allowAt ? 64 : 32) || '_';
}

/** RFC 5424 §6.3.3: '"', '\' and ']' inside a PARAM-VALUE are escaped with a backslash. */
function escapeParamValue(value: string): string {
	return value.replace(/["\\\]]/g, (char) => `\\${char}`);
}

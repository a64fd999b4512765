import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { hostname as osHostname } from 'node:os';

import { ApplianceError, toNodeError } from '../../shared/errors';
import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { SEVERITY_NAMES_HINT, toSyslogSeverity } from '../../shared/severity';
import { parseTimestamp } from '../../shared/time';
import { composeFrame, messageLimit, type ComposeOptions } from '../transport/compose';
import { OversizeMessageError, TRUNCATION_MARKER } from '../transport/framing';
import type { HeaderFields, HeaderFormat } from '../transport/message';
import { SyslogSender } from '../transport/sender';
import type { SyslogTarget } from '../transport/target';
import { readTarget } from './receiver';

const FACILITIES = [
	'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
	'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
	'local6', 'local7',
];

const SEVERITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

const addsHeader = { hide: { header: ['asIs'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Message',
		name: 'input',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'From a Field', value: 'field', description: 'The text of one field, for example the output of Event Format' },
			{ name: 'The Whole Item as JSON', value: 'item', description: 'The item, as one line of compact JSON' },
		],
		default: 'field',
	},
	{
		displayName: 'Field',
		name: 'messageField',
		type: 'string',
		default: 'formatted',
		required: true,
		description: 'Field holding the message text (Event Format writes to "formatted" by default); dot paths such as "event.text" work',
		displayOptions: { show: { input: ['field'] } },
	},
	{
		displayName: 'Header',
		name: 'header',
		type: 'options',
		options: [
			{ name: 'Add RFC 5424 Header', value: 'rfc5424', description: 'For a CEF line or any text: &lt;PRI&gt;1 TIMESTAMP HOST APP …' },
			{ name: 'Add RFC 3164 (BSD) Header', value: 'rfc3164', description: 'For old receivers: &lt;PRI&gt;Mmm dd hh:mm:ss HOST TAG:' },
			{ name: 'Send As Is', value: 'asIs', description: "The text already is a syslog message (Event Format's syslog preset)" },
		],
		default: 'rfc5424',
	},
	{
		displayName: 'Facility',
		name: 'facility',
		type: 'options',
		options: FACILITIES.map((name, code) => ({ name: `${name} (${code})`, value: code })),
		default: 16,
		displayOptions: addsHeader,
	},
	{
		displayName: 'Severity',
		name: 'severity',
		type: 'options',
		options: SEVERITIES.map((name, code) => ({ name: `${name} (${code})`, value: code })),
		default: 5,
		description: `Set it per item with an expression that reads the event's severity: ${SEVERITY_NAMES_HINT} 0–7`,
		displayOptions: addsHeader,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'App Name',
				name: 'appName',
				type: 'string',
				default: 'n8n',
				description: 'APP-NAME (RFC 5424) or TAG (RFC 3164)',
			},
			{
				displayName: 'Connect Timeout (Seconds)',
				name: 'connectTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 10,
			},
			{
				displayName: 'Escape Control Characters',
				name: 'escapeControlCharacters',
				type: 'boolean',
				default: true,
				description:
					'Whether to write line breaks and other control characters as #012-style octal escapes, as rsyslog does. Always on with LF framing, where a line break would end the message.',
			},
			{
				displayName: 'Hostname',
				name: 'hostname',
				type: 'string',
				default: '',
				description: 'HOSTNAME of the message, for example the appliance the event came from; empty uses the n8n host name',
			},
			{
				displayName: 'Max Message Size (Bytes)',
				name: 'maxMessageBytes',
				type: 'number',
				typeOptions: { minValue: 480, maxValue: 16 * 1024 * 1024 },
				default: 8192,
				description:
					"Largest message sent, header included (rsyslog's default limit is 8 KiB; RFC 5426 asks UDP receivers for at least 2 KiB). Over UDP never more than 65,507.",
			},
			{
				displayName: 'Message ID',
				name: 'msgId',
				type: 'string',
				default: '',
				placeholder: '={{ $json.event }}',
				description: 'MSGID (RFC 5424), for example the event type',
			},
			{
				displayName: 'Oversize Messages',
				name: 'oversize',
				type: 'options',
				options: [
					{ name: 'Truncate With Marker', value: 'truncate', description: `Cut the text and end it with "${TRUNCATION_MARKER}"` },
					{ name: 'Refuse', value: 'refuse', description: 'Fail the item; nothing is sent' },
				],
				default: 'truncate',
				description: 'A message is never split into two',
			},
			{ displayName: 'Process ID', name: 'procId', type: 'string', default: '' },
			{
				displayName: 'Send Timeout (Seconds)',
				name: 'sendTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 30,
				description: 'How long the receiver may stop reading (or take to confirm at the end) before the connection counts as broken',
			},
			{
				displayName: 'Timestamp',
				name: 'timestamp',
				type: 'string',
				default: '',
				placeholder: '={{ $json.eventTime }}',
				description: 'Event time (ISO 8601 or epoch seconds or milliseconds); empty uses the time of sending',
			},
		],
	},
];

interface SendOptions {
	appName?: string;
	connectTimeout?: number;
	escapeControlCharacters?: boolean;
	hostname?: string;
	maxMessageBytes?: number;
	msgId?: string;
	oversize?: 'truncate' | 'refuse';
	procId?: string;
	sendTimeout?: number;
	timestamp?: string;
}

/**
 * One connection for all items. Results are settled only after the connection confirmed what it
 * carried, so an item is reported sent only once the receiver took it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const firstOptions = this.getNodeParameter('options', 0, {}) as SendOptions;
	const target = await readTarget(this, {
		connectTimeoutMs: (firstOptions.connectTimeout ?? 10) * 1000,
		sendTimeoutMs: (firstOptions.sendTimeout ?? 30) * 1000,
	});
	const sender = new SyslogSender(target);
	const continueOnFail = this.continueOnFail();
	const results: IDataObject[] = [];
	const fail = (error: unknown, itemIndex: number) => {
		const nodeError = toNodeError(this.getNode(), error, [], itemIndex);
		if (!continueOnFail) throw nodeError;
		results[itemIndex] = { sent: false, error: nodeError.message, retryable: isRetryable(error) };
	};
	const context = { hostname: osHostname(), timeZone: this.getTimezone() };
	const receiver = sender.receiver;
	try {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const { frame, messageBytes, truncated } = composeItem(this, itemIndex, items[itemIndex].json, target, context);
				await sender.send(frame, itemIndex);
				results[itemIndex] = { sent: true, receiver, bytes: messageBytes, truncated };
			} catch (error) {
				fail(error, itemIndex);
			}
		}
		for (const { tag, error } of await sender.finish()) fail(error, tag);
	} finally {
		sender.destroy();
	}
	return [results.map((json, itemIndex) => ({ json, pairedItem: { item: itemIndex } }))];
}

function composeItem(
	context: IExecuteFunctions,
	itemIndex: number,
	item: IDataObject,
	target: SyslogTarget,
	defaults: { hostname: string; timeZone: string },
): ReturnType<typeof composeFrame> {
	const input = context.getNodeParameter('input', itemIndex) as 'field' | 'item';
	const field = input === 'field' ? (context.getNodeParameter('messageField', itemIndex) as string) : '';
	const header = context.getNodeParameter('header', itemIndex) as HeaderFormat;
	const options = context.getNodeParameter('options', itemIndex, {}) as SendOptions;
	const composeOptions: ComposeOptions = {
		header,
		fields: header === 'asIs' ? undefined : headerFields(context, itemIndex, options, defaults),
		maxMessageBytes: options.maxMessageBytes ?? 8192,
		oversize: options.oversize ?? 'truncate',
		escapeControlCharacters: options.escapeControlCharacters ?? true,
		transport: target.transport,
		framing: target.framing,
	};
	const source = input === 'field' ? `the field "${field}"` : 'the item';
	try {
		return composeFrame(messageText(item, input, field), composeOptions);
	} catch (error) {
		const node = context.getNode();
		if (error instanceof OversizeMessageError) {
			throw new NodeOperationError(node, `The message from ${source} is ${error.bytes} bytes, over the limit of ${error.limit} bytes`, {
				itemIndex,
				description: `Choose "Truncate With Marker" under Oversize Messages, or raise Max Message Size (up to ${messageLimit({ ...composeOptions, maxMessageBytes: Infinity })} bytes over ${target.transport.toUpperCase()}) if the receiver accepts larger messages. Nothing was sent.`,
			});
		}
		if (error instanceof ApplianceError) {
			throw new NodeOperationError(node, `${error.message} in ${source}`, { itemIndex, description: error.details.description });
		}
		throw new NodeOperationError(node, error as Error, { itemIndex });
	}
}

function messageText(item: IDataObject, input: 'field' | 'item', field: string): string {
	if (input === 'item') return JSON.stringify(item);
	const value = getFieldValue(item, field);
	if (isMissing(value)) {
		throw new ApplianceError('config', 'There is nothing to send', {
			description: 'Set Field to the field holding the message (Event Format writes "formatted" by default), or send the whole item.',
		});
	}
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function headerFields(
	context: IExecuteFunctions,
	itemIndex: number,
	options: SendOptions,
	defaults: { hostname: string; timeZone: string },
): HeaderFields {
	const rawSeverity = context.getNodeParameter('severity', itemIndex) as unknown;
	const severity = toSyslogSeverity(rawSeverity);
	if (severity === undefined) {
		throw new ApplianceError('config', `"${String(rawSeverity)}" is not a syslog severity`, {
			description: `Use ${SEVERITY_NAMES_HINT} 0–7.`,
		});
	}
	let timestamp = new Date();
	if (options.timestamp) {
		const parsed = parseTimestamp(options.timestamp);
		if (!parsed) {
			throw new ApplianceError('config', `"${options.timestamp}" in Timestamp is not a date`, {
				description: 'Use an ISO 8601 date-time or epoch seconds or milliseconds.',
			});
		}
		timestamp = parsed;
	}
	return {
		facility: context.getNodeParameter('facility', itemIndex) as number,
		severity,
		timestamp,
		hostname: options.hostname || defaults.hostname,
		appName: options.appName ?? 'n8n',
		procId: options.procId ?? '',
		msgId: options.msgId ?? '',
		timeZone: defaults.timeZone,
	};
}

/** A later retry may succeed when the receiver was down, slow or dropped the connection. */
function isRetryable(error: unknown): boolean {
	return error instanceof ApplianceError && (error.kind === 'unreachable' || error.kind === 'timeout');
}

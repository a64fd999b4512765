import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { ApplianceError, toNodeError } from '../../shared/errors';
import { runBatched } from '../../shared/node/batching';
import { n8nSend } from '../../shared/transport';
import {
	ORIGINAL_TIMESTAMP_FIELD,
	VRLI_BATCH_BYTES,
	VRLI_DEFAULT_BATCH_EVENTS,
	ingestBody,
	prepareEvent,
	sendSplittingRefusals,
	type IngestField,
	type PreparedEvent,
} from '../events';
import type { PresetResult } from '../presets/common';
import { forcepointSmcRecord } from '../presets/forcepointSmc';
import { illumioEvent } from '../presets/illumio';
import { veloCloudEvent } from '../presets/veloCloud';
import { vrniFlowEvent } from '../presets/vrniFlow';
import { LogInsightClient, readLogInsightCredentials } from '../transport';

type Preset = 'custom' | 'vrniFlow' | 'veloCloud' | 'illumio' | 'forcepointSmc';

const fieldsProperty = (name: string, displayName: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Field',
	default: {},
	description,
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'vendor_event_id' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

const properties: INodeProperties[] = [
	{
		displayName: 'Preset',
		name: 'preset',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'Text, timestamp and fields mapped with expressions' },
			{ name: 'Forcepoint SMC Record', value: 'forcepointSmc', description: 'SMC-Record: key=value pairs of a monitoring record, smc_* fields' },
			{ name: 'Illumio Event', value: 'illumio', description: 'Illumio-Event line with illumio_* fields' },
			{ name: 'VeloCloud Event', value: 'veloCloud', description: 'VCO-Event line with vco_* fields' },
			{
				name: 'vRNI Flow',
				value: 'vrniFlow',
				description: 'The "vRNI-Flow: &lt;time&gt; &lt;action&gt; &lt;protocol&gt; &lt;name&gt;" line and __vrni_flow_* fields of the VRNI SDK script flows_to_vrli.py',
			},
		],
		default: 'custom',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '={{ JSON.stringify($json) }}',
		description: 'The event text (at most 16 KB; a longer one is cut with a marker)',
		displayOptions: { show: { preset: ['custom'] } },
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'string',
		default: '',
		placeholder: '={{ $json.eventTime }}',
		description: 'When the event happened: ISO 8601, epoch seconds or epoch milliseconds. Leave empty for the time vRLI receives it.',
		displayOptions: { show: { preset: ['custom'] } },
	},
	{ ...fieldsProperty('fields', 'Fields', 'Named fields vRLI can filter on'), displayOptions: { show: { preset: ['custom'] } } },
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Europe/Amsterdam',
		description: "IANA zone of the date in the text (the script prints its machine's local time); empty uses the workflow's time zone",
		displayOptions: { show: { preset: ['vrniFlow'] } },
	},
	{
		displayName: 'Flow Name as Python 3 Bytes',
		name: 'pythonBytesName',
		type: 'boolean',
		default: false,
		description: "Whether to write the flow name as b'…', exactly as flows_to_vrli.py does under Python 3, so lines match those already archived by it",
		displayOptions: { show: { preset: ['vrniFlow'] } },
	},
	fieldsProperty('extraFields', 'Additional Fields', 'Fields added to every event, after those of the preset'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Events per Request',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20000 },
				default: VRLI_DEFAULT_BATCH_EVENTS,
				description: 'At most this many events per request (vRLI suggests up to 500); every request also stays under 4 MB',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['ingest'] } }, properties);

function fieldValues(context: IExecuteFunctions, name: string, itemIndex: number): IngestField[] {
	const collection = context.getNodeParameter(name, itemIndex, {}) as { field?: Array<{ name?: string; value?: unknown }> };
	return (collection.field ?? []).map((field) => ({
		name: String(field.name ?? ''),
		content: field.value === undefined || field.value === null ? '' : typeof field.value === 'object' ? JSON.stringify(field.value) : String(field.value),
	}));
}

function presetEvent(context: IExecuteFunctions, preset: Preset, itemIndex: number): PresetResult {
	const item = context.getInputData()[itemIndex].json;
	switch (preset) {
		case 'vrniFlow': {
			const timeZone = (context.getNodeParameter('timeZone', itemIndex, '') as string).trim() || context.getTimezone();
			try {
				new Intl.DateTimeFormat('en-US', { timeZone });
			} catch {
				return { ok: false, message: `"${timeZone}" is not a time zone this n8n knows`, fix: 'Use an IANA name such as Europe/Amsterdam, America/New_York or UTC.' };
			}
			return vrniFlowEvent(item, { timeZone, pythonBytesName: context.getNodeParameter('pythonBytesName', itemIndex, false) as boolean });
		}
		case 'veloCloud':
			return veloCloudEvent(item);
		case 'illumio':
			return illumioEvent(item);
		case 'forcepointSmc':
			return forcepointSmcRecord(item);
		default:
			return {
				ok: true,
				event: {
					text: context.getNodeParameter('text', itemIndex, '') as string,
					timestamp: context.getNodeParameter('timestamp', itemIndex, '') as unknown,
					fields: fieldValues(context, 'fields', itemIndex),
				},
			};
	}
}

/** What each item reports: what vRLI accepted, and every repair made on the way. */
function ingestedJson(event: PreparedEvent, agentId: string, batchSize: number, ingested: number): IDataObject {
	const json: IDataObject = {
		ingested: true,
		agentId,
		timestamp: event.timestamp === undefined ? null : new Date(event.timestamp).toISOString(),
		batchEvents: batchSize,
		vrliIngested: ingested,
	};
	if (ingested < batchSize) json.warning = `vRLI reported ${ingested} of the ${batchSize} events of this request as ingested`;
	if (event.notes.textTruncatedFromBytes !== undefined) json.textTruncatedFromBytes = event.notes.textTruncatedFromBytes;
	if (event.notes.renamedFields) json.renamedFields = event.notes.renamedFields;
	if (event.notes.originalTimestamp) {
		json.originalTimestamp = event.notes.originalTimestamp;
		json.timestampNote = `Sent without a vRLI session, so vRLI files this event at its arrival time; its original time is in the ${ORIGINAL_TIMESTAMP_FIELD} field`;
	}
	return json;
}

/**
 * Every input item becomes one vRLI event; events go out in requests under vRLI's limits (count and
 * 4 MB); a request vRLI refuses as a whole is split until the refused events stand alone, so each item
 * reports its own outcome. One vRLI session (when the credential has a user) serves the whole run.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let client: LogInsightClient | undefined;
	try {
		client = new LogInsightClient(n8nSend(this), readLogInsightCredentials(await this.getCredentials('logInsightApi')));
	} catch (error) {
		throw toNodeError(this.getNode(), error, []);
	}
	const vrli = client;
	const now = Date.now();
	const batchSize = (this.getNodeParameter('options', 0, {}) as { batchSize?: number }).batchSize ?? VRLI_DEFAULT_BATCH_EVENTS;
	let preparedCount = 0;
	try {
		return await runBatched<PreparedEvent>(this, {
			maxCount: batchSize,
			maxBytes: VRLI_BATCH_BYTES.maxBytes,
			sizeOf: VRLI_BATCH_BYTES.sizeOf,
			secrets: () => vrli.secrets,
			async prepare(itemIndex) {
				// Tens of thousands of items are prepared in one go: let n8n serve its other work now and then.
				if (++preparedCount % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
				const preset = presetEvent(this, this.getNodeParameter('preset', itemIndex, 'custom') as Preset, itemIndex);
				if (!preset.ok) throw new NodeOperationError(this.getNode(), preset.message, { itemIndex, description: preset.fix });
				const fields = [...preset.event.fields, ...fieldValues(this, 'extraFields', itemIndex)];
				const prepared = prepareEvent({ ...preset.event, fields }, { authenticated: vrli.authenticated, now });
				if (!prepared.ok) throw new NodeOperationError(this.getNode(), prepared.message, { itemIndex, description: prepared.fix });
				return prepared.event;
			},
			async send(batch) {
				const events = batch.map((entry) => entry.value);
				const outcomes = await sendSplittingRefusals(events, async (part) => await vrli.ingest(ingestBody(part)));
				return outcomes.map((outcome, position) =>
					outcome.ok
						? ingestedJson(events[position], vrli.credentials.agentId, outcome.batchSize, outcome.ingested)
						: new ApplianceError('vendor', `vRLI refused the event (HTTP ${outcome.status}): ${outcome.message}`, {
								status: outcome.status,
								description: 'vRLI refused this event alone; the other events of its request were ingested. Its message says what to change.',
							}),
				);
			},
		});
	} finally {
		await vrli.close();
	}
}

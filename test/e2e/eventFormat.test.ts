/**
 * Event Format inside a real n8n: Manual Trigger → Code (sample events) → Event Format per preset.
 * Asserts the exact text every preset produces, the channel presets for every vendor's items (the
 * same output as in-process, within each channel's limits), and the per-item error paths.
 */
import type { IDataObject } from 'n8n-workflow';

import { connectToE2eN8n } from '../support/n8n/state';
import { nodeOutput, type N8nClient, type WorkflowJson } from '../support/n8n/n8nClient';
import { gsm7Length } from '../../nodes/EventFormat/presets/sms';
import type { Preset } from '../../nodes/EventFormat/presets';
import { formatWith } from '../unit/eventFormat/context';
import { ALL_SAMPLES, HOSTILE_TEXT, VCO_EVENT, VELOCLOUD_EVENT } from '../unit/eventFormat/samples';

const PACKAGE = 'n8n-nodes-netsec-events';

const SAMPLE_EVENTS = [
	VCO_EVENT,
	{
		id: 2913203,
		eventTime: '2021-10-23T06:50:00.000Z',
		event: 'LINK_DEAD',
		category: 'NETWORK',
		severity: 'ERROR',
		message: 'Link GE3 is no longer alive',
		detail: '{}',
		enterpriseUsername: null,
		edgeName: 'Edge-SIN-01',
		segmentName: 'Global Segment',
	},
];

function eventFormatNode(name: string, position: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		name,
		type: `${PACKAGE}.eventFormat`,
		typeVersion: 1,
		position: [600, position * 160],
		parameters,
		...extra,
	};
}

/** `extraCode` runs in the Code node after `items` is built (to make large values there, not in the workflow JSON). */
function workflow(name: string, events: unknown[], formatNodes: ReturnType<typeof eventFormatNode>[], extraCode = ''): WorkflowJson {
	const connections: Record<string, unknown> = {
		Start: { main: [[{ node: 'Sample Events', type: 'main', index: 0 }]] },
		'Sample Events': { main: [formatNodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
	};
	return {
		name,
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: 'Sample Events',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [300, 0],
				parameters: { jsCode: `const items = ${JSON.stringify(events)};\n${extraCode}\nreturn items.map((json) => ({ json }));` },
			},
			...formatNodes,
		],
		connections,
		settings: { executionOrder: 'v1' },
	};
}

describe('Event Format in a real n8n', () => {
	let client: N8nClient;

	beforeAll(async () => {
		({ client } = await connectToE2eN8n());
		// globalSetup ran in this process and may have left a keep-alive socket that n8n closed since (its
		// idle timeout is 5 s): a POST on it fails with "other side closed", so a cheap GET uses it up first.
		await client.api('GET', '/workflows?limit=1').catch(() => undefined);
	});

	it('loads as a community package node and formats with every preset', async () => {
		const id = await client.createWorkflow(
			workflow('Event Format presets', SAMPLE_EVENTS, [
				eventFormatNode('NDJSON', 0, { preset: 'ndjson', ndjsonStyle: 'python', outputField: 'line', includeInputFields: false }),
				eventFormatNode('NDJSON Compact', 1, { preset: 'ndjson', ndjsonStyle: 'compact', outputField: 'line', includeInputFields: false }),
				eventFormatNode('Syslog', 2, {
					preset: 'syslog',
					syslogFacility: 16,
					syslogSeverityField: 'severity',
					syslogMessageField: 'message',
					syslogTimestampField: 'eventTime',
					syslogOptions: { hostname: 'vco.example.com', msgIdField: 'event', structuredDataFields: 'edgeName, message, segmentName' },
					outputField: 'syslog',
					includeInputFields: false,
				}),
				eventFormatNode('CEF', 3, {
					preset: 'cef',
					cefDeviceVendor: 'VMware',
					cefDeviceProduct: 'Velo|Cloud',
					cefDeviceVersion: '5.0',
					cefSignatureIdField: 'event',
					cefNameField: 'message',
					cefSeverityField: 'severity',
					cefExtensions: { extension: [{ key: 'dvchost', field: 'edgeName' }, { key: 'msg', field: 'message' }, { key: 'cs1', field: 'segmentName' }] },
					outputField: 'cef',
					includeInputFields: false,
				}),
				eventFormatNode('Text', 4, {
					preset: 'text',
					text: '={{ $json.severity }} {{ $json.event }} on {{ $json.edgeName }}',
					outputField: 'text',
				}),
			]),
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');

		expect(nodeOutput(execution, 'NDJSON')).toEqual([
			{
				line:
					'{"id": 2913202, "eventTime": "2021-10-23T06:48:57.000Z", "event": "VPN_DATACENTER_STATUS", "category": "SYSTEM", ' +
					'"severity": "NOTICE", "message": "Tunnel to [Azure-SIN] - \\"IKE\\" a=b | c\\\\d\\nretrying", ' +
					'"detail": "{\\"ipAddress\\": \\"13.76.153.194\\", \\"ikeState\\": \\"DOWN\\"}", "enterpriseUsername": null, ' +
					'"edgeName": "Z\\u00fcrich-Edge-02", "segmentName": null}',
			},
			{
				line:
					'{"id": 2913203, "eventTime": "2021-10-23T06:50:00.000Z", "event": "LINK_DEAD", "category": "NETWORK", ' +
					'"severity": "ERROR", "message": "Link GE3 is no longer alive", "detail": "{}", "enterpriseUsername": null, ' +
					'"edgeName": "Edge-SIN-01", "segmentName": "Global Segment"}',
			},
		]);
		expect(nodeOutput(execution, 'NDJSON Compact').map((item) => item.line)).toEqual(
			SAMPLE_EVENTS.map((event) => JSON.stringify(event)),
		);

		// A line break in the event is escaped, in MSG and in structured data: one event, one record.
		expect(nodeOutput(execution, 'Syslog')).toEqual([
			{
				syslog:
					'<133>1 2021-10-23T06:48:57.000Z vco.example.com n8n-netsec-events - VPN_DATACENTER_STATUS ' +
					'[netsec@32473 edgeName="Zürich-Edge-02" message="Tunnel to [Azure-SIN\\] - \\"IKE\\" a=b | c\\\\d\\\\nretrying"] ' +
					'Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\\nretrying',
			},
			{
				syslog:
					'<131>1 2021-10-23T06:50:00.000Z vco.example.com n8n-netsec-events - LINK_DEAD ' +
					'[netsec@32473 edgeName="Edge-SIN-01" message="Link GE3 is no longer alive" segmentName="Global Segment"] ' +
					'Link GE3 is no longer alive',
			},
		]);

		expect(nodeOutput(execution, 'CEF')).toEqual([
			{
				cef:
					'CEF:0|VMware|Velo\\|Cloud|5.0|VPN_DATACENTER_STATUS|Tunnel to [Azure-SIN] - "IKE" a=b \\| c\\\\d retrying|3|' +
					'rt=1634971737000 externalId=2913202 dvchost=Zürich-Edge-02 msg=Tunnel to [Azure-SIN] - "IKE" a\\=b | c\\\\d\\nretrying',
			},
			{
				cef:
					'CEF:0|VMware|Velo\\|Cloud|5.0|LINK_DEAD|Link GE3 is no longer alive|7|' +
					'rt=1634971800000 externalId=2913203 dvchost=Edge-SIN-01 msg=Link GE3 is no longer alive cs1=Global Segment',
			},
		]);

		expect(nodeOutput(execution, 'Text')).toEqual(
			SAMPLE_EVENTS.map((event) => ({ ...event, text: `${event.severity} ${event.event} on ${event.edgeName}` })),
		);
	});

	it('gives a clear per-item error and honours Continue On Fail', async () => {
		const events = [SAMPLE_EVENTS[1], { ...SAMPLE_EVENTS[0], severity: 'SEVERE' }, { id: 3, message: 'no severity' }];
		const id = await client.createWorkflow(
			workflow('Event Format errors', events, [
				eventFormatNode(
					'Syslog Continue',
					0,
					{ preset: 'syslog', syslogSeverityField: 'severity', syslogTimestampField: '', outputField: 'syslog', includeInputFields: false },
					{ onError: 'continueRegularOutput' },
				),
				// Defaults: every part from the event; an event without a severity is informational.
				eventFormatNode('Syslog Defaults', 1, { preset: 'syslog', outputField: 'syslog', includeInputFields: false }, { onError: 'continueRegularOutput' }),
			]),
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		const output = nodeOutput(execution, 'Syslog Continue');
		expect(output).toHaveLength(3);
		expect(String(output[0].syslog)).toMatch(/^<131>1 \S+Z - n8n-netsec-events - LINK_DEAD - Link GE3 is no longer alive$/);
		expect(output[1]).toEqual({ error: '"SEVERE" in "severity" is not a severity' });
		expect(output[2]).toEqual({ error: 'The item has no "severity" field for the severity' });
		expect(nodeOutput(execution, 'Syslog Defaults')).toEqual([
			{ syslog: '<131>1 2021-10-23T06:50:00.000Z - n8n-netsec-events - LINK_DEAD - Link GE3 is no longer alive' },
			{ error: '"SEVERE" in "severity" is not a severity' },
			{ syslog: expect.stringMatching(/^<134>1 \S+Z - n8n-netsec-events - event - no severity$/) },
		]);

		const failingId = await client.createWorkflow(
			workflow('Event Format stops on error', events, [
				eventFormatNode('Syslog Strict', 0, { preset: 'syslog', outputField: 'syslog' }),
			]),
		);
		const failed = await client.runManually(failingId, 'Start');
		expect(failed.status).toBe('error');
		expect(failed.data?.resultData.error?.message).toBe('"SEVERE" in "severity" is not a severity');
		expect(failed.data?.resultData.lastNodeExecuted).toBe('Syslog Strict');
	});
	it('builds every channel preset from every vendor’s items, as in-process, within each channel’s limits', async () => {
		// A VCO event whose message is 1 MB of text followed by every injection the presets escape.
		const hostileCode = `items.push({ ...items[0], id: 99, message: 'A'.repeat(1024 * 1024) + ${JSON.stringify(HOSTILE_TEXT)} });`;
		const events: IDataObject[] = [...Object.values(ALL_SAMPLES)];
		const expectedItems = [...events, { ...VELOCLOUD_EVENT, id: 99, message: 'A'.repeat(1024 * 1024) + HOSTILE_TEXT }];
		const overrides = {
			applianceUrl: 'https://appliance.example.com',
			title: '={{ "Seen: " + ($json.event_type || $json.event || $json.Situation || "event") }}',
			who: '={{ $json.enterpriseUsername || "" }}',
		};
		const presets: Array<[string, Preset, IDataObject]> = [
			['Slack', 'slack', {}],
			['Slack Overrides', 'slack', { slackOptions: { layout: 'blocks' }, eventFields: overrides }],
			['Teams Card', 'teamsAdaptiveCard', {}],
			['Teams MessageCard', 'teamsMessageCard', {}],
			['Email', 'email', { emailOptions: { subjectPrefix: '[SOC]' } }],
			['SMS', 'sms', {}],
			['Jira', 'jira', {}],
			['ServiceNow', 'serviceNow', {}],
			['Webhook', 'webhook', {}],
			['CEF Defaults', 'cef', {}],
			['Text Defaults', 'text', {}],
		];
		const id = await client.createWorkflow(
			workflow(
				'Event Format channel presets',
				events,
				presets.map(([name, preset, parameters], index) => eventFormatNode(name, index, { preset, ...parameters, outputField: 'out', includeInputFields: false })),
				hostileCode,
			),
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');

		for (const [name, preset, parameters] of presets) {
			const output = nodeOutput(execution, name).map((item) => item.out);
			// The title override is an n8n expression: evaluate it here the way n8n did, per item.
			const expected = expectedItems.map((item) => {
				const eventFields = parameters.eventFields
					? { ...overrides, title: `Seen: ${item.event_type || item.event || item.Situation || 'event'}`, who: String(item.enterpriseUsername || '') }
					: undefined;
				return formatWith(preset, item, eventFields ? { ...parameters, eventFields } : parameters);
			});
			expect({ name, output }).toEqual({ name, output: expected });
		}

		const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
		for (const card of [...nodeOutput(execution, 'Teams Card'), ...nodeOutput(execution, 'Teams MessageCard')]) expect(bytes(card.out)).toBeLessThanOrEqual(28_000);
		for (const message of nodeOutput(execution, 'Slack Overrides').map((item) => item.out as { blocks: Array<{ type: string; text?: { text: string } }> })) {
			const header = message.blocks.find((block) => block.type === 'header');
			expect(header?.text?.text.startsWith('Seen: ')).toBe(true);
			expect(header!.text!.text.length).toBeLessThanOrEqual(150);
		}
		for (const sms of nodeOutput(execution, 'SMS').map((item) => String(item.out))) {
			const septets = gsm7Length(sms);
			expect(septets === undefined ? sms.length <= 70 : septets <= 160).toBe(true);
		}
		const hostileEmail = nodeOutput(execution, 'Email').at(-1)?.out as IDataObject;
		expect(hostileEmail.html).not.toContain('<script>');
		expect(String(hostileEmail.subject)).not.toMatch(/[\r\n]/);
	});
});

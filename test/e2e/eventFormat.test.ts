/**
 * Event Format inside a real n8n: Manual Trigger → Code (sample events) → Event Format per preset.
 * Asserts the exact text every preset produces, and the per-item error paths.
 */
import { connectToE2eN8n } from './harness/state';
import { nodeOutput, type N8nClient, type WorkflowJson } from './harness/n8nClient';

const PACKAGE = 'n8n-nodes-netsec-events';

const SAMPLE_EVENTS = [
	{
		id: 2913202,
		eventTime: '2021-10-23T06:48:57.000Z',
		event: 'VPN_DATACENTER_STATUS',
		category: 'SYSTEM',
		severity: 'NOTICE',
		message: 'Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\nretrying',
		detail: '{"ipAddress": "13.76.153.194", "ikeState": "DOWN"}',
		enterpriseUsername: null,
		edgeName: 'Zürich-Edge-02',
		segmentName: null,
	},
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

function workflow(name: string, events: unknown[], formatNodes: ReturnType<typeof eventFormatNode>[]): WorkflowJson {
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
				parameters: { jsCode: `return ${JSON.stringify(events)}.map((json) => ({ json }));` },
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

		expect(nodeOutput(execution, 'Syslog')).toEqual([
			{
				syslog:
					'<133>1 2021-10-23T06:48:57.000Z vco.example.com n8n-netsec-events - VPN_DATACENTER_STATUS ' +
					'[netsec@32473 edgeName="Zürich-Edge-02" message="Tunnel to [Azure-SIN\\] - \\"IKE\\" a=b | c\\\\d\nretrying"] ' +
					'Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\nretrying',
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
					'dvchost=Zürich-Edge-02 msg=Tunnel to [Azure-SIN] - "IKE" a\\=b | c\\\\d\\nretrying',
			},
			{
				cef:
					'CEF:0|VMware|Velo\\|Cloud|5.0|LINK_DEAD|Link GE3 is no longer alive|7|' +
					'dvchost=Edge-SIN-01 msg=Link GE3 is no longer alive cs1=Global Segment',
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
					{ preset: 'syslog', syslogTimestampField: '', outputField: 'syslog', includeInputFields: false },
					{ onError: 'continueRegularOutput' },
				),
			]),
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		const output = nodeOutput(execution, 'Syslog Continue');
		expect(output).toHaveLength(3);
		expect(String(output[0].syslog)).toMatch(/^<131>1 \S+Z - n8n-netsec-events - - - Link GE3 is no longer alive$/);
		expect(output[1]).toEqual({ error: '"SEVERE" in "severity" is not a severity' });
		expect(output[2]).toEqual({ error: 'The item has no "severity" field for the severity' });

		const failingId = await client.createWorkflow(
			workflow('Event Format stops on error', events, [
				eventFormatNode('Syslog Strict', 0, { preset: 'syslog', syslogTimestampField: '', outputField: 'syslog' }),
			]),
		);
		const failed = await client.runManually(failingId, 'Start');
		expect(failed.status).toBe('error');
		expect(failed.data?.resultData.error?.message).toBe('"SEVERE" in "severity" is not a severity');
		expect(failed.data?.resultData.lastNodeExecuted).toBe('Syslog Strict');
	});
});

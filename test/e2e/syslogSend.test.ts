/**
 * Syslog Send inside a real n8n, delivering to the syslog sink: Event Format's RFC 5424 lines and CEF
 * lines over TLS, TCP (both framings) and UDP, checked byte for byte on the wire; the credential test;
 * receivers that are down, reset the stream or refuse TLS; and bad input (a 1 MB field, control
 * characters, a missing field).
 */
import { closedPort, startSinks, type SinkSet } from '../simulators/sinks';
import { clientCertificates } from '../simulators/sinks/certificates';
import { connectToE2eN8n } from './harness/state';
import { nodeOutput, type N8nClient, type WorkflowJson } from './harness/n8nClient';

const PACKAGE = 'n8n-nodes-netsec-events';

const EVENTS = [
	{
		id: 2913202,
		eventTime: '2021-10-23T06:48:57.000Z',
		event: 'VPN_DATACENTER_STATUS',
		severity: 'NOTICE',
		message: 'Tunnel to [Azure-SIN] - "IKE" a=b | c\\d\nretrying',
		edgeName: 'Zürich-Edge-02',
	},
	{
		id: 2913203,
		eventTime: '2021-10-23T06:50:00.000Z',
		event: 'LINK_DEAD',
		severity: 'ERROR',
		message: 'Link GE3 is no longer alive',
		edgeName: 'Edge-SIN-01',
	},
];

type Node = WorkflowJson['nodes'][number];

function node(name: string, type: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Node {
	return { name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

function syslogSend(name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Node {
	return node(name, `${PACKAGE}.syslogSend`, parameters, extra);
}

/** Start → sample events → Event Format (syslog into "formatted", CEF into "cef") → each sender. */
function workflow(name: string, senders: Node[], events: unknown[] = EVENTS): WorkflowJson {
	const formatted = [
		node('Start', 'n8n-nodes-base.manualTrigger', {}),
		node('Events', 'n8n-nodes-base.code', { jsCode: `return ${JSON.stringify(events)}.map((json) => ({ json }));` }, { typeVersion: 2 }),
		node('Syslog Line', `${PACKAGE}.eventFormat`, {
			preset: 'syslog',
			syslogFacility: 16,
			syslogSeverityField: 'severity',
			syslogMessageField: 'message',
			syslogTimestampField: 'eventTime',
			syslogOptions: { hostname: 'vco.example.com', msgIdField: 'event', structuredDataFields: 'edgeName' },
			outputField: 'formatted',
		}),
		node('CEF Line', `${PACKAGE}.eventFormat`, {
			preset: 'cef',
			cefDeviceVendor: 'VMware',
			cefDeviceProduct: 'VeloCloud Orchestrator',
			cefDeviceVersion: '5.0',
			cefSignatureIdField: 'event',
			cefNameField: 'message',
			cefSeverityField: 'severity',
			cefExtensions: { extension: [{ key: 'dvchost', field: 'edgeName' }] },
			outputField: 'cef',
		}),
	];
	const next = (target: string) => ({ main: [[{ node: target, type: 'main', index: 0 }]] });
	return {
		name,
		nodes: [...formatted, ...senders],
		connections: {
			Start: next('Events'),
			Events: next('Syslog Line'),
			'Syslog Line': next('CEF Line'),
			'CEF Line': { main: [senders.map((sender) => ({ node: sender.name, type: 'main', index: 0 }))] },
		},
		// RFC 3164 writes local time: the workflow's zone decides it.
		settings: { executionOrder: 'v1', timezone: 'Europe/Zurich' },
	};
}

const octetCounted = (messages: string[]) => Buffer.concat(messages.map((message) => Buffer.from(`${Buffer.byteLength(message)} ${message}`)));
const lfTerminated = (messages: string[]) => Buffer.from(messages.map((message) => `${message}\n`).join(''));

describe('Syslog Send in a real n8n', () => {
	let client: N8nClient;
	let sinks: SinkSet;
	const credentialIds: Record<string, string> = {};

	const credential = async (name: string, data: Record<string, unknown>) => {
		const create = () => client.createCredential(name, 'syslogReceiver', { framing: 'octetCounting', allowUnauthorizedCerts: false, ...data });
		// The first call after the previous file's idle pause can meet a keep-alive socket n8n just closed.
		credentialIds[name] = await create().catch((error: Error) => (/fetch failed/.test(error.message) ? create() : Promise.reject(error)));
		return credentialIds[name];
	};
	const withCredential = (name: string) => ({ credentials: { syslogReceiver: { id: credentialIds[name], name } } });

	beforeAll(async () => {
		({ client } = await connectToE2eN8n());
		sinks = await startSinks({ plainHttp: true, ports: { syslogUdp: 0, syslogTcp: 0, syslogTls: 0, smtp: 0, webhook: 0 } });
		const { host, tlsPort, udpPort } = sinks.syslog.credentials();
		const { ca } = sinks.credentials();
		await credential('Sink TLS', { host, port: tlsPort, transport: 'tls', caCertificate: ca });
		await credential('Sink UDP', { host, port: udpPort, transport: 'udp' });
	});
	afterAll(async () => {
		await sinks?.stop();
	});
	beforeEach(() => sinks.syslog.clear());

	it('delivers RFC 5424 and CEF lines over TLS, TCP (octet counting and LF) and UDP, byte for byte', async () => {
		const { host, tcpPort } = sinks.syslog.credentials();
		const cefHeader = { header: 'rfc5424', facility: 16, severity: '={{ $json.severity }}' };
		const cefOptions = { hostname: 'vco.example.com', appName: 'velocloud', msgId: '={{ $json.event }}', timestamp: '={{ $json.eventTime }}' };
		const id = await client.createWorkflow(
			workflow('Syslog Send transports', [
				syslogSend('TLS As Is', { receiverFrom: 'credential', input: 'field', messageField: 'formatted', header: 'asIs', options: { escapeControlCharacters: false } }, withCredential('Sink TLS')),
				syslogSend('TCP Octet CEF', {
					receiverFrom: 'parameters',
					host,
					port: tcpPort,
					transport: 'tcp',
					framing: 'octetCounting',
					input: 'field',
					messageField: 'cef',
					...cefHeader,
					options: cefOptions,
				}),
				syslogSend('TCP LF As Is', {
					receiverFrom: 'parameters',
					host,
					port: tcpPort,
					transport: 'tcp',
					framing: 'lf',
					input: 'field',
					messageField: 'formatted',
					header: 'asIs',
				}),
				syslogSend(
					'UDP BSD CEF',
					{ receiverFrom: 'credential', input: 'field', messageField: 'cef', header: 'rfc3164', facility: 20, severity: '={{ $json.severity }}', options: { ...cefOptions, procId: '42' } },
					withCredential('Sink UDP'),
				),
			]),
			credentialIds,
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		// Event Format's own lines are asserted in eventFormat.test.ts; here they are what goes on the wire.
		const SYSLOG_LINES = nodeOutput(execution, 'Syslog Line').map((item) => String(item.formatted));
		const CEF_LINES = nodeOutput(execution, 'CEF Line').map((item) => String(item.cef));
		expect(SYSLOG_LINES[0]).toMatch(/^<133>1 2021-10-23T06:48:57\.000Z vco\.example\.com \S+ - VPN_DATACENTER_STATUS \[netsec@32473 edgeName="Zürich-Edge-02"\] /);
		expect(CEF_LINES[1]).toMatch(/^CEF:0\|VMware\|VeloCloud Orchestrator\|5\.0\|LINK_DEAD\|/);

		const cef5424 = [
			`<133>1 2021-10-23T06:48:57.000Z vco.example.com velocloud - VPN_DATACENTER_STATUS - ${CEF_LINES[0]}`,
			`<131>1 2021-10-23T06:50:00.000Z vco.example.com velocloud - LINK_DEAD - ${CEF_LINES[1]}`,
		];
		// local4 (20): PRI 165 and 163; Zurich is UTC+2 in October
		const cef3164 = [`<165>Oct 23 08:48:57 vco.example.com velocloud[42]: ${CEF_LINES[0]}`, `<163>Oct 23 08:50:00 vco.example.com velocloud[42]: ${CEF_LINES[1]}`];
		const lfLines = SYSLOG_LINES.map((line) => line.replace(/\n/g, '#012'));

		const bytesOf = (transport: string, framing?: string) => {
			const connections = sinks.syslog.connections.filter((connection) => connection.transport === transport);
			const match = connections.find((connection) => sinks.syslog.messages.some((message) => message.connection === connection.id && (framing === undefined || message.framing === framing)));
			return match ? sinks.syslog.rawBytes(match.id) : Buffer.alloc(0);
		};
		await sinks.syslog.waitForCount(8, 10_000);
		expect(sinks.syslog.connections).toHaveLength(3);
		expect(sinks.syslog.connections.every((connection) => connection.end === 'peer')).toBe(true);
		expect(bytesOf('tls').toString()).toBe(octetCounted(SYSLOG_LINES).toString());
		expect(bytesOf('tls').equals(octetCounted(SYSLOG_LINES))).toBe(true);
		expect(bytesOf('tcp', 'octetCounting').equals(octetCounted(cef5424))).toBe(true);
		expect(bytesOf('tcp', 'lf').equals(lfTerminated(lfLines))).toBe(true);
		expect(sinks.syslog.messages.filter((message) => message.transport === 'udp').map((message) => message.message)).toEqual(cef3164);

		const results = (name: string) => nodeOutput(execution, name);
		expect(results('TLS As Is')).toEqual(
			SYSLOG_LINES.map((line) => ({ sent: true, receiver: `tls://${host}:${sinks.syslog.ports.tls}`, bytes: Buffer.byteLength(line), truncated: false })),
		);
		expect(results('TCP Octet CEF').map((result) => result.bytes)).toEqual(cef5424.map((line) => Buffer.byteLength(line)));
		expect(results('UDP BSD CEF').every((result) => result.sent === true)).toBe(true);
	});

	it('tests the credential: TLS handshake, wrong CA, required client certificate, nothing listening', async () => {
		const { host, tlsPort } = sinks.syslog.credentials();
		const { ca } = sinks.credentials();
		const good = await client.testCredential(credentialIds['Sink TLS']);
		expect(good).toEqual({ status: 'OK', message: expect.stringMatching(/^Connected to tls:\/\/127\.0\.0\.1:\d+ \(TLSv1\.3\)$/) });

		const wrongCa = await client.testCredential(await credential('Sink TLS other CA', { host, port: tlsPort, transport: 'tls', caCertificate: clientCertificates().otherCa }));
		expect(wrongCa.status).toBe('Error');
		expect(wrongCa.message).toMatch(/^The TLS certificate of tls:\/\/127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)\. Paste the receiver's CA/);

		const down = await client.testCredential(await credential('Sink down', { host, port: await closedPort(), transport: 'tcp' }));
		expect(down).toEqual({ status: 'Error', message: expect.stringMatching(/^tcp:\/\/127\.0\.0\.1:\d+ refused the connection: nothing listens on that port$/) });
		expect(sinks.syslog.messages).toHaveLength(0);
		expect(ca).toContain('BEGIN CERTIFICATE');
	});

	it('a receiver that is down: a clear, retryable error per item (Continue On Fail), or the node fails', async () => {
		const port = await closedPort();
		const parameters = { receiverFrom: 'parameters', host: '127.0.0.1', port, transport: 'tcp', framing: 'octetCounting', input: 'field', messageField: 'cef', header: 'rfc5424', severity: 5 };
		const continuing = await client.createWorkflow(workflow('Syslog Send receiver down, continue', [syslogSend('Down Continue', parameters, { onError: 'continueRegularOutput' })]));
		const refused = `tcp://127.0.0.1:${port} refused the connection: nothing listens on that port`;
		const continued = nodeOutput(await client.runManually(continuing, 'Start'), 'Down Continue');
		expect(continued).toHaveLength(2);
		for (const result of continued) {
			expect(result).toEqual({ sent: false, error: expect.stringContaining(refused), retryable: true });
		}
		expect(String(continued[0].error)).toMatch(/gave up after 5 attempts in \d+ s$/);
		const strict = await client.createWorkflow(workflow('Syslog Send receiver down, strict', [syslogSend('Down Strict', parameters)]));
		const execution = await client.runManually(strict, 'Start');
		expect(execution.status).toBe('error');
		const error = execution.data!.resultData.error!;
		expect(error.message).toContain(refused);
		expect(error.description).toMatch(/This is temporary if tcp:\/\/127\.0\.0\.1:\d+ is restarting or overloaded: nothing that failed was reported as sent, so turning on Retry On Fail/);
		expect(execution.data!.resultData.lastNodeExecuted).toBe('Down Strict');
	});

	it('a receiver that resets the stream mid-way: the node reconnects and replays, every message arrives', async () => {
		const { host, tcpPort } = sinks.syslog.credentials();
		sinks.syslog.faults.resetAfterMessages = 3;
		const events = Array.from({ length: 40 }, (_, index) => ({ ...EVENTS[1], id: index, message: `Link GE${index} is no longer alive` }));
		const id = await client.createWorkflow(
			workflow('Syslog Send reset', [syslogSend('Replay', { receiverFrom: 'parameters', host, port: tcpPort, transport: 'tcp', framing: 'octetCounting', input: 'field', messageField: 'formatted', header: 'asIs' })], events),
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Replay').every((result) => result.sent === true)).toBe(true);
		const received = new Set(sinks.syslog.messages.map((message) => message.message));
		for (const event of events) expect([...received].some((message) => message.endsWith(event.message))).toBe(true);
		expect(sinks.syslog.connections[0].end).toBe('reset');
		expect(sinks.syslog.connections.at(-1)!.end).toBe('peer');
	});

	it('TLS the receiver refuses (no client certificate) fails every item, none reported sent', async () => {
		const strict = await startSinks({ ports: { syslogUdp: 0, syslogTcp: 0, syslogTls: 0, smtp: 0, webhook: 0 }, syslog: { requireClientCertificate: true } });
		try {
			const { host, tlsPort } = strict.syslog.credentials();
			await credential('Strict TLS', { host, port: tlsPort, transport: 'tls', caCertificate: strict.credentials().ca });
			const id = await client.createWorkflow(
				workflow('Syslog Send TLS refused', [syslogSend('Refused', { receiverFrom: 'credential', input: 'field', messageField: 'formatted', header: 'asIs' }, { ...withCredential('Strict TLS'), onError: 'continueRegularOutput' })]),
				credentialIds,
			);
			const execution = await client.runManually(id, 'Start');
			const output = nodeOutput(execution, 'Refused');
			expect(output).toHaveLength(2);
			for (const result of output) expect(result).toMatchObject({ sent: false, error: expect.stringMatching(/^tls:\/\/127\.0\.0\.1:\d+ (refused the TLS session|closed or lost the connection)/) });
			expect(strict.syslog.messages).toHaveLength(0);
		} finally {
			await strict.stop();
		}
	});

	it('bad input: a 1 MB field is cut with a marker (or refused), control characters escaped, a missing field named', async () => {
		const { host, tcpPort } = sinks.syslog.credentials();
		const events = [
			{ ...EVENTS[0], text: 'x'.repeat(1024 * 1024) },
			{ ...EVENTS[1], text: 'bell\u0007 escape\u001b[31m nul\u0000 end' },
			{ ...EVENTS[1], id: 3 },
		];
		const base = { receiverFrom: 'parameters', host, port: tcpPort, transport: 'tcp', framing: 'octetCounting', input: 'field', messageField: 'text', header: 'rfc5424', severity: 6 };
		const id = await client.createWorkflow(
			workflow(
				'Syslog Send bad input',
				[
					syslogSend('Truncate', { ...base, options: { hostname: 'n8n', timestamp: '={{ $json.eventTime }}' } }, { onError: 'continueRegularOutput' }),
					syslogSend('Refuse', { ...base, options: { oversize: 'refuse' } }, { onError: 'continueRegularOutput' }),
				],
				events,
			),
		);
		const execution = await client.runManually(id, 'Start');
		const truncate = nodeOutput(execution, 'Truncate');
		expect(truncate[0]).toMatchObject({ sent: true, bytes: 8192, truncated: true });
		expect(truncate[1]).toMatchObject({ sent: true, truncated: false });
		expect(truncate[2]).toEqual({ sent: false, error: 'There is nothing to send in the field "text"', retryable: false });
		const refuse = nodeOutput(execution, 'Refuse');
		expect(refuse[0]).toEqual({ sent: false, error: expect.stringMatching(/^The message from the field "text" is 10486\d\d bytes, over the limit of 8192 bytes$/), retryable: false });
		expect(refuse[1]).toMatchObject({ sent: true });

		// the two senders run in either order
		const messages = sinks.syslog.messages.map((message) => message.message);
		expect(messages).toHaveLength(3);
		const cut = messages.filter((message) => message.endsWith('...[truncated]'));
		expect(cut).toHaveLength(1);
		expect(cut[0]).toMatch(/^<134>1 2021-10-23T06:48:57\.000Z n8n n8n - - - x+\.\.\.\[truncated\]$/);
		expect(Buffer.byteLength(cut[0])).toBe(8192);
		expect(messages.filter((message) => / bell#007 escape#033\[31m nul#000 end$/.test(message))).toHaveLength(2);
	});
});



/**
 * The Log Insight node's Ingest against the vRLI simulator, through n8n's real request helper: batches
 * under the limits, sessions, 503/429 with Retry-After, refused batches split to the refused events,
 * per-item repairs and errors.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { execute } from '../../../nodes/LogInsight/actions/ingest.operation';
import { LogInsightClient, derivedAgentId, readLogInsightCredentials } from '../../../nodes/LogInsight/transport';
import { logInsightApiTest } from '../../../nodes/LogInsight/methods/credentialTest';
import { httpSendFromN8n } from '../../../nodes/shared/transport/http';
import { LogInsightSimulator } from '../../simulators/logInsight';
import { n8nHttpRequest, n8nLegacyRequest } from '../../support/n8nHttp';
import golden from './fixtures/flowsToVrli.golden.json';

const AGENT = '4a3b6c1e-0f4e-4a55-9a0e-1b2c3d4e5f60';

function credentialData(sim: LogInsightSimulator, login: boolean, extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		host: '127.0.0.1',
		protocol: 'https',
		port: sim.port,
		agentId: AGENT,
		caCertificate: sim.ca ?? '',
		...(login ? { username: 'admin', password: sim.options.password, provider: 'Local' } : {}),
		...extra,
	};
}

function context(items: IDataObject[], parameters: IDataObject, credentials: ICredentialDataDecryptedObject, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => items.map((json) => ({ json })),
		getNodeParameter: (name: string, index: number, fallback?: unknown) => {
			const value = parameters[name];
			if (typeof value === 'function') return (value as (index: number) => unknown)(index);
			return value === undefined ? fallback : value;
		},
		getCredentials: async () => credentials,
		getNode: () => ({ id: 'n', name: 'Log Insight', type: 'n8n-nodes-netsec-events.logInsight', typeVersion: 1, position: [0, 0], parameters: {} }),
		getTimezone: () => 'UTC',
		continueOnFail: () => continueOnFail,
		helpers: { httpRequest: n8nHttpRequest() },
	} as unknown as IExecuteFunctions;
}

const json = (output: INodeExecutionData[][]) => output[0].map((item) => item.json);
const custom = (text: (index: number) => unknown, timestamp: (index: number) => unknown = () => '') => ({ preset: 'custom', text, timestamp, fields: {}, extraFields: {} });

describe('Log Insight credentials', () => {
	it('builds the ingestion URL from protocol and port, and derives a stable agent id from the host', () => {
		expect(readLogInsightCredentials({ host: 'vrli.example.com' })).toMatchObject({ baseUrl: 'https://vrli.example.com:9543', agentId: derivedAgentId('vrli.example.com') });
		expect(readLogInsightCredentials({ host: 'https://vrli.example.com:443/ui', protocol: 'http' }).baseUrl).toBe('http://vrli.example.com:9000');
		expect(readLogInsightCredentials({ host: 'vrli.example.com', port: 19543 }).baseUrl).toBe('https://vrli.example.com:19543');
		expect(derivedAgentId('vrli.example.com')).toBe(derivedAgentId('VRLI.example.com'));
		expect(derivedAgentId('vrli.example.com')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(derivedAgentId('a.example.com')).not.toBe(derivedAgentId('b.example.com'));
	});

	it.each([
		['no host', { host: ' ' }, /no host/],
		['an agent id that is not a UUID', { host: 'h', agentId: 'my-n8n' }, /not a UUID/],
		['a username without a password', { host: 'h', username: 'admin' }, /no password/],
	])('refuses %s', (_label, data, message) => {
		expect(() => readLogInsightCredentials(data)).toThrow(message);
	});
});

describe('Log Insight Ingest against the simulator', () => {
	const sim = new LogInsightSimulator();
	beforeAll(async () => {
		await sim.start(0);
	});
	afterAll(() => sim.stop());
	beforeEach(() => sim.reset());

	it('sends the vRNI flow preset as the script would, in one request, and with a session keeps the timestamps', async () => {
		const events = (golden as { events: Array<{ time: number; flow: IDataObject; sent: { text: string; timestamp: number; fields: unknown[] } }> }).events;
		const items = events.map((event) => ({ ...event.flow, time: event.time }));
		const output = await execute.call(context(items, { preset: 'vrniFlow', timeZone: 'UTC', pythonBytesName: true, extraFields: {} }, credentialData(sim, true)));
		expect(json(output)).toHaveLength(20);
		expect(json(output)[0]).toEqual({ ingested: true, agentId: AGENT, timestamp: new Date(events[0].time * 1000).toISOString(), batchEvents: 20, vrliIngested: 20 });
		expect(sim.batches()).toHaveLength(1);
		const stored = sim.ingested();
		expect(stored.map((event) => [event.text, event.timestamp, event.fields, event.authenticated, event.clamped])).toEqual(
			events.map((event) => [event.sent.text, event.sent.timestamp, event.sent.fields, true, false]),
		);
	});

	it('without a session, keeps an old original time in original_timestamp and says so on the item', async () => {
		const dayOld = Date.now() - 86_400_000;
		const output = await execute.call(context([{ a: 1 }], custom(() => 'old flow', () => dayOld), credentialData(sim, false)));
		const [item] = json(output);
		expect(item).toMatchObject({ ingested: true, originalTimestamp: new Date(dayOld).toISOString(), timestampNote: expect.stringMatching(/arrival time/) });
		const [stored] = sim.ingested();
		expect(stored).toMatchObject({ authenticated: false, clamped: true, clientTimestamp: dayOld });
		expect(stored.fields).toEqual([{ name: 'original_timestamp', content: new Date(dayOld).toISOString() }]);
	});

	it('batches by count and by 4 MB, every item paired with its result', async () => {
		const items = Array.from({ length: 1200 }, (_, i) => ({ i }));
		const big = 'x'.repeat(15_000);
		const output = await execute.call(context(items, { ...custom((i) => (i < 600 ? `event ${i}` : big)), options: { batchSize: 500 } }, credentialData(sim, false)));
		expect(output[0].map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		const batches = sim.batches();
		// 500 small events, then the last 100 small ones with as many 15 KB events as fit under 4 MB, and so on.
		const bigEvent = Buffer.byteLength(JSON.stringify({ text: big, fields: [] })) + 1;
		expect(batches.map((batch) => batch.events)).toEqual([500, 378, 279, 43]);
		expect(batches.every((batch) => batch.bytes <= 4 * 1024 * 1024)).toBe(true);
		expect(batches.slice(1, -1).every((batch) => batch.bytes + bigEvent > 4 * 1024 * 1024)).toBe(true);
		expect(sim.ingested()).toHaveLength(1200);
	});

	it('survives a 503 and a 429 with Retry-After', async () => {
		sim.overload(1, 1);
		const first = await execute.call(context([{ a: 1 }], custom(() => 'one'), credentialData(sim, false)));
		expect(json(first)[0].ingested).toBe(true);
		sim.overload(1, 1, 429);
		const second = await execute.call(context([{ a: 1 }], custom(() => 'two'), credentialData(sim, false)));
		expect(json(second)[0].ingested).toBe(true);
		expect(sim.ingested().map((event) => event.text)).toEqual(['one', 'two']);
		expect(sim.stats.get(`/api/v1/events/ingest/${AGENT}`)).toBe(4);
	}, 30_000);

	it('logs in again when the session expires mid-run (440)', async () => {
		const vrli = new LogInsightClient(httpSendFromN8n(n8nHttpRequest()), readLogInsightCredentials(credentialData(sim, true)));
		expect(await vrli.ingest('{"events":[{"text":"a"}]}')).toEqual({ ok: true, ingested: 1 });
		sim.injectFaults([{ path: `/api/v1/events/ingest/${AGENT}`, kind: 'expireSession' }]);
		expect(await vrli.ingest('{"events":[{"text":"b"}]}')).toEqual({ ok: true, ingested: 1 });
		expect(sim.stats.get('/api/v1/sessions')).toBe(2);
		expect(sim.ingested().map((event) => event.authenticated)).toEqual([true, true]);
	});

	describe('bad input', () => {
		it('a batch vRLI refuses (400): split until the refused event stands alone; the others go in; that item fails with vRLI\'s words', async () => {
			const strict = await new LogInsightSimulator({ maxTextBytes: 100 }).start(0);
			try {
				const items = Array.from({ length: 6 }, (_, i) => ({ i }));
				const output = await execute.call(context(items, custom((i) => (i === 4 ? 'y'.repeat(200) : `ok ${i}`)), credentialData(strict, false), true));
				expect(json(output).map((item) => item.ingested ?? item.error)).toEqual([
					true,
					true,
					true,
					true,
					'vRLI refused the event (HTTP 400): Text of events[0] is 200 bytes; the limit is 100 bytes.',
					true,
				]);
				expect(strict.ingested().map((event) => event.text)).toEqual(['ok 0', 'ok 1', 'ok 2', 'ok 3', 'ok 5']);
				await expect(execute.call(context(items, custom((i) => (i === 4 ? 'y'.repeat(200) : `ok ${i}`)), credentialData(strict, false)))).rejects.toMatchObject({
					message: 'vRLI refused the event (HTTP 400): Text of events[0] is 200 bytes; the limit is 100 bytes.',
					context: { itemIndex: 4 },
				});
			} finally {
				await strict.stop();
			}
		});

		it('a batch vRLI refuses as too large (413): split and sent in halves', async () => {
			const small = await new LogInsightSimulator({ maxBodyBytes: 2_000 }).start(0);
			try {
				const output = await execute.call(context(Array.from({ length: 8 }, (_, i) => ({ i })), custom(() => 'z'.repeat(400)), credentialData(small, false)));
				expect(json(output).every((item) => item.ingested === true)).toBe(true);
				expect(small.ingested()).toHaveLength(8);
				expect(small.batches().every((batch) => batch.bytes <= 2_000)).toBe(true);
			} finally {
				await small.stop();
			}
		});

		it('text over 16 KB: cut with a marker, the item says how long it was', async () => {
			const output = await execute.call(context([{ a: 1 }], custom(() => 'w'.repeat(20_000)), credentialData(sim, false)));
			expect(json(output)[0]).toMatchObject({ ingested: true, textTruncatedFromBytes: 20_000 });
			const [stored] = sim.ingested();
			expect(Buffer.byteLength(stored.text)).toBeLessThanOrEqual(16 * 1024);
			expect(stored.text.endsWith(' …[truncated from 20000 bytes]')).toBe(true);
		});

		it('a timestamp in the future or unparseable: that item fails, the others are sent', async () => {
			const times = [Date.now() + 3_600_000, 'not a time', Date.now()];
			const output = await execute.call(context([{}, {}, {}], custom(() => 'e', (i) => times[i]), credentialData(sim, false), true));
			expect(json(output).map((item) => item.error ?? item.ingested)).toEqual([
				expect.stringMatching(/^The timestamp .* is 60 minutes in the future$/),
				'The timestamp "not a time" is not a time',
				true,
			]);
			expect(sim.ingested()).toHaveLength(1);
		});

		it('an item that does not fit the preset fails alone with the fix', async () => {
			const output = await execute.call(context([{ eventTime: '2026-11-29T10:00:00Z', event: 'EDGE_UP' }, { nothing: true }], { preset: 'veloCloud', extraFields: {} }, credentialData(sim, false), true));
			expect(json(output).map((item) => item.error ?? item.ingested)).toEqual([true, 'The item is not a VeloCloud event (no eventTime or event)']);
		});

		it('a wrong vRLI password fails the run without the password in the message', async () => {
			const error = (await execute.call(context([{}], custom(() => 'x'), credentialData(sim, true, { password: 'wrong-password-123' }))).catch((caught: unknown) => caught)) as Error;
			expect(error.message).toBe('vRLI refused the login of admin: Invalid username or password');
			expect(JSON.stringify(error)).not.toContain('wrong-password-123');
		});
	});

	it('the credential test asks for the version, with and without a login', async () => {
		const test = (data: ICredentialDataDecryptedObject) => logInsightApiTest.call({ helpers: { request: n8nLegacyRequest() } } as never, { id: '1', name: 'vrli', type: 'logInsightApi', data } as never);
		expect(await test(credentialData(sim, true))).toEqual({ status: 'OK', message: 'Connected to vRLI 8.10.2-21145187 as admin; events keep their original timestamps' });
		expect(await test(credentialData(sim, false))).toMatchObject({ status: 'OK', message: expect.stringMatching(/^vRLI answered; ingestion without a login/) });
		const wrong = await test(credentialData(sim, true, { password: 'bad-password-42' }));
		expect(wrong).toMatchObject({ status: 'Error', message: expect.stringMatching(/refused the login of admin/) });
		expect(wrong.message).not.toContain('bad-password-42');
		expect(await test({ ...credentialData(sim, false), port: 1 })).toMatchObject({ status: 'Error', message: expect.stringMatching(/Cannot reach 127.0.0.1:1/) });
	});
});

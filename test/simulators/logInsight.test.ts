/**
 * Conformance tests for the vRealize Log Insight simulator, driven over plain HTTP (axios) only.
 */
import axios, { type AxiosInstance } from 'axios';
import { LogInsightSimulator, type IngestBatch, type IngestedEvent } from './logInsight';

const AGENT = '4a3b6c1e-0f4e-4a55-9a0e-1b2c3d4e5f60';
const INGEST = `/api/v1/events/ingest/${AGENT}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function client(sim: LogInsightSimulator): AxiosInstance {
	return axios.create({ baseURL: sim.url, validateStatus: () => true, timeout: 10_000 });
}

async function readBack(sim: LogInsightSimulator): Promise<IngestedEvent[]> {
	const response = await axios.get<{ count: number; events: IngestedEvent[] }>(`${sim.url}/__sim/vrli/events`);
	expect(response.data.count).toBe(response.data.events.length);
	return response.data.events;
}

async function login(api: AxiosInstance): Promise<string> {
	const response = await api.post<{ sessionId: string }>('/api/v1/sessions', { username: 'admin', password: 'vrli-sim-pass-3d1f', provider: 'Local' });
	expect(response.status).toBe(200);
	return response.data.sessionId;
}

/** A `{"events":[{"text":"..."},...]}` body of exactly `size` bytes, every text under 16 KB. */
function bodyOfSize(size: number): Buffer {
	// {"events":[ + ]} is 13 bytes; each {"text":"<n>"} is 11 + n bytes; events are comma-separated.
	const full = Math.floor((size - 13 - 11) / (11 + 16_000 + 1));
	const last = size - 13 - full * (11 + 16_000 + 1) - 11;
	const texts = [...Array.from({ length: full }, () => 'x'.repeat(16_000)), 'y'.repeat(last)];
	const body = Buffer.from(JSON.stringify({ events: texts.map((text) => ({ text })) }));
	expect(body.length).toBe(size);
	return body;
}

describe('LogInsightSimulator (vRLI API v1)', () => {
	let sim: LogInsightSimulator;
	let api: AxiosInstance;

	beforeAll(async () => {
		sim = await new LogInsightSimulator().start();
		api = client(sim);
	});

	afterAll(async () => {
		await sim.stop();
	});

	beforeEach(async () => {
		await axios.post(`${sim.url}/__sim/reset`);
	});

	it('exposes the documented credentials', () => {
		expect(sim.credentials()).toEqual({ url: sim.url, agentId: AGENT, username: 'admin', password: 'vrli-sim-pass-3d1f' });
	});

	describe('sessions', () => {
		it('creates a session and reports it through /sessions/current', async () => {
			const response = await api.post('/api/v1/sessions', { username: 'admin', password: 'vrli-sim-pass-3d1f', provider: 'Local' });
			expect(response.status).toBe(200);
			expect(Object.keys(response.data)).toEqual(['userId', 'sessionId', 'ttl']);
			expect(response.data.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			expect(response.data.sessionId).toMatch(/^[A-Za-z0-9+/]{48}$/);
			expect(response.data.ttl).toBe(1800);

			const current = await api.get('/api/v1/sessions/current', { headers: { Authorization: `Bearer ${response.data.sessionId}` } });
			expect(current.status).toBe(200);
			expect(current.data.userId).toBe(response.data.userId);
			expect([1799, 1800]).toContain(current.data.ttl);
		});

		it('rejects wrong credentials and malformed logins', async () => {
			const wrong = await api.post('/api/v1/sessions', { username: 'admin', password: 'nope', provider: 'Local' });
			expect(wrong.status).toBe(401);
			expect(wrong.data).toEqual({ errorMessage: 'Invalid username or password.', errorCode: 'FIELD_ERROR' });
			const otherProvider = await api.post('/api/v1/sessions', { username: 'admin', password: 'vrli-sim-pass-3d1f', provider: 'ActiveDirectory' });
			expect(otherProvider.status).toBe(401);
			const missing = await api.post('/api/v1/sessions', { username: 'admin' });
			expect(missing.status).toBe(400);
			expect(missing.data).toEqual({
				errorMessage: 'Invalid request body.',
				errorCode: 'JSON_FORMAT_ERROR',
				errorDetails: { reason: "'username', 'password' and 'provider' are required strings" },
			});
		});

		it('answers 401 Invalid session ID as text/plain without or with a bad session', async () => {
			for (const headers of [{}, { Authorization: 'Bearer not-a-session' }, { Authorization: 'Basic YWRtaW46eA==' }]) {
				const response = await api.get('/api/v1/sessions/current', { headers, responseType: 'text' });
				expect(response.status).toBe(401);
				expect(response.headers['content-type']).toBe('text/plain');
				expect(response.data).toBe('Invalid session ID');
			}
		});

		it('answers 440 Login Timeout once an expireSession fault expired the session', async () => {
			const session = await login(api);
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: '/api/v1/sessions/current', kind: 'expireSession' }] });
			const expired = await api.get('/api/v1/sessions/current', { headers: { Authorization: `Bearer ${session}` }, responseType: 'text' });
			expect(expired.status).toBe(440);
			expect(expired.data).toBe('Login Timeout');
			const ingest = await api.post(INGEST, { events: [{ text: 'x' }] }, { headers: { Authorization: `Bearer ${session}` }, responseType: 'text' });
			expect(ingest.status).toBe(440);
			expect(ingest.data).toBe('Login Timeout');
			const fresh = await login(api);
			expect((await api.get('/api/v1/sessions/current', { headers: { Authorization: `Bearer ${fresh}` } })).status).toBe(200);
		});

		it('expires sessions after their ttl', async () => {
			const short = await new LogInsightSimulator({ sessionTtlSeconds: 1 }).start();
			try {
				const shortApi = client(short);
				const session = await login(shortApi);
				expect((await shortApi.get('/api/v1/sessions/current', { headers: { Authorization: `Bearer ${session}` } })).status).toBe(200);
				await sleep(1100);
				const expired = await shortApi.get('/api/v1/sessions/current', { headers: { Authorization: `Bearer ${session}` } });
				expect(expired.status).toBe(440);
			} finally {
				await short.stop();
			}
		});

		it('serves /version to a session only', async () => {
			const anonymous = await api.get('/api/v1/version', { responseType: 'text' });
			expect(anonymous.status).toBe(401);
			expect(anonymous.data).toBe('Invalid session ID');
			const session = await login(api);
			const version = await api.get('/api/v1/version', { headers: { Authorization: `Bearer ${session}` } });
			expect(version.status).toBe(200);
			expect(version.data).toEqual({ releaseName: 'GA', version: '8.10.2-21145187' });
		});
	});

	describe('ingestion', () => {
		it('ingests a batch and reads it back exactly', async () => {
			const before = Date.now();
			const fields = [
				{ name: 'StaticField', content: 'Security' },
				{ name: 'PositionalField', startPosition: 6, length: 7 },
				{ name: 'FlagOnly' },
			];
			const response = await api.post(INGEST, {
				events: [
					{ text: 'A new process has been created.', timestamp: before - 5000, fields },
					{ text: 'second', fields: [] },
				],
			});
			expect(response.status).toBe(200);
			expect(response.data).toEqual({ status: 'ok', message: 'events ingested', ingested: 2 });
			expect(Object.keys(response.data)).toEqual(['status', 'message', 'ingested']);
			const after = Date.now();

			const events = await readBack(sim);
			expect(events).toHaveLength(2);
			const [first, second] = events;
			expect(first).toEqual({
				seq: 1,
				batch: 1,
				agentId: AGENT,
				api: 'events',
				authenticated: false,
				receivedAt: first.receivedAt,
				text: 'A new process has been created.',
				timestamp: before - 5000,
				clientTimestamp: before - 5000,
				clamped: false,
				truncated: false,
				fields,
			});
			expect(first.receivedAt).toBeGreaterThanOrEqual(before);
			expect(first.receivedAt).toBeLessThanOrEqual(after);
			// No timestamp: arrival time.
			expect(second).toMatchObject({ seq: 2, batch: 1, text: 'second', clientTimestamp: null, clamped: false, fields: [] });
			expect(second.timestamp).toBe(second.receivedAt);

			const batches = await axios.get<{ count: number; batches: IngestBatch[] }>(`${sim.url}/__sim/vrli/batches`);
			expect(batches.data.batches).toEqual([
				{ batch: 1, agentId: AGENT, api: 'events', authenticated: false, events: 2, bytes: batches.data.batches[0].bytes, receivedAt: first.receivedAt },
			]);
			expect(batches.data.batches[0].bytes).toBeGreaterThan(100);

			// Any agent id is accepted, "0" included.
			expect((await api.post('/api/v1/events/ingest/0', { events: [{ text: 'agent zero' }] })).status).toBe(200);
			expect((await readBack(sim))[2]).toMatchObject({ seq: 3, batch: 2, agentId: '0', text: 'agent zero' });

			await axios.post(`${sim.url}/__sim/vrli/clear`);
			expect(await readBack(sim)).toEqual([]);
		});

		it('answers 400 Missing events for an empty or missing list', async () => {
			// A Buffer goes out as is; axios would JSON-encode a string.
			for (const body of [{ events: [] }, {}, Buffer.alloc(0)]) {
				const response = await api.post(INGEST, body, { headers: { 'content-type': 'application/json' } });
				expect(response.status).toBe(400);
				expect(response.data).toEqual({ errorMessage: 'Missing events' });
			}
			expect(await readBack(sim)).toEqual([]);
		});

		it('answers 400 Invalid request body for malformed JSON and schema violations', async () => {
			const malformed = await api.post(INGEST, Buffer.from('{"events": [ {"text": '), { headers: { 'content-type': 'application/json' } });
			expect(malformed.status).toBe(400);
			expect(malformed.data).toEqual({
				errorMessage: 'Invalid request body.',
				errorCode: 'JSON_FORMAT_ERROR',
				errorDetails: { reason: expect.stringMatching(/JSON/) },
			});
			const notAnObject = await api.post(INGEST, Buffer.from('[1,2]'), { headers: { 'content-type': 'application/json' } });
			expect(notAnObject.data.errorDetails).toEqual({ reason: 'expected a JSON object' });

			const cases: Array<[unknown, string]> = [
				[{ events: 'text' }, "'events' must be an array"],
				[{ events: [{ text: 'a', timestamp: '1700000000000' }] }, 'events[0].timestamp must be an integer (ms since epoch)'],
				[{ events: [{ text: 'a', timestamp: 1.5 }] }, 'events[0].timestamp must be an integer (ms since epoch)'],
				[{ events: [{ text: 5 }] }, 'events[0].text must be a string'],
				[{ events: [{ text: 'abc', fields: [{ name: 'f', content: 'x', extra: 1 }] }] }, 'events[0].fields[0] must be {name,content}, {name,startPosition,length} or {name}'],
				[{ events: [{ text: 'abc', fields: [{ name: 'f', content: 7 }] }] }, 'events[0].fields[0].content must be a string'],
				[{ events: [{ text: 'abc', fields: [{ name: 'f', startPosition: 2, length: 2 }] }] }, 'events[0].fields[0]: startPosition/length fall outside the text'],
				[{ events: [{ text: 'abc', fields: [{ content: 'x' }] }] }, 'events[0].fields[0].name must be a non-empty string'],
			];
			for (const [body, reason] of cases) {
				const response = await api.post(INGEST, body);
				expect(response.status).toBe(400);
				expect(response.data).toEqual({ errorMessage: 'Invalid request body.', errorCode: 'JSON_FORMAT_ERROR', errorDetails: { reason } });
			}
			expect(await readBack(sim)).toEqual([]);
		});

		it('enforces the 4 MB body limit', async () => {
			const limit = 4 * 1024 * 1024;
			const atLimit = await api.post(INGEST, bodyOfSize(limit), { headers: { 'content-type': 'application/json' }, maxBodyLength: Infinity });
			expect(atLimit.status).toBe(200);
			const stored = (await readBack(sim)).length;
			expect(atLimit.data.ingested).toBe(stored);

			const over = await api.post(INGEST, bodyOfSize(limit + 1), { headers: { 'content-type': 'application/json' }, maxBodyLength: Infinity });
			expect(over.status).toBe(413);
			expect(over.data).toEqual({ errorMessage: `Request body of ${limit + 1} bytes exceeds the limit of ${limit} bytes.`, errorCode: 'LIMIT_ERROR' });
			expect(await readBack(sim)).toHaveLength(stored);
		});

		it('enforces the 16 KB text limit in UTF-8 bytes and rejects the whole batch', async () => {
			const ok = await api.post(INGEST, { events: [{ text: 'a'.repeat(16_384) }] });
			expect(ok.status).toBe(200);

			const tooLong = await api.post(INGEST, { events: [{ text: 'fine' }, { text: 'a'.repeat(16_385) }] });
			expect(tooLong.status).toBe(400);
			expect(tooLong.data).toEqual({ errorMessage: 'Text of events[1] is 16385 bytes; the limit is 16384 bytes.', errorCode: 'LIMIT_ERROR' });

			// 8193 characters but 16386 bytes.
			const multiByte = await api.post(INGEST, { events: [{ text: 'é'.repeat(8193) }] });
			expect(multiByte.status).toBe(400);
			expect(multiByte.data.errorMessage).toBe('Text of events[0] is 16386 bytes; the limit is 16384 bytes.');

			const events = await readBack(sim);
			expect(events).toHaveLength(1);
			expect(events[0].text).toHaveLength(16_384);
		});

		it('truncates instead when textLimitMode is truncate', async () => {
			const truncating = await new LogInsightSimulator({ textLimitMode: 'truncate' }).start();
			try {
				const response = await client(truncating).post(INGEST, { events: [{ text: 'é'.repeat(8193) }] });
				expect(response.status).toBe(200);
				const [event] = truncating.ingested();
				expect(event.truncated).toBe(true);
				expect(event.text).toBe('é'.repeat(8192));
			} finally {
				await truncating.stop();
			}
		});

		it('replaces unauthenticated timestamps outside ±10 minutes with server time', async () => {
			const now = Date.now();
			const sent = [now - 3_600_000, now - 599_000, now + 3_600_000];
			const response = await api.post(INGEST, { events: sent.map((timestamp, i) => ({ text: `e${i}`, timestamp })) });
			expect(response.status).toBe(200);
			const [old, recent, future] = await readBack(sim);
			expect(old).toMatchObject({ authenticated: false, clientTimestamp: sent[0], clamped: true, timestamp: old.receivedAt });
			expect(recent).toMatchObject({ clientTimestamp: sent[1], clamped: false, timestamp: sent[1] });
			expect(future).toMatchObject({ clientTimestamp: sent[2], clamped: true, timestamp: future.receivedAt });
		});

		it('clamps to the edge of the window when driftMode is clamp', async () => {
			const clamping = await new LogInsightSimulator({ driftMode: 'clamp' }).start();
			try {
				const now = Date.now();
				await client(clamping).post(INGEST, { events: [{ text: 'old', timestamp: now - 3_600_000 }, { text: 'new', timestamp: now + 3_600_000 }] });
				const [old, future] = clamping.ingested();
				expect(old.timestamp).toBe(old.receivedAt - 600_000);
				expect(future.timestamp).toBe(future.receivedAt + 600_000);
				expect(old.clamped && future.clamped).toBe(true);
			} finally {
				await clamping.stop();
			}
		});

		it('trusts timestamps sent with a valid session', async () => {
			const session = await login(api);
			const dayAgo = Date.now() - 86_400_000;
			const response = await api.post(INGEST, { events: [{ text: 'historic flow', timestamp: dayAgo }] }, { headers: { Authorization: `Bearer ${session}` } });
			expect(response.status).toBe(200);
			const [event] = await readBack(sim);
			expect(event).toMatchObject({ authenticated: true, timestamp: dayAgo, clientTimestamp: dayAgo, clamped: false });
		});

		it('refuses an invalid session with 401 text/plain and stores nothing', async () => {
			const response = await api.post(INGEST, { events: [{ text: 'x' }] }, { headers: { Authorization: 'Bearer bogus' }, responseType: 'text' });
			expect(response.status).toBe(401);
			expect(response.headers['content-type']).toBe('text/plain');
			expect(response.data).toBe('Invalid session ID');
			expect(await readBack(sim)).toEqual([]);
		});

		it('answers 503 with Retry-After when overloaded (control, fault and option)', async () => {
			await axios.post(`${sim.url}/__sim/vrli/overload`, { count: 1, retryAfter: 7 });
			const overloaded = await api.post(INGEST, { events: [{ text: 'x' }] });
			expect(overloaded.status).toBe(503);
			expect(overloaded.headers['retry-after']).toBe('7');
			expect((await api.post(INGEST, { events: [{ text: 'x' }] })).status).toBe(200);

			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: INGEST, kind: 'status', status: 503, retryAfter: 3, body: { errorMessage: 'busy' } }] });
			const fault = await api.post(INGEST, { events: [{ text: 'y' }] });
			expect(fault.status).toBe(503);
			expect(fault.headers['retry-after']).toBe('3');
			expect((await readBack(sim)).map((event) => event.text)).toEqual(['x']);

			const busy = await new LogInsightSimulator({ overloadRequests: 2, overloadRetryAfterSeconds: 4 }).start();
			try {
				const busyApi = client(busy);
				for (let i = 0; i < 2; i++) {
					const response = await busyApi.post(INGEST, { events: [{ text: 'z' }] });
					expect(response.status).toBe(503);
					expect(response.headers['retry-after']).toBe('4');
				}
				expect((await busyApi.post(INGEST, { events: [{ text: 'z' }] })).status).toBe(200);
			} finally {
				await busy.stop();
			}
		});

		it('answers 429 with Retry-After when throttling is asked for, and refuses other statuses', async () => {
			expect((await axios.post(`${sim.url}/__sim/vrli/overload`, { count: 1, retryAfter: 2, status: 429 })).data).toEqual({ overloadRequests: 1, retryAfter: 2, status: 429 });
			const throttled = await api.post(INGEST, { events: [{ text: 'x' }] });
			expect(throttled.status).toBe(429);
			expect(throttled.headers['retry-after']).toBe('2');
			expect(throttled.data).toEqual({ errorMessage: 'Too many ingestion requests; retry later.' });
			expect((await api.post(INGEST, { events: [{ text: 'x' }] })).status).toBe(200);
			expect((await readBack(sim)).map((event) => event.text)).toEqual(['x']);
			expect((await axios.post(`${sim.url}/__sim/vrli/overload`, { status: 500 }, { validateStatus: () => true })).status).toBe(400);
		});

		it('keeps an unauthenticated timestamp inside the 10 minutes and replaces one just older', async () => {
			const now = Date.now();
			// The simulator reads its clock after the request arrives, so the kept one stays a minute inside the edge.
			const response = await api.post(INGEST, { events: [{ text: 'edge', timestamp: now - 540_000 }, { text: 'older', timestamp: now - 600_001 }] });
			expect(response.status).toBe(200);
			const [edge, older] = await readBack(sim);
			expect(edge).toMatchObject({ clamped: false, timestamp: now - 540_000 });
			expect(older).toMatchObject({ clamped: true, timestamp: older.receivedAt });
		});

		it('counts without keeping events when storeEvents is off', async () => {
			const counting = await new LogInsightSimulator({ storeEvents: false }).start();
			try {
				expect((await client(counting).post(INGEST, { events: [{ text: 'a' }, { text: 'b' }] })).status).toBe(200);
				expect(counting.ingestedCount).toBe(2);
				expect(counting.ingested()).toEqual([]);
				expect(counting.batches()).toHaveLength(1);
				counting.clear();
				expect(counting.ingestedCount).toBe(0);
			} finally {
				await counting.stop();
			}
		});

		it('serves the deprecated messages/ingest endpoint', async () => {
			const response = await api.post('/api/v1/messages/ingest/0', { messages: [{ text: 'legacy', timestamp: Date.now() }] });
			expect(response.status).toBe(200);
			expect(response.data).toEqual({ status: 'ok', message: 'events ingested', ingested: 1 });
			expect(response.headers['vmware-li-api-status']).toBe('Deprecated');
			expect(String(response.headers.warning)).toMatch(/^299 - "Deprecated: /);
			const [event] = await readBack(sim);
			expect(event).toMatchObject({ api: 'messages', agentId: '0', text: 'legacy' });
		});
	});

	describe('query API', () => {
		it('queries by timestamp, text and limit with a session', async () => {
			const session = await login(api);
			const headers = { Authorization: `Bearer ${session}` };
			const base = Date.now() - 30_000;
			await api.post(
				INGEST,
				{
					events: [
						{ text: '[ERROR] File not found', timestamp: base, fields: [{ name: 'appname', startPosition: 8, length: 4 }] },
						{ text: 'Error: Invalid file', timestamp: base + 1000 },
						{ text: 'all good', timestamp: base + 2000, fields: [{ name: 'severity', content: 'info' }] },
						{ text: 'ancient error file', timestamp: base - 3_600_000 },
					],
				},
				{ headers },
			);

			const anonymous = await api.get('/api/v1/events');
			expect(anonymous.status).toBe(401);

			// Default: the last minute only, newest first.
			const recent = await api.get('/api/v1/events', { headers });
			expect(recent.status).toBe(200);
			expect(recent.data.complete).toBe(true);
			expect(recent.data.events.map((event: { text: string }) => event.text)).toEqual(['all good', 'Error: Invalid file', '[ERROR] File not found']);
			expect(recent.data.events[2]).toEqual({
				text: '[ERROR] File not found',
				timestamp: base,
				timestampString: `${new Date(base).toISOString().replace('T', ' ').replace('Z', '')} GMT+00:00`,
				fields: [{ name: 'appname', startPosition: 8, length: 4 }],
			});

			const since = await api.get(`/api/v1/events/timestamp/%3E${base - 4_000_000}`, { headers, params: { limit: 2 } });
			expect(since.data.events.map((event: { text: string }) => event.text)).toEqual(['all good', 'Error: Invalid file']);

			// The reference's own example: CONTAINS is a phrase over tokens (punctuation allowed between);
			// HAS needs every token in any order.
			const phrase = await api.get(`/api/v1/events/timestamp/%3E0/text/CONTAINS%20error%20file`, { headers });
			expect(phrase.data.events.map((event: { text: string }) => event.text)).toEqual(['[ERROR] File not found', 'ancient error file']);
			const has = await api.get(`/api/v1/events/timestamp/%3E0/text/HAS%20error%20file`, { headers, params: { 'order-by-direction': 'ASC' } });
			expect(has.data.events.map((event: { text: string }) => event.text)).toEqual(['ancient error file', '[ERROR] File not found', 'Error: Invalid file']);

			const ranged = await api.get(`/api/v1/events/timestamp/%3E%3D${base}/timestamp/%3C%3D${base + 1000}`, { headers });
			expect(ranged.data.events).toHaveLength(2);

			const simple = await api.get(`/api/v1/events/appname/EXISTS`, { headers, params: { view: 'SIMPLE' } });
			expect(simple.data.results).toEqual([
				{ text: '[ERROR] File not found', timestamp: base, timestampString: expect.any(String), appname: 'File' },
			]);

			const regex = await api.get('/api/v1/events/text/%3D~ERROR', { headers });
			expect(regex.status).toBe(400);
			expect(regex.data.errorCode).toBe('SEARCH_ERROR');
		});
	});
});

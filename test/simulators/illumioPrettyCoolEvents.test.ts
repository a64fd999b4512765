/**
 * Replays, byte for byte, the requests illumio-pretty-cool-events makes (pce_client.py,
 * event_loop.py, enrichment.py, label_resolver.py at alexgoller/illumio-pretty-cool-events
 * 770119f), as recorded when its own CLI ran against this simulator behind TLS with Debian's
 * python3-httpx 0.23: one connection per request, httpx's default headers, HTTP Basic with the
 * API key, `timestamp[gte]` from Python's isoformat() (microseconds, +00:00), no max_results.
 * The poll loop below is that client's algorithm, so the test shows what it receives, including
 * what it loses in a burst.
 */
import type * as http from 'node:http';
import * as https from 'node:https';
import { IllumioSimulator, type IllumioEvent, type IllumioLabel, type IllumioWorkload } from './illumio';

interface Answer<T> {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: T;
}

/** GET exactly `pathAndQuery` with the headers the client's httpx 0.23 sends. */
function clientGet<T>(sim: IllumioSimulator, pathAndQuery: string): Promise<Answer<T>> {
	const { apiKeyUser, apiKeySecret } = sim.credentials();
	const headers = {
		Host: `127.0.0.1:${sim.port}`,
		Accept: '*/*',
		'Accept-Encoding': 'gzip, deflate',
		Connection: 'close',
		'User-Agent': 'pretty-cool-events/1.0',
		Authorization: `Basic ${Buffer.from(`${apiKeyUser}:${apiKeySecret}`).toString('base64')}`,
	};
	return new Promise((resolve, reject) => {
		// Over TLS, trusting the simulator's CA (the recorded run trusted it through SSL_CERT_FILE).
		const request = https.request({ host: '127.0.0.1', port: sim.port, path: pathAndQuery, headers, ca: sim.ca, timeout: 10_000 }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: response.statusCode ?? 0, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T });
			});
		});
		request.on('timeout', () => request.destroy(new Error(`timed out: GET ${pathAndQuery}`)));
		request.on('error', reject);
		request.end();
	});
}

/** Python's `datetime.astimezone(timezone.utc).isoformat()` for an instant in microseconds. */
function pythonIsoformat(epochMicros: number): string {
	const wholeSeconds = Math.floor(epochMicros / 1_000_000);
	const fraction = epochMicros - wholeSeconds * 1_000_000;
	const seconds = new Date(wholeSeconds * 1000).toISOString().slice(0, 19);
	return fraction === 0 ? `${seconds}+00:00` : `${seconds}.${String(fraction).padStart(6, '0')}+00:00`;
}

/** `datetime.fromisoformat(ts.replace("Z", "+00:00"))` for the PCE's millisecond timestamps. */
const micros = (timestamp: string) => Date.parse(timestamp) * 1000;

/** pce_client.get_events(since, until, max_results): params in the order the client adds them. */
function eventsPath(org: number, since?: number, until?: number, maxResults?: number): string {
	const params: string[] = [];
	if (since !== undefined) params.push(`timestamp%5Bgte%5D=${encodeURIComponent(pythonIsoformat(since))}`);
	if (until !== undefined) params.push(`timestamp%5Blte%5D=${encodeURIComponent(pythonIsoformat(until))}`);
	if (maxResults) params.push(`max_results=${maxResults}`);
	return `/api/v2/orgs/${org}/events${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** EventLoop._poll_events plus EventGrouper's href dedup (grouping off: group_min above any batch). */
class SeedPollLoop {
	private watermark: number;
	private readonly seen = new Set<string>();
	readonly delivered: IllumioEvent[] = [];
	readonly requests: string[] = [];

	constructor(
		private readonly sim: IllumioSimulator,
		startMicros: number,
	) {
		this.watermark = startMicros;
	}

	/** One poll; returns how many events the PCE answered (before dedup). */
	async poll(): Promise<number> {
		const pollTime = Date.now() * 1000 + 123;
		const path = eventsPath(1, this.watermark);
		this.requests.push(path);
		const answer = await clientGet<IllumioEvent[]>(this.sim, path);
		expect(answer.status).toBe(200);
		const events = answer.body;
		// The newest timestamp by string comparison, as max() over the strings does.
		const latest = events.map((event) => event.timestamp).reduce((a, b) => (b > a ? b : a), '');
		this.watermark = latest ? micros(latest) : pollTime;
		for (const event of events) {
			if (this.seen.has(event.href)) continue;
			this.seen.add(event.href);
			this.delivered.push(event);
		}
		return events.length;
	}
}

describe('illumio-pretty-cool-events against the simulator (recorded requests replayed)', () => {
	let sim: IllumioSimulator;

	beforeEach(async () => {
		sim = await new IllumioSimulator({ eventCount: 500 }).start();
	});

	afterEach(async () => {
		await sim.stop();
	});

	it('health_check: GET /api/v2/health answers 200', async () => {
		const answer = await clientGet<unknown[]>(sim, '/api/v2/health');
		expect(answer.status).toBe(200);
		expect(answer.body).toHaveLength(1);
	});

	it('polls from its start time: new events once, equal-millisecond repeats deduped, a burst beyond 100 partly lost', async () => {
		// The watermark starts at the process start time, with microseconds as Python has them
		// (one millisecond back, so an event added within the current millisecond is still newer).
		const loop = new SeedPollLoop(sim, (Date.now() - 1) * 1000 + 720);
		// Nothing newer than the start time yet (base events are older).
		expect(await loop.poll()).toBe(0);
		expect(loop.requests[0]).toMatch(/^\/api\/v2\/orgs\/1\/events\?timestamp%5Bgte%5D=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{3}720%2B00%3A00$/);

		const five = sim.addEvents(5);
		expect(await loop.poll()).toBe(5);
		expect(loop.delivered.map((event) => event.href)).toEqual([...five].reverse().map((event) => event.href));
		// All five share a millisecond, the new watermark: the inclusive bound re-reads them and dedup drops them.
		expect(await loop.poll()).toBe(5);
		expect(loop.delivered).toHaveLength(5);
		for (const event of loop.delivered) expect(event).toMatchObject({ org_id: 1, version: 2, event_id: expect.any(String) });

		// 150 between two polls: the default page of 100 newest reaches the client, 50 never do.
		const burst = sim.addEvents(150);
		expect(await loop.poll()).toBe(100);
		expect(await loop.poll()).toBe(100);
		expect(loop.delivered).toHaveLength(105);
		const deliveredHrefs = new Set(loop.delivered.map((event) => event.href));
		expect(burst.filter((event) => !deliveredHrefs.has(event.href))).toHaveLength(50);
	});

	it('answers the web UI query with since, until and max_results=10000', async () => {
		const now = Date.now() * 1000;
		const answer = await clientGet<IllumioEvent[]>(sim, eventsPath(1, now - 25 * 3_600_000_000, now, 10_000));
		expect(answer.status).toBe(200);
		expect(answer.body).toHaveLength(500);
		expect(answer.headers['x-total-count']).toBe('500');
	});

	it('get_labels: the label resolver finds key=value pairs', async () => {
		const answer = await clientGet<IllumioLabel[]>(sim, '/api/v2/orgs/1/labels');
		expect(answer.status).toBe(200);
		// LabelResolver.load keeps labels with key, value and href, keyed by (key, value).
		const byKeyValue = new Map(answer.body.filter((label) => label.key && label.value && label.href).map((label) => [`${label.key}=${label.value}`, label.href]));
		expect(byKeyValue.size).toBe(64);
		expect(byKeyValue.get('env=Production')).toBe('/orgs/1/labels/1');
		expect(byKeyValue.get('role=Web')).toBe('/orgs/1/labels/11');
	});

	it('enrichment: every workload href in events resolves with hostname, labels and state', async () => {
		const events = (await clientGet<IllumioEvent[]>(sim, eventsPath(1, undefined, undefined, 10_000))).body;
		// EventEnricher scans every string that starts with /orgs/ and contains /workloads/.
		const hrefs = new Set<string>();
		const scan = (value: unknown): void => {
			if (typeof value === 'string' && value.startsWith('/orgs/') && value.includes('/workloads/')) hrefs.add(value);
			else if (Array.isArray(value)) value.forEach(scan);
			else if (value && typeof value === 'object') Object.values(value).forEach(scan);
		};
		scan(events);
		expect(hrefs.size).toBe(8);
		for (const href of hrefs) {
			const answer = await clientGet<IllumioWorkload>(sim, `/api/v2${href}`);
			expect(answer.status).toBe(200);
			const workload = answer.body;
			expect(workload.hostname).toMatch(/^[a-z0-9-]+$/);
			expect(typeof workload.managed).toBe('boolean');
			expect(typeof workload.online).toBe('boolean');
			expect(workload.enforcement_mode).toMatch(/^(idle|visibility_only|selective|full)$/);
			expect(workload.os_detail).not.toBe('');
			expect(Object.fromEntries(workload.labels.map((label) => [label.key, label.value]))).toEqual({
				env: expect.any(String),
				loc: expect.any(String),
				role: expect.any(String),
				app: expect.any(String),
			});
		}
	});
});

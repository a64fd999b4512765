/**
 * Conformance tests for the VeloCloud Orchestrator (VCO) Portal API v1 simulator, driven over
 * plain HTTP (axios, no redirects followed) only.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { FIRST_EVENT_ID, VCO_SEVERITIES, VeloCloudSimulator, type VcoEvent } from './velocloud';

const EVENT_KEYS = ['id', 'eventTime', 'event', 'category', 'severity', 'message', 'detail', 'enterpriseUsername', 'edgeName', 'segmentName'];
const CATEGORIES = ['SYSTEM', 'NETWORK', 'APPLICATION', 'USER', 'SECURITY', 'EDGE', 'GATEWAY', 'CONFIGURATION', 'ENTERPRISE'];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HOUR = 3_600_000;
const OPERATOR_TOKEN = 'vco-sim-operator-token-19be';
const PARTNER_TOKEN = 'vco-sim-partner-token-c0d4';
const EVENTS = '/portal/rest/event/getEnterpriseEvents';

type Auth = { token: string } | { cookie: string } | undefined;

interface EventsResult {
	metaData: { limit: number; more: boolean; nextPageLink?: string };
	data: VcoEvent[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (event: VcoEvent) => Date.parse(event.eventTime);
const ids = (events: VcoEvent[]) => events.map((event) => event.id);

function http(sim: VeloCloudSimulator): AxiosInstance {
	return axios.create({ baseURL: sim.url, validateStatus: () => true, maxRedirects: 0, timeout: 10_000 });
}

function authHeaders(auth: Auth): Record<string, string> {
	if (!auth) return {};
	return 'token' in auth ? { authorization: `Token ${auth.token}` } : { cookie: `velocloud.session=${auth.cookie}` };
}

function rest<T = unknown>(sim: VeloCloudSimulator, method: string, params: unknown, auth: Auth): Promise<AxiosResponse<T>> {
	return http(sim).post<T>(`/portal/rest/${method}`, params, { headers: authHeaders(auth) });
}

function rpc<T = unknown>(sim: VeloCloudSimulator, method: string, params: unknown, auth: Auth, id: unknown = 1): Promise<AxiosResponse<T>> {
	return http(sim).post<T>('/portal/', { jsonrpc: '2.0', method, params, id }, { headers: authHeaders(auth) });
}

/** Logs in and returns the session cookie's value (throws when there is none). */
async function login(sim: VeloCloudSimulator, kind: 'enterprise' | 'operator', username: string, password: string): Promise<string> {
	const response = await http(sim).post(`/portal/rest/login/${kind}Login`, { username, password });
	const session = sessionCookie(response);
	if (!session) throw new Error(`login of ${username} failed: HTTP ${response.status}`);
	return session;
}

function setCookies(response: AxiosResponse): string[] {
	const header = response.headers['set-cookie'];
	return Array.isArray(header) ? header : header ? [String(header)] : [];
}

function sessionCookie(response: AxiosResponse): string | undefined {
	for (const cookie of setCookies(response)) {
		const match = /^velocloud\.session=([^;]*)/.exec(cookie);
		if (match && match[1] !== '') return match[1];
	}
	return undefined;
}

async function controlWindow(sim: VeloCloudSimulator, enterpriseId: number | undefined, start: number, end: number): Promise<VcoEvent[]> {
	const query = new URLSearchParams({ start: String(start), end: String(end) });
	if (enterpriseId !== undefined) query.set('enterpriseId', String(enterpriseId));
	const response = await axios.get<{ count: number; events: VcoEvent[] }>(`${sim.url}/__sim/vco/events?${query}`, { timeout: 30_000 });
	expect(response.status).toBe(200);
	expect(response.data.count).toBe(response.data.events.length);
	return response.data.events;
}

/** Follows nextPageLink to the end (S3 style: top-level limit on follow-ups); bounded by maxPages. */
async function pageAll(
	sim: VeloCloudSimulator,
	auth: Auth,
	first: Record<string, unknown>,
	limit: number,
	between?: (page: number) => Promise<void>,
	maxPages = 1000,
): Promise<{ events: VcoEvent[]; pages: number }> {
	const api = http(sim);
	const events: VcoEvent[] = [];
	let params: Record<string, unknown> = { ...first, filter: { ...((first.filter as object) ?? {}), limit } };
	for (let page = 1; page <= maxPages; page++) {
		const response = await api.post<EventsResult>(EVENTS, params, { headers: authHeaders(auth), timeout: 30_000 });
		expect(response.status).toBe(200);
		events.push(...response.data.data);
		if (!response.data.metaData.more) return { events, pages: page };
		expect(response.data.data).toHaveLength(limit);
		expect(typeof response.data.metaData.nextPageLink).toBe('string');
		if (between) await between(page);
		params = { ...first, nextPageLink: response.data.metaData.nextPageLink, limit };
	}
	throw new Error(`still more events after ${maxPages} pages`);
}

function newestFirst(events: VcoEvent[]): VcoEvent[] {
	return [...events].sort((a, b) => ms(b) - ms(a) || b.id - a.id);
}

describe('VeloCloudSimulator (VCO Portal API v1)', () => {
	let sim: VeloCloudSimulator;
	let token: Auth;
	let anchor: number;

	beforeAll(async () => {
		sim = await new VeloCloudSimulator({ eventCount: 20_000, tokens: { [OPERATOR_TOKEN]: 'operator', [PARTNER_TOKEN]: 'partner' } }).start();
		token = { token: sim.credentials().token };
		anchor = sim.options.anchorMs;
	});

	afterAll(async () => {
		await sim.stop();
	});

	beforeEach(async () => {
		await axios.post(`${sim.url}/__sim/reset`);
	});

	describe('authentication', () => {
		it('exposes the documented default credentials', () => {
			expect(sim.credentials()).toEqual({
				url: sim.url,
				token: 'vco-sim-token-7f3a9c',
				username: 'admin@acme.example',
				password: 'Velo-Sim-Pass-1',
				operatorUsername: 'operator@vco.example',
				operatorPassword: 'Operator-Sim-Pass-1',
				partnerUsername: 'msp@partner.example',
				partnerPassword: 'Partner-Sim-Pass-1',
			});
		});

		it('accepts the API token as an enterprise user of enterprise 1', async () => {
			const response = await rest<Record<string, unknown>>(sim, 'enterprise/getEnterprise', {}, token);
			expect(response.status).toBe(200);
			expect(response.data).toMatchObject({ id: 1, name: 'Acme Retail Group', networkId: 1 });
		});

		it('answers 401 with an error body for a wrong token, on both transports', async () => {
			const restResponse = await rest(sim, 'enterprise/getEnterprise', {}, { token: 'not-a-token' });
			expect(restResponse.status).toBe(401);
			expect(restResponse.data).toEqual({ error: { code: -32000, message: 'tokenError [invalid token]' } });
			const rpcResponse = await rpc(sim, 'enterprise/getEnterprise', {}, { token: 'not-a-token' }, 42);
			expect(rpcResponse.status).toBe(401);
			expect(rpcResponse.data).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'tokenError [invalid token]' }, id: 42 });
			const bearer = await http(sim).post('/portal/rest/enterprise/getEnterprise', {}, { headers: { authorization: `Bearer ${sim.credentials().token}` } });
			expect(bearer.status).toBe(401);
		});

		it('answers 401 "Authorization Cookie not Received" without credentials', async () => {
			const response = await rest(sim, 'enterprise/getEnterprise', {}, undefined);
			expect(response.status).toBe(401);
			expect(response.data).toEqual({ error: { code: -32000, message: 'Authorization Cookie not Received' } });
		});

		it('logs an enterprise user in with 302 and a velocloud.session cookie', async () => {
			const c = sim.credentials();
			const response = await http(sim).post('/portal/rest/login/enterpriseLogin', { username: c.username, password: c.password });
			expect(response.status).toBe(302);
			expect(response.headers.location).toBe('/');
			const cookies = setCookies(response);
			expect(cookies).toHaveLength(1);
			expect(cookies[0]).toMatch(/^velocloud\.session=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly$/);
			const session = sessionCookie(response)!;
			const enterprise = await rest<Record<string, unknown>>(sim, 'enterprise/getEnterprise', {}, { cookie: session });
			expect(enterprise.status).toBe(200);
			expect(enterprise.data.id).toBe(1);
		});

		it('answers a failed login with 302, velocloud.message and no usable session', async () => {
			const response = await http(sim).post('/portal/rest/login/enterpriseLogin', { username: 'admin@acme.example', password: 'wrong' });
			expect(response.status).toBe(302);
			expect(response.headers.location).toBe('/login.html');
			const cookies = setCookies(response);
			expect(cookies).toContain('velocloud.message=Invalid%20username%20or%20password; Path=/');
			expect(sessionCookie(response)).toBeUndefined();
			// the spec: success is a *non-empty* velocloud.session; a failure clears it
			expect(cookies.some((cookie) => cookie.startsWith('velocloud.session=;'))).toBe(true);
		});

		it('keeps operator and enterprise logins apart', async () => {
			const c = sim.credentials();
			const operator = await http(sim).post('/portal/rest/login/operatorLogin', { username: c.operatorUsername, password: c.operatorPassword });
			expect(operator.status).toBe(302);
			expect(sessionCookie(operator)).toBeDefined();
			const operatorAsEnterprise = await http(sim).post('/portal/rest/login/enterpriseLogin', { username: c.operatorUsername, password: c.operatorPassword });
			expect(operatorAsEnterprise.status).toBe(302);
			expect(sessionCookie(operatorAsEnterprise)).toBeUndefined();
			const enterpriseAsOperator = await http(sim).post('/portal/rest/login/operatorLogin', { username: c.username, password: c.password });
			expect(sessionCookie(enterpriseAsOperator)).toBeUndefined();
			const networks = await rest<Array<{ id: number }>>(sim, 'network/getNetworkEnterprises', {}, { cookie: sessionCookie(operator)! });
			expect(networks.status).toBe(200);
			expect(networks.data.map((e) => e.id)).toEqual([1, 2, 3, 4]);
		});

		it("accepts the seed's unprefixed /login/enterpriseLogin and a url-encoded form", async () => {
			const c = sim.credentials();
			const seedStyle = await http(sim).post('/login/enterpriseLogin', { username: c.username, password: c.password });
			expect(seedStyle.status).toBe(302);
			expect(sessionCookie(seedStyle)).toBeDefined();
			const form = await http(sim).post('/portal/rest/login/enterpriseLogin', `username=${encodeURIComponent(c.username)}&password=${encodeURIComponent(c.password)}`, {
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			});
			expect(sessionCookie(form)).toBeDefined();
		});

		it('logs in over JSON-RPC with the same cookies and an empty result', async () => {
			const c = sim.credentials();
			const ok = await rpc(sim, 'login/operatorLogin', { username: c.operatorUsername, password: c.operatorPassword }, undefined, 5);
			expect(ok.status).toBe(200);
			expect(ok.data).toEqual({ jsonrpc: '2.0', result: {}, id: 5 });
			const session = sessionCookie(ok)!;
			expect((await rpc(sim, 'network/getNetworkEnterprises', {}, { cookie: session })).status).toBe(200);
			const bad = await rpc(sim, 'login/enterpriseLogin', { username: c.username, password: 'nope' }, undefined, 6);
			expect(bad.data).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Invalid username or password' }, id: 6 });
			expect(sessionCookie(bad)).toBeUndefined();
		});

		it('lands on a 200 page when a client follows the login redirect', async () => {
			const c = sim.credentials();
			const followed = await axios.post(`${sim.url}/portal/rest/login/enterpriseLogin`, { username: c.username, password: c.password }, { validateStatus: () => true, maxRedirects: 5, timeout: 10_000 });
			expect(followed.status).toBe(200);
			expect(String(followed.data)).toContain('VMware SD-WAN Orchestrator');
		});

		it('logs out with 302; the old cookie then gets the expired-session signal', async () => {
			const c = sim.credentials();
			const session = await login(sim, 'enterprise', c.username, c.password);
			const logout = await http(sim).post('/portal/rest/logout', {}, { headers: authHeaders({ cookie: session }) });
			expect(logout.status).toBe(302);
			expect(logout.headers.location).toBe('/login.html');
			const after = await rest(sim, 'enterprise/getEnterprise', {}, { cookie: session });
			expect(after.status).toBe(200);
			expect(after.data).toEqual({ error: { code: -32000, message: 'tokenError [expired session cookie]' } });
		});

		it('signals an expireSession fault with HTTP 200 and a tokenError body on both transports', async () => {
			const c = sim.credentials();
			let session = await login(sim, 'enterprise', c.username, c.password);
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: EVENTS, kind: 'expireSession' }] });
			const restResponse = await rest(sim, 'event/getEnterpriseEvents', {}, { cookie: session });
			expect(restResponse.status).toBe(200);
			expect(restResponse.data).toEqual({ error: { code: -32000, message: 'tokenError [expired session cookie]' } });

			session = await login(sim, 'enterprise', c.username, c.password);
			expect((await rpc(sim, 'enterprise/getEnterprise', {}, { cookie: session })).status).toBe(200);
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: '/portal/', kind: 'expireSession' }] });
			const rpcResponse = await rpc(sim, 'event/getEnterpriseEvents', {}, { cookie: session }, 1_700_000_000_123);
			expect(rpcResponse.status).toBe(200);
			expect(rpcResponse.data).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'tokenError [expired session cookie]' }, id: 1_700_000_000_123 });
			// a fresh login works again; tokens are not sessions and never expire this way
			const fresh = await login(sim, 'enterprise', c.username, c.password);
			expect((await rest(sim, 'enterprise/getEnterprise', {}, { cookie: fresh })).status).toBe(200);
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: '/portal/rest/enterprise/getEnterprise', kind: 'expireSession' }] });
			expect((await rest(sim, 'enterprise/getEnterprise', {}, token)).status).toBe(200);
		});

		it('expires sessions after sessionTtlMs', async () => {
			const short = await new VeloCloudSimulator({ eventCount: 10, sessionTtlMs: 500 }).start();
			try {
				const c = short.credentials();
				const session = await login(short, 'enterprise', c.username, c.password);
				expect((await rest(short, 'enterprise/getEnterprise', {}, { cookie: session })).status).toBe(200);
				await sleep(600);
				const expired = await rest(short, 'enterprise/getEnterprise', {}, { cookie: session });
				expect(expired.status).toBe(200);
				expect(expired.data).toEqual({ error: { code: -32000, message: 'tokenError [expired session cookie]' } });
			} finally {
				await short.stop();
			}
		});
	});

	describe('transports', () => {
		it('wraps JSON-RPC results in an envelope that echoes the id; REST-like answers the bare result', async () => {
			const bare = await rest<Record<string, unknown>>(sim, 'enterprise/getEnterprise', {}, token);
			const wrapped = await rpc<Record<string, unknown>>(sim, 'enterprise/getEnterprise', {}, token, 1_609_459_200_000);
			expect(wrapped.status).toBe(200);
			expect(Object.keys(wrapped.data)).toEqual(['jsonrpc', 'result', 'id']);
			expect(wrapped.data).toEqual({ jsonrpc: '2.0', result: bare.data, id: 1_609_459_200_000 });
			expect(bare.data).not.toHaveProperty('jsonrpc');
		});

		it('answers unknown methods with -32601 on both transports', async () => {
			const viaRpc = await rpc(sim, 'event/getEverything', {}, token, 7);
			expect(viaRpc.status).toBe(400);
			expect(viaRpc.data).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found: event/getEverything' }, id: 7 });
			const viaRest = await rest(sim, 'event/getEverything', {}, token);
			expect(viaRest.status).toBe(400);
			expect(viaRest.data).toEqual({ error: { code: -32601, message: 'Method not found: event/getEverything' } });
		});

		it('rejects bad JSON-RPC envelopes and bodies that are not JSON', async () => {
			const api = http(sim);
			const version = await api.post('/portal/', { jsonrpc: '1.0', method: 'enterprise/getEnterprise', params: {}, id: 3 }, { headers: authHeaders(token) });
			expect(version.status).toBe(400);
			expect(version.data).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request: jsonrpc must be "2.0"' }, id: 3 });
			// axios would JSON-encode an unparsable string; send the bytes as they are
			const raw = { headers: { ...authHeaders(token), 'content-type': 'application/json' }, transformRequest: [(data: unknown) => data] };
			const garbled = await api.post('/portal/', '{"jsonrpc":"2.0",', raw);
			expect(garbled.status).toBe(400);
			expect(garbled.data).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON' }, id: null });
			const restGarbled = await api.post(EVENTS, 'not json', raw);
			expect(restGarbled.status).toBe(400);
			expect(restGarbled.data).toEqual({ error: { code: -32700, message: 'Parse error: the body is not JSON' } });
			const batch = await api.post('/portal/', [{ jsonrpc: '2.0', method: 'enterprise/getEnterprise', params: {}, id: 1 }], { headers: authHeaders(token) });
			expect(batch.status).toBe(400);
			expect(batch.data.error.code).toBe(-32600);
			const arrayParams = await api.post(EVENTS, [1, 2], { headers: authHeaders(token) });
			expect(arrayParams.status).toBe(400);
			expect(arrayParams.data.error.code).toBe(-32602);
		});

		it('accepts POST only', async () => {
			const restGet = await http(sim).get(EVENTS, { headers: authHeaders(token) });
			expect(restGet.status).toBe(405);
			expect(restGet.headers.allow).toBe('POST');
			expect(restGet.data.error.code).toBe(-32600);
			const rpcGet = await http(sim).get('/portal/', { headers: authHeaders(token) });
			expect(rpcGet.status).toBe(405);
			expect(rpcGet.data).toMatchObject({ jsonrpc: '2.0', id: null });
		});

		it("serves a doubled slash (the seed's trailing-slash hostname) like the nginx in front of VCO", async () => {
			const response = await axios.post(`${sim.url}//portal/`, { jsonrpc: '2.0', method: 'enterprise/getEnterprise', params: {}, id: 1 }, {
				headers: authHeaders(token),
				validateStatus: () => true,
				timeout: 10_000,
			});
			expect(response.status).toBe(200);
			expect(response.data.result.id).toBe(1);
		});
	});

	describe('event/getEnterpriseEvents', () => {
		it('returns events with exactly the documented keys, detail as a JSON string, newest first', async () => {
			const response = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start: anchor - 6 * HOUR, end: anchor } }, token);
			expect(response.status).toBe(200);
			expect(Object.keys(response.data)).toEqual(['metaData', 'data']);
			const events = response.data.data;
			expect(events.length).toBeGreaterThan(1000);
			for (const event of events) {
				expect(Object.keys(event)).toEqual(EVENT_KEYS);
				expect(event.eventTime).toMatch(ISO_MS);
				expect(Number.isInteger(event.id) && event.id > 0).toBe(true);
				expect(typeof event.detail).toBe('string');
				expect(typeof JSON.parse(event.detail)).toBe('object');
				expect(CATEGORIES).toContain(event.category);
				expect(VCO_SEVERITIES).toContain(event.severity);
			}
			for (let i = 1; i < events.length; i++) {
				const newer = events[i - 1];
				const older = events[i];
				expect(ms(newer) > ms(older) || (ms(newer) === ms(older) && newer.id > older.id)).toBe(true);
			}
			expect(new Set(ids(events)).size).toBe(events.length);
			// system events carry no edge, user events carry the user, and non-ASCII names appear
			expect(events.some((e) => e.edgeName === null && e.enterpriseUsername === null)).toBe(true);
			expect(events.some((e) => e.event === 'USER_LOGIN' && e.enterpriseUsername !== null && e.edgeName === null)).toBe(true);
			expect(events.some((e) => e.edgeName === 'Zürich-Edge-02')).toBe(true);
			expect(events.find((e) => e.event === 'LINK_ALIVE')!.message).toMatch(/^Link (GE3|GE4|CELL1) is no longer DEAD$/);
		});

		it('matches the control window exactly and sends non-ASCII as UTF-8', async () => {
			const start = anchor - 2 * HOUR;
			const end = anchor - HOUR;
			const response = await http(sim).post(EVENTS, { interval: { start, end } }, { headers: authHeaders(token), responseType: 'text' });
			const result = JSON.parse(response.data as string) as EventsResult;
			expect(result.data).toEqual((await controlWindow(sim, 1, start, end)).reverse());
			expect(result.metaData).toEqual({ limit: 2048, more: false });
			if (result.data.some((e) => e.edgeName === 'Zürich-Edge-02')) expect(response.data).toContain('"edgeName":"Zürich-Edge-02"');
		});

		it('returns 2048 rows by default over the last 12 hours, with more and a nextPageLink', async () => {
			const response = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', {}, token);
			expect(response.status).toBe(200);
			expect(response.data.data).toHaveLength(2048);
			expect(response.data.metaData.limit).toBe(2048);
			expect(response.data.metaData.more).toBe(true);
			expect(Object.keys(response.data.metaData)).toEqual(['limit', 'more', 'nextPageLink']);
			const expected = (await controlWindow(sim, 1, Date.now() - 12 * HOUR + 60_000, Date.now())).reverse().slice(0, 2048);
			expect(response.data.data).toEqual(expected);
			const oldest = ms(response.data.data[2047]);
			expect(oldest).toBeGreaterThanOrEqual(Date.now() - 12 * HOUR - 60_000);
		});

		it('treats both interval bounds as inclusive', async () => {
			const window = await controlWindow(sim, 1, anchor - 3 * HOUR, anchor - 2 * HOUR);
			const a = window[10];
			const b = window.find((e) => ms(e) > ms(a) + 1)!;
			const inner = window.filter((e) => ms(e) >= ms(a) && ms(e) <= ms(b));
			const response = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start: ms(a), end: ms(b) } }, token);
			expect(ids(response.data.data)).toEqual(ids(inner).reverse());
			expect(ids(response.data.data)).toContain(a.id);
			expect(ids(response.data.data)).toContain(b.id);
			const exclusive = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start: ms(a) + 1, end: ms(b) - 1 } }, token);
			expect(ids(exclusive.data.data)).not.toContain(a.id);
			expect(ids(exclusive.data.data)).not.toContain(b.id);
		});

		it('reads epoch ms, RFC 3339 and the seed\'s naive timestamps alike', async () => {
			const start = Math.floor((anchor - 5 * HOUR) / 1000) * 1000;
			const end = start + 30 * 60_000;
			const byMs = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start, end } }, token);
			const byIso = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start: new Date(start).toISOString(), end: new Date(end).toISOString() } }, token);
			const naive = (t: number) => new Date(t).toISOString().slice(0, 19);
			const plusTwoHours = (t: number) => `${new Date(t + 2 * HOUR).toISOString().slice(0, 23)}+02:00`;
			const bySeed = await rpc<{ result: EventsResult }>(sim, 'event/getEnterpriseEvents', { enterpriseId: 1, interval: { start: naive(start), end: naive(end) } }, token);
			const byOffset = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start: plusTwoHours(start), end: plusTwoHours(end) } }, token);
			expect(byMs.data.data.length).toBeGreaterThan(10);
			expect(byIso.data.data).toEqual(byMs.data.data);
			expect(bySeed.data.result.data).toEqual(byMs.data.data);
			expect(byOffset.data.data).toEqual(byMs.data.data);
		});

		it('uses now when interval.end is omitted and rejects a bad interval', async () => {
			const start = anchor - HOUR;
			const open = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start } }, token);
			expect(open.data.data).toEqual((await controlWindow(sim, 1, start, Date.now())).reverse());
			const bad = await rest(sim, 'event/getEnterpriseEvents', { interval: { start: 'yesterday' } }, token);
			expect(bad.status).toBe(400);
			expect(bad.data).toEqual({
				error: {
					code: -32602,
					message: 'Invalid params: interval.start is not a date: "yesterday"',
					data: { valid: false, error: [{ code: 'INVALID', message: 'interval.start is not a date: "yesterday"', path: 'interval.start' }], warning: [] },
				},
			});
			const missing = await rest(sim, 'event/getEnterpriseEvents', { interval: { end: anchor } }, token);
			expect(missing.status).toBe(400);
		});

		it('applies filter rules exactly like the same predicate over the control window', async () => {
			const start = anchor - 8 * HOUR;
			const end = anchor - 2 * HOUR;
			const window = (await controlWindow(sim, 1, start, end)).reverse();
			const cases: Array<[unknown[], (e: VcoEvent) => boolean]> = [
				[[{ field: 'event', op: 'is', values: ['LINK_DEAD'] }], (e) => e.event === 'LINK_DEAD'],
				[[{ field: 'event', op: 'in', values: ['EDGE_UP', 'EDGE_DOWN'] }], (e) => e.event === 'EDGE_UP' || e.event === 'EDGE_DOWN'],
				[[{ field: 'edgeName', op: 'is', values: ['Zürich-Edge-02'] }], (e) => e.edgeName === 'Zürich-Edge-02'],
				[[{ field: 'severity', op: 'isNot', values: ['INFO'] }], (e) => e.severity !== 'INFO'],
				[[{ field: 'severity', op: 'is not', values: ['INFO', 'NOTICE'] }], (e) => e.severity !== 'INFO' && e.severity !== 'NOTICE'],
				[[{ field: 'event', op: 'notIn', values: ['LINK_ALIVE', 'LINK_DEAD'] }], (e) => e.event !== 'LINK_ALIVE' && e.event !== 'LINK_DEAD'],
				[[{ field: 'user', op: 'contains', values: ['josé'] }], (e) => (e.enterpriseUsername ?? '').includes('josé')],
				[[{ field: 'message', op: 'startsWith', values: ['Link '] }], (e) => e.message.startsWith('Link ')],
				[[{ field: 'message', op: 'endsWith', values: ['DEAD'] }], (e) => e.message.endsWith('DEAD')],
				[[{ field: 'detail', op: 'notContains', values: ['logicalId'] }], (e) => !e.detail.includes('logicalId')],
				[[{ field: 'segmentName', op: 'isNotNull', values: [] }], (e) => e.segmentName !== null],
				[[{ field: 'edgeName', op: 'isNull', values: [] }], (e) => e.edgeName === null],
				[[{ field: 'severity', op: 'greaterOrEquals', values: ['WARNING'] }], (e) => ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING'].includes(e.severity)],
				[
					[
						{ field: 'event', op: 'startsWith', values: ['EDGE_'] },
						{ field: 'edgeName', op: 'notStartsWith', values: ['Chicago'] },
					],
					(e) => e.event.startsWith('EDGE_') && !(e.edgeName ?? '').startsWith('Chicago'),
				],
			];
			for (const [rules, predicate] of cases) {
				const response = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start, end }, filter: { limit: 10_000, rules } }, token);
				expect(response.status).toBe(200);
				const expected = window.filter(predicate);
				expect(expected.length).toBeGreaterThan(0);
				expect(ids(response.data.data)).toEqual(ids(expected));
			}
		});

		it('rejects unknown rule fields and ops with -32602', async () => {
			const field = await rest(sim, 'event/getEnterpriseEvents', { filter: { rules: [{ field: 'gatewayName', op: 'is', values: ['x'] }] } }, token);
			expect(field.status).toBe(400);
			expect(field.data).toMatchObject({ error: { code: -32602, data: { valid: false, error: [{ path: 'filter.rules[0].field' }] } } });
			const op = await rest(sim, 'event/getEnterpriseEvents', { filter: { rules: [{ field: 'event', op: 'like', values: ['x'] }] } }, token);
			expect(op.status).toBe(400);
			expect(op.data).toMatchObject({ error: { code: -32602, data: { error: [{ path: 'filter.rules[0].op' }] } } });
		});

		it('keeps only the events of the edges in edgeId', async () => {
			const edges = await rest<Array<{ id: number; name: string }>>(sim, 'enterprise/getEnterpriseEdges', {}, token);
			const zurich = edges.data.find((edge) => edge.name === 'Zürich-Edge-02')!;
			const dallas = edges.data.find((edge) => edge.name === 'Dallas-Store-114')!;
			const start = anchor - 6 * HOUR;
			const response = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start, end: anchor }, edgeId: [zurich.id, dallas.id], filter: { limit: 10_000 } }, token);
			const expected = (await controlWindow(sim, 1, start, anchor)).reverse().filter((e) => e.edgeName === zurich.name || e.edgeName === dallas.name);
			expect(expected.length).toBeGreaterThan(100);
			expect(ids(response.data.data)).toEqual(ids(expected));
		});

		it('pages with nextPageLink to the end, matching the control window with no duplicates or gaps', async () => {
			const start = anchor - 10 * HOUR;
			const end = anchor - 4 * HOUR;
			const expected = (await controlWindow(sim, 1, start, end)).reverse();
			const { events, pages } = await pageAll(sim, token, { interval: { start, end } }, 250);
			expect(pages).toBe(Math.ceil(expected.length / 250));
			expect(new Set(ids(events)).size).toBe(events.length);
			expect(events).toEqual(expected);

			// follow-ups may also carry the limit in filter.limit, and the transport may be JSON-RPC
			const first = await rpc<{ result: EventsResult }>(sim, 'event/getEnterpriseEvents', { interval: { start, end }, filter: { limit: 1000 } }, token);
			const second = await rpc<{ result: EventsResult }>(sim, 'event/getEnterpriseEvents', {
				interval: { start, end },
				filter: { limit: 1000 },
				nextPageLink: first.data.result.metaData.nextPageLink,
			}, token);
			expect([...first.data.result.data, ...second.data.result.data]).toEqual(expected.slice(0, 2000));
		});

		it('keeps paging stable while events arrive between pages', async () => {
			const start = anchor - 2 * HOUR;
			const end = Date.now() + HOUR;
			const before = (await controlWindow(sim, 1, start, end)).reverse();
			const lateTime = ms(before[Math.floor(before.length * 0.8)]) - 1;
			const added: VcoEvent[] = [];
			const { events } = await pageAll(sim, token, { interval: { start, end } }, 100, async (page) => {
				if (page !== 2) return;
				// newer than the cursor: already paged past, must not show up
				added.push(...sim.addEvents({ enterpriseId: 1, count: 3 }));
				// late events older than the cursor: must show up, once, in their place
				added.push(...sim.addEvents({ enterpriseId: 1, count: 2, eventTime: lateTime }));
			});
			const [newA, newB, newC, late1, late2] = added;
			expect(new Set(ids(events)).size).toBe(events.length);
			for (const fresh of [newA, newB, newC]) expect(ids(events)).not.toContain(fresh.id);
			expect(events).toEqual(newestFirst([...before, late1, late2]));
		});

		it('rejects garbled or foreign page links with -32602', async () => {
			const first = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { filter: { limit: 5 } }, token);
			const link = first.data.metaData.nextPageLink!;
			const tampered = link.slice(0, 10) + (link[10] === 'A' ? 'B' : 'A') + link.slice(11);
			for (const bad of ['not-a-link', tampered, 12345]) {
				const response = await rest(sim, 'event/getEnterpriseEvents', { nextPageLink: bad, limit: 5 }, token);
				expect(response.status).toBe(400);
				expect(response.data).toMatchObject({ error: { code: -32602, message: 'Invalid params: nextPageLink is not valid' } });
			}
			const foreign = await rest(sim, 'event/getEnterpriseEvents', { enterpriseId: 2, nextPageLink: link }, { token: OPERATOR_TOKEN });
			expect(foreign.status).toBe(400);
			expect(foreign.data).toMatchObject({ error: { code: -32602, message: 'Invalid params: nextPageLink belongs to another enterprise' } });
		});

		it('cuts limits above 10000 and refuses non-positive ones', async () => {
			const big = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: { start: anchor - 24 * HOUR, end: anchor }, filter: { limit: 50_000 } }, token);
			expect(big.data.metaData.limit).toBe(10_000);
			expect(big.data.data).toHaveLength(5000);
			expect(big.data.metaData.more).toBe(false);
			const zero = await rest(sim, 'event/getEnterpriseEvents', { filter: { limit: 0 } }, token);
			expect(zero.status).toBe(400);
		});

		it('infers the enterprise for enterprise users and forbids other enterprises', async () => {
			const own = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { enterpriseId: 1, filter: { limit: 3 } }, token);
			expect(own.status).toBe(200);
			const other = await rest(sim, 'event/getEnterpriseEvents', { enterpriseId: 2 }, token);
			expect(other.status).toBe(403);
			expect(other.data).toEqual({ error: { code: -32000, message: 'Insufficient Permissions: no access to enterprise 2' } });
		});

		it('requires enterpriseId from operators and serves any enterprise to them', async () => {
			const operator = { token: OPERATOR_TOKEN };
			const missing = await rest(sim, 'event/getEnterpriseEvents', {}, operator);
			expect(missing.status).toBe(400);
			expect(missing.data).toMatchObject({ error: { code: -32602, message: 'Invalid params: enterpriseId is required for operator users' } });
			const start = anchor - 3 * HOUR;
			for (const enterpriseId of [2, 4]) {
				const response = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { enterpriseId, interval: { start, end: anchor } }, operator);
				expect(response.status).toBe(200);
				expect(response.data.data).toEqual((await controlWindow(sim, enterpriseId, start, anchor)).reverse());
			}
			const unknown = await rest(sim, 'event/getEnterpriseEvents', { enterpriseId: 99 }, operator);
			expect(unknown.status).toBe(400);
		});

		it('lets the partner read its customers only', async () => {
			const partner = { token: PARTNER_TOKEN };
			expect((await rest(sim, 'event/getEnterpriseEvents', { enterpriseId: 2, filter: { limit: 2 } }, partner)).status).toBe(200);
			expect((await rest(sim, 'event/getEnterpriseEvents', { enterpriseId: 3, filter: { limit: 2 } }, partner)).status).toBe(200);
			expect((await rest(sim, 'event/getEnterpriseEvents', { enterpriseId: 1 }, partner)).status).toBe(403);
			expect((await rest(sim, 'event/getEnterpriseEvents', {}, partner)).status).toBe(400);
		});

		it('runs a token as an operator when tokenRole says so', async () => {
			const operatorSim = await new VeloCloudSimulator({ eventCount: 100, tokenRole: 'operator' }).start();
			try {
				const auth = { token: operatorSim.credentials().token };
				expect((await rest(operatorSim, 'event/getEnterpriseEvents', {}, auth)).status).toBe(400);
				const networks = await rest<Array<{ id: number }>>(operatorSim, 'network/getNetworkEnterprises', {}, auth);
				expect(networks.data.map((e) => e.id)).toEqual([1, 2, 3, 4]);
			} finally {
				await operatorSim.stop();
			}
		});
	});

	describe('enterprises, edges and metrics', () => {
		const ENTERPRISE_KEYS = [
			'id', 'created', 'networkId', 'gatewayPoolId', 'alertsEnabled', 'operatorAlertsEnabled', 'endpointPkiMode', 'name', 'domain', 'prefix',
			'logicalId', 'accountNumber', 'description', 'contactName', 'contactPhone', 'contactMobile', 'contactEmail', 'streetAddress',
			'streetAddress2', 'city', 'state', 'postalCode', 'country', 'lat', 'lon', 'timezone', 'locale', 'modified', 'bastionState',
		];

		it('serves getEnterprise with the spec fields, and the partner with "with: enterpriseProxy"', async () => {
			const own = await rest<Record<string, unknown>>(sim, 'enterprise/getEnterprise', {}, token);
			expect(Object.keys(own.data)).toEqual(ENTERPRISE_KEYS);
			expect(own.data).toMatchObject({ id: 1, name: 'Acme Retail Group', domain: 'acme.example', timezone: 'America/Chicago', locale: 'en-US' });
			expect(own.data.logicalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			const withProxy = await rest<Record<string, unknown>>(sim, 'enterprise/getEnterprise', { with: ['enterpriseProxy'] }, token);
			expect(withProxy.data.enterpriseProxy).toBeNull();
			const globex = await rest<Record<string, unknown>>(sim, 'enterprise/getEnterprise', { id: 2, with: ['enterpriseProxy'] }, { token: OPERATOR_TOKEN });
			expect(globex.data.name).toBe('Globex Corp. (APAC)');
			expect(globex.data.enterpriseProxy).toMatchObject({ id: 1, name: 'Northwind Managed Networks', proxyType: 'MSP', networkId: 1 });
			expect((await rest(sim, 'enterprise/getEnterprise', { enterpriseId: 2 }, token)).status).toBe(403);
			expect((await rest(sim, 'enterprise/getEnterprise', { enterpriseId: 4 }, { token: PARTNER_TOKEN })).status).toBe(403);
			expect((await rest(sim, 'enterprise/getEnterprise', {}, { token: OPERATOR_TOKEN })).status).toBe(400);
		});

		it('serves getEnterpriseEdges with the spec fields', async () => {
			const response = await rest<Array<Record<string, unknown>>>(sim, 'enterprise/getEnterpriseEdges', {}, token);
			expect(response.status).toBe(200);
			expect(response.data.map((edge) => edge.name)).toEqual([
				'Chicago-HQ-Edge-01', 'Dallas-Store-114', 'Zürich-Edge-02', 'Denver-DC-Edge', 'Seattle-Store-207', 'Austin-Store-301',
			]);
			for (const edge of response.data) {
				for (const key of ['id', 'name', 'logicalId', 'edgeState', 'serialNumber', 'modelNumber', 'softwareVersion', 'activationState', 'enterpriseId', 'haState', 'lastContact']) {
					expect(edge).toHaveProperty(key);
				}
				expect(edge.enterpriseId).toBe(1);
			}
			expect(response.data.map((edge) => edge.edgeState)).toEqual(['CONNECTED', 'CONNECTED', 'CONNECTED', 'DEGRADED', 'OFFLINE', 'NEVER_ACTIVATED']);
			expect(response.data[5]).toMatchObject({ activationState: 'PENDING', serialNumber: null });
			expect(new Set(response.data.map((edge) => edge.id)).size).toBe(6);
			const withLinks = await rest<Array<{ links: Array<{ interface: string }> }>>(sim, 'enterprise/getEnterpriseEdges', { with: ['links'] }, token);
			expect(withLinks.data[0].links.map((link) => link.interface)).toEqual(['GE3', 'GE4']);
			const operatorEdges = await rest<unknown[]>(sim, 'enterprise/getEnterpriseEdges', { enterpriseId: 2 }, { token: OPERATOR_TOKEN });
			expect(operatorEdges.data).toHaveLength(3);
		});

		it('serves network/getNetworkEnterprises to operators only', async () => {
			const response = await rest<Array<Record<string, unknown>>>(sim, 'network/getNetworkEnterprises', { with: ['edgeCount'] }, { token: OPERATOR_TOKEN });
			expect(response.status).toBe(200);
			expect(response.data.map((e) => [e.id, e.name, e.enterpriseProxyId, e.edgeCount])).toEqual([
				[1, 'Acme Retail Group', null, 6],
				[2, 'Globex Corp. (APAC)', 1, 3],
				[3, 'Initech Financial Services', 1, 3],
				[4, 'Umbrella Logistics B.V.', null, 3],
			]);
			expect(response.data[1].enterpriseProxyName).toBe('Northwind Managed Networks');
			const some = await rest<Array<{ id: number }>>(sim, 'network/getNetworkEnterprises', { networkId: 1, enterprises: [2, 4] }, { token: OPERATOR_TOKEN });
			expect(some.data.map((e) => e.id)).toEqual([2, 4]);
			for (const auth of [token, { token: PARTNER_TOKEN }]) {
				const refused = await rest(sim, 'network/getNetworkEnterprises', {}, auth);
				expect(refused.status).toBe(403);
				expect(refused.data).toEqual({ error: { code: -32000, message: 'Insufficient Permissions: network/getNetworkEnterprises is for operator users' } });
			}
		});

		it('serves enterpriseProxy/getEnterpriseProxyEnterprises to the partner and to operators naming the proxy', async () => {
			const partner = await rest<Array<{ id: number; name: string }>>(sim, 'enterpriseProxy/getEnterpriseProxyEnterprises', {}, { token: PARTNER_TOKEN });
			expect(partner.status).toBe(200);
			expect(partner.data.map((e) => e.name)).toEqual(['Globex Corp. (APAC)', 'Initech Financial Services']);
			const c = sim.credentials();
			const session = await login(sim, 'enterprise', c.partnerUsername, c.partnerPassword);
			const viaSession = await rest<Array<{ id: number }>>(sim, 'enterpriseProxy/getEnterpriseProxyEnterprises', { with: ['edges'] }, { cookie: session });
			expect(viaSession.data.map((e) => e.id)).toEqual([2, 3]);
			expect((await rest(sim, 'enterpriseProxy/getEnterpriseProxyEnterprises', {}, { token: OPERATOR_TOKEN })).status).toBe(400);
			const operator = await rest<Array<{ id: number }>>(sim, 'enterpriseProxy/getEnterpriseProxyEnterprises', { enterpriseProxyId: 1 }, { token: OPERATOR_TOKEN });
			expect(operator.data.map((e) => e.id)).toEqual([2, 3]);
			expect((await rest(sim, 'enterpriseProxy/getEnterpriseProxyEnterprises', {}, token)).status).toBe(403);
		});

		it('serves monitoring/getAggregateEdgeLinkMetrics the way the seed reads it', async () => {
			const end = Date.now() - 600_000;
			const response = await rpc<{ result: Array<Record<string, unknown> & { link: Record<string, unknown> }> }>(
				sim,
				'monitoring/getAggregateEdgeLinkMetrics',
				{ interval: { start: end - HOUR, end } },
				token,
			);
			const links = response.data.result;
			expect(links[0].link.enterpriseName).toBe('Acme Retail Group');
			expect(links[0].link.enterpriseId).toBe(1);
			// Acme's activated edges have 2+2+2+2+1 WAN links
			expect(links).toHaveLength(9);
			for (const item of links) {
				expect(item.link.enterpriseId).toBe(1);
				expect(item.totalBytes).toBe((item.bytesTx as number) + (item.bytesRx as number));
				expect(item.name).toBe(item.link.interface);
				expect(item.linkId).toBe(item.link.linkId);
			}
			const all = await rest<Array<{ link: { enterpriseId: number } }>>(sim, 'monitoring/getAggregateEdgeLinkMetrics', { interval: { start: end - HOUR, end } }, { token: OPERATOR_TOKEN });
			expect([...new Set(all.data.map((item) => item.link.enterpriseId))]).toEqual([1, 2, 3, 4]);
			const some = await rest<Array<Record<string, unknown>>>(sim, 'monitoring/getAggregateEdgeLinkMetrics', { metrics: ['bytesRx'], interval: { start: end - HOUR, end } }, token);
			expect(Object.keys(some.data[0])).toEqual(['linkId', 'bytesRx', 'name', 'link']);
			expect((await rest(sim, 'monitoring/getAggregateEdgeLinkMetrics', { enterprises: [2] }, token)).status).toBe(403);
		});
	});

	describe('added and late events (control API)', () => {
		it('adds events with ids after the largest id; late ones appear in a window already polled', async () => {
			const now = Date.now();
			const pollWindow = { start: now - 15 * 60_000, end: now };
			const before = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: pollWindow }, token);
			const controlBefore = await controlWindow(sim, 1, pollWindow.start, pollWindow.end);
			const control = await axios.post<{ added: number; events: VcoEvent[] }>(`${sim.url}/__sim/vco/events`, { enterpriseId: 1, count: 2, backdateMs: 600_000 });
			expect(control.status).toBe(200);
			expect(control.data.added).toBe(2);
			const [first, second] = control.data.events;
			expect(second.id).toBe(first.id + 1);
			expect(first.id).toBeGreaterThan(FIRST_EVENT_ID + sim.options.eventCount - 1);
			expect(Object.keys(first)).toEqual(EVENT_KEYS);
			expect(Math.abs(ms(first) - (now - 600_000))).toBeLessThan(5_000);
			const after = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { interval: pollWindow }, token);
			expect(after.data.data).toEqual(newestFirst([...before.data.data, first, second]));
			expect(after.data.data.length).toBe(before.data.data.length + 2);
			expect(await controlWindow(sim, 1, pollWindow.start, pollWindow.end)).toEqual(newestFirst([...controlBefore, first, second]).reverse());
			expect(ids(await controlWindow(sim, 2, pollWindow.start, pollWindow.end))).not.toContain(first.id);
		});

		it('adds at an exact eventTime, of a chosen type, to a chosen enterprise', async () => {
			const eventTime = new Date(anchor - 30 * 60_000).toISOString();
			const response = await axios.post<{ events: VcoEvent[] }>(`${sim.url}/__sim/vco/events`, { enterpriseId: 3, count: 1, eventTime, event: 'EDGE_DOWN' });
			const [event] = response.data.events;
			expect(event).toMatchObject({ eventTime, event: 'EDGE_DOWN', category: 'EDGE', severity: 'CRITICAL' });
			expect(['NYC-Trading-Edge', 'London-Branch-Edge', 'Frankfurt-DR-Edge']).toContain(event.edgeName);
			const viaApi = await rest<EventsResult>(sim, 'event/getEnterpriseEvents', { enterpriseId: 3, interval: { start: eventTime, end: eventTime } }, { token: PARTNER_TOKEN });
			expect(ids(viaApi.data.data)).toContain(event.id);
			const refused = await axios.post(`${sim.url}/__sim/vco/events`, { enterpriseId: 9, count: 1 }, { validateStatus: () => true });
			expect(refused.status).toBe(400);
		});

		it('lists every enterprise in the control window when no enterpriseId is given', async () => {
			const start = anchor - HOUR;
			const all = await controlWindow(sim, undefined, start, anchor);
			const perEnterprise = (await Promise.all([1, 2, 3, 4].map((id) => controlWindow(sim, id, start, anchor)))).flat();
			expect(all.length).toBe(perEnterprise.length);
			expect(ids(all)).toEqual(ids([...perEnterprise].sort((a, b) => ms(a) - ms(b) || a.id - b.id)));
		});

		it('trickles events while started and stops with stop()', async () => {
			const trickling = await new VeloCloudSimulator({ eventCount: 0, trickleMs: 20 }).start();
			const count = () => trickling.eventsBetween(undefined, 0, Date.now() + HOUR).length;
			try {
				const until = Date.now() + 3000;
				while (count() < 3 && Date.now() < until) await sleep(20);
				expect(count()).toBeGreaterThanOrEqual(3);
			} finally {
				await trickling.stop();
			}
			const stopped = count();
			await sleep(100);
			expect(count()).toBe(stopped);
		});
	});

	describe('faults and rate limits', () => {
		it('injects 429 with Retry-After, then answers normally', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: EVENTS, kind: 'status', status: 429, retryAfter: 5 }] });
			const throttled = await rest(sim, 'event/getEnterpriseEvents', {}, token);
			expect(throttled.status).toBe(429);
			expect(throttled.headers['retry-after']).toBe('5');
			expect((await rest(sim, 'event/getEnterpriseEvents', { filter: { limit: 1 } }, token)).status).toBe(200);
		});

		it('injects a 500', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: EVENTS, kind: 'status', status: 500, body: { error: { code: -32603, message: 'Internal error' } } }] });
			const response = await rest(sim, 'event/getEnterpriseEvents', {}, token);
			expect(response.status).toBe(500);
			expect(response.data).toEqual({ error: { code: -32603, message: 'Internal error' } });
		});

		it('drops the connection', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: EVENTS, kind: 'drop' }] });
			await expect(rest(sim, 'event/getEnterpriseEvents', {}, token)).rejects.toThrow();
			expect((await rest(sim, 'event/getEnterpriseEvents', { filter: { limit: 1 } }, token)).status).toBe(200);
		});

		it('answers malformed JSON', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path: EVENTS, kind: 'malformed' }] });
			const response = await http(sim).post(EVENTS, {}, { headers: authHeaders(token), responseType: 'text' });
			expect(response.status).toBe(200);
			expect(() => JSON.parse(response.data as string)).toThrow();
		});

		it('throttles with a leaky bucket and a penalty period', async () => {
			const limited = await new VeloCloudSimulator({ eventCount: 10, rateLimitPerSecond: 2, rateLimitWindowMs: 1000, penaltyMs: 600 }).start();
			// Only Date is frozen (sockets and timers run): the bucket drains by the clock the test sets.
			const t0 = Date.now();
			jest.useFakeTimers({ now: t0, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
			try {
				const auth = { token: limited.credentials().token };
				expect((await rest(limited, 'enterprise/getEnterprise', {}, auth)).status).toBe(200);
				expect((await rest(limited, 'enterprise/getEnterprise', {}, auth)).status).toBe(200);
				const throttled = await rest(limited, 'enterprise/getEnterprise', {}, auth);
				expect(throttled.status).toBe(429);
				expect(throttled.headers['retry-after']).toBe('1');
				expect(throttled.data).toMatchObject({ error: { code: -32000 } });
				jest.setSystemTime(t0 + 300);
				// still in the penalty box although the bucket has drained a little
				expect((await rest(limited, 'enterprise/getEnterprise', {}, auth)).status).toBe(429);
				jest.setSystemTime(t0 + 750);
				expect((await rest(limited, 'enterprise/getEnterprise', {}, auth)).status).toBe(200);
			} finally {
				jest.useRealTimers();
				await limited.stop();
			}
		});
	});

	describe('volume', () => {
		// Correctness only: how fast it pages is measured by `npm run bench`, not asserted here.
		it('pages 10^5 events of a 10^6-event orchestrator with limit 2048', async () => {
			const big = await new VeloCloudSimulator({ eventCount: 1_000_000 }).start();
			try {
				const auth = { token: big.credentials().token };
				// enterprise 1 holds a quarter of the events: 250 000 per 24 h, so ~9.7 h hold ~10^5
				const end = big.options.anchorMs - 0.3 * HOUR;
				const start = end - 9.7 * HOUR;
				const expected = big.eventsBetween(1, start, end).reverse();
				expect(expected.length).toBeGreaterThanOrEqual(100_000);
				const { events, pages } = await pageAll(big, auth, { interval: { start, end } }, 2048);
				expect(pages).toBe(Math.ceil(expected.length / 2048));
				expect(events.length).toBe(expected.length);
				expect(new Set(ids(events)).size).toBe(events.length);
				expect(ids(events)).toEqual(ids(expected));
			} finally {
				await big.stop();
			}
		});
	});
});

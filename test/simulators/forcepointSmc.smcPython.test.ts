/**
 * Replays, on the wire, the calls the unchanged smc-python 1.0.31 + smc-python-monitoring 1.5.6 make
 * in test/simulators/vendorClients/forcepointSmc_smc_python.py, in both session modes at every API
 * version the simulator offers: the same requests, headers, socket handshakes and messages, in the
 * same order, with the answers the Python client depends on.
 */
import * as nodeHttp from 'node:http';
import * as nodeHttps from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { pythonJsonDumps } from '../../nodes/shared/pythonJson';
import { simulatorTls } from './common';
import { ForcepointSmcSimulator, SMC_BUFFER_ERROR } from './forcepointSmc';
import { addedOf, connect, logRecordsOf, waitFor, WAIT_MS, type Inbox, type Msg } from './forcepointSmcTestClient';

type Mode = 'cookie' | 'token';

/** smc-python's default session query format (Query.__init__ + TextFormat). */
const PRETTY = { type: 'texts', field_format: 'pretty', resolving: { senders: true } };

/**
 * One smc-python session: a requests.Session with one pooled keep-alive connection (token mode relies
 * on the server knowing that connection), the cookie jar, and `_token` sent only where send_request
 * adds it (not on entry points or logout).
 */
class PythonSession {
	readonly agent: nodeHttp.Agent;
	readonly http: AxiosInstance;
	cookie?: string;
	token?: string;
	entryPoints = new Map<string, string>();

	constructor(
		readonly sim: ForcepointSmcSimulator,
		readonly version: string,
	) {
		const pool = { keepAlive: true, maxSockets: 1 };
		this.agent = sim.url.startsWith('https') ? new nodeHttps.Agent({ ...pool, ca: simulatorTls().ca }) : new nodeHttp.Agent(pool);
		this.http = axios.create({ httpAgent: this.agent, httpsAgent: this.agent, validateStatus: () => true, timeout: WAIT_MS });
	}

	private headers(withToken: boolean): Record<string, string> {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (this.cookie) headers.Cookie = this.cookie;
		if (withToken && this.token) headers.Authorization = this.token;
		return headers;
	}

	/** Session.login: POST login or lms_login, then load_entry_points, then current_user. */
	async login(body: Record<string, unknown>, query?: Record<string, string>): Promise<string> {
		const path = query ? 'lms_login' : 'login';
		const response = await this.http.post(`${this.sim.url}/${this.version}/${path}`, body, { params: query, headers: this.headers(false) });
		expect(response.status).toBe(200);
		this.cookie = response.headers['set-cookie']?.[0]?.split(';')[0];
		this.token = response.headers.authorization as string | undefined;
		const api = await this.http.get(`${this.sim.url}/${this.version}/api`, { headers: this.headers(false) });
		expect(api.status).toBe(200);
		this.entryPoints = new Map((api.data.entry_point as Array<{ rel: string; href: string }>).map((entry) => [entry.rel, entry.href]));
		const current = await this.get(this.entryPoints.get('current_user')!);
		return (await this.get(current.value as string)).name as string;
	}

	/** send_request GET: adds the token, relogs in once on 401. */
	async get(url: string, params?: Record<string, string>): Promise<Record<string, unknown>> {
		const response = await this.http.get(url, { params, headers: this.headers(true) });
		expect(response.status).toBe(200);
		return response.data.result ?? response.data;
	}

	async send(method: 'post' | 'delete', url: string, body?: unknown): Promise<number> {
		const response = await this.http.request({ method, url, data: body, headers: this.headers(true) });
		return response.status;
	}

	async logout(): Promise<number> {
		const response = await this.http.put(this.entryPoints.get('logout')!, undefined, { headers: this.headers(false) });
		this.agent.destroy();
		return response.status;
	}

	/** SMCSocketProtocol.__enter__: the cookie, or subprotocols {access_token, token}; never an Origin. */
	socket(path: string): Promise<Inbox> {
		const url = `${this.sim.url.replace('http', 'ws')}/${this.version}${path}`;
		return this.cookie ? connect(url, this.cookie) : connect(url, undefined, ['access_token', this.token!]);
	}
}

/** SMCSocketProtocol.receive: read until `end` or `enough`, then {"abort": fetch} and close 1000. */
async function runQuery(python: PythonSession, path: string, request: unknown, enough: (messages: Msg[]) => boolean): Promise<Msg[]> {
	const inbox = await python.socket(path);
	inbox.send(request);
	const messages: Msg[] = [];
	try {
		await inbox.until((message) => {
			if (message.failure) throw new Error(message.failure);
			messages.push(message);
			return message.end !== undefined || enough(messages);
		});
	} finally {
		const fetch = messages.find((message) => message.fetch !== undefined)?.fetch;
		if (fetch !== undefined) inbox.send({ abort: fetch });
		inbox.ws.close(1000);
	}
	return messages;
}

function sessionQuery(definition: string, target: string, filter?: unknown, format: unknown = PRETTY): unknown {
	return { query: { definition, target, ...(filter ? { filter } : {}) }, fetch: {}, format };
}

/** The engine a status-socket message reports on (log progress messages carry a string status instead). */
function engineStatusName(message: Msg): string | undefined {
	const status = (message as unknown as { status?: unknown }).status;
	return typeof status === 'object' && status !== null ? String((status as { name?: unknown }).name) : undefined;
}

const blockListFormat = {
	type: 'combined',
	formats: { bldata: { type: 'texts', field_format: 'name' }, blid: { type: 'texts', field_format: 'pretty', field_ids: [117] } },
};

describe('Forcepoint SMC simulator replays smc-python', () => {
	const sim = new ForcepointSmcSimulator({ seed: 7 });
	beforeAll(() => sim.start(0));
	afterAll(() => sim.stop());

	const cases = (['cookie', 'token'] as Mode[]).flatMap((mode) => sim.options.apiVersions.map((version) => [mode, version] as const));

	it.each(cases)('%s mode, API %s', async (mode, version) => {
		sim.options.sessionTracking = mode;
		const python = new PythonSession(sim, version);
		const versions = (await python.http.get(`${sim.url}/api`)).data.version as Array<{ rel: string }>;
		expect(versions.map((entry) => entry.rel)).toContain(version);

		// Login, current user, element search, collections, log schema.
		expect(await python.login({ domain: 'Shared Domain', authenticationkey: sim.options.apiKey })).toBe('n8n');
		expect(mode === 'cookie' ? python.cookie : python.token).toMatch(/^(JSESSIONID=)?[0-9A-F]{32}$/);
		expect(mode === 'cookie' ? python.token : python.cookie).toBeUndefined();
		const elements = python.entryPoints.get('elements')!;
		const [host] = (await python.get(elements, { filter: 'DNS Server 1', filter_context: 'host', exact_match: 'True' })) as unknown as Array<{ href: string }>;
		expect((await python.get(host.href)).address).toBe('10.0.0.53');
		const [engineMeta] = (await python.get(elements, { filter: 'Plano FW', filter_context: 'engine_clusters', exact_match: 'True' })) as unknown as Array<{ href: string }>;
		expect(engineMeta.href).toBe(`${sim.url}/${version}/elements/single_fw/1649`);
		expect(await python.get(python.entryPoints.get('engine_clusters')!)).toHaveLength(3);
		if (mode === 'cookie') expect((await python.get(`${sim.url}/${version}/monitoring/log/schemas`)).properties).toHaveProperty('query');

		// Status socket.
		const status = await python.socket('/status/socket');
		status.send({ context: 'engine_clusters' });
		const statuses = await status.until((message) => engineStatusName(message) === 'Branch FW');
		expect(statuses).toHaveLength(4);
		status.ws.close(1000);

		// Notification: the first subscription, then the second, events on both.
		const notes = await python.socket('/notification/socket');
		notes.send({ context: 'host' });
		notes.send({ context: 'network,host' });
		const acks = await notes.until((message) => message.subscription_id === 1 && message.success !== undefined);
		expect(acks.map((message) => message.success)).toEqual(['Subscribed for notifications', 'Subscribed for notifications']);
		sim.elementChange('host', 'create', `replay-host-${mode}-${version}`);
		sim.elementChange('network', 'create', `replay-net-${mode}-${version}`);
		const published = await notes.until((message) => JSON.stringify(message).includes('/elements/network/'));
		const events = published.flatMap((message) => (message.events ?? (message.event ? [message.event] : [])).map((event) => [message.subscription_id, event.type, event.element.split('/')[5]]));
		expect(events).toEqual([
			[0, 'create', 'host'],
			[1, 'create', 'host'],
			[1, 'create', 'network'],
		]);
		expect(published.every((message) => (version === '6.5' ? message.events : message.event) !== undefined)).toBe(true);
		notes.ws.close(1000);

		// Stored, table (field lookup first) and live log queries.
		const filter = {
			type: 'and',
			values: [
				{ type: 'defined', value: { type: 'field', id: 134 } },
				{ type: 'not', value: { type: 'in', left: { type: 'field', id: 27 }, right: [{ type: 'service', value: 'UDP/53' }] } },
			],
		};
		const stored = await runQuery(
			python,
			'/monitoring/log/socket',
			{ query: { start_ms: 0, end_ms: 0, type: 'stored', filter }, fetch: { quantity: 50, backwards: true }, format: { ...PRETTY, resolving: { senders: true, timezone: 'Europe/Helsinki', time_show_zone: true } } },
			() => false,
		);
		const storedRecords = logRecordsOf(stored);
		expect(storedRecords.length).toBeGreaterThan(0);
		expect(storedRecords.length).toBeLessThanOrEqual(50);
		expect(storedRecords.some((record) => record['Network Application'] === 'DNS')).toBe(false);
		const lookup = await runQuery(python, '/monitoring/log/socket', { fetch: { quantity: 0 }, format: { type: 'detailed', field_ids: [1, 7, 8, 14] }, query: {} }, (messages) =>
			messages.some((message) => message.fields),
		);
		expect(lookup.find((message) => message.fields)?.fields?.map((field) => field.pretty)).toEqual(['Creation Time', 'Src Addr', 'Dst Addr', 'Action']);
		const table = await runQuery(
			python,
			'/monitoring/log/socket',
			{ query: { start_ms: 0, end_ms: 0, type: 'stored' }, fetch: { quantity: 5, backwards: true }, format: { ...PRETTY, field_ids: [1, 7, 8, 14] } },
			(messages) => logRecordsOf(messages).length > 0,
		);
		expect(Object.keys(logRecordsOf(table)[0]).sort()).toEqual(['Action', 'Creation Time', 'Dst Addr', 'Src Addr']);
		const live = await python.socket('/monitoring/log/socket');
		live.send({ query: { start_ms: 0, end_ms: 0, type: 'current' }, fetch: { backwards: true }, format: PRETTY });
		const started = await live.until((message) => message.success !== undefined);
		await waitFor(() => sim.activity().fetches.current === 1);
		sim.addLogs(3);
		expect(logRecordsOf(await live.until((message) => Array.isArray(message.records)))).toHaveLength(3);
		live.send({ abort: started.at(-1)!.fetch });
		expect((await live.until((message) => message.end !== undefined)).at(-1)!.end).toBe('Fetch aborted');
		live.ws.close(1000);

		// The seven session queries (snapshot, first batch), and connections as CSV headers come from pretty labels.
		const definitions: Array<[string, string, unknown?]> = [
			['CONNECTIONS', 'Plano FW'],
			['BLOCK_LIST', 'Plano FW'],
			['ROUTING', 'Plano FW'],
			['USERS', 'Plano FW'],
			['SSLVPNV2', 'Plano FW'],
			['VPN_SA', 'Plano FW'],
			['ACTIVE_ALERTS', 'Shared Domain', { type: 'in', left: { type: 'field', id: 602 }, right: [{ type: 'constant', value: 5 }, { type: 'constant', value: 10 }] }],
		];
		for (const [definition, target, where] of definitions) {
			const messages = await runQuery(python, '/monitoring/session/socket', sessionQuery(definition, target, where), (seen) => addedOf(seen).length > 0);
			const added = addedOf(messages);
			expect(added.length).toBeGreaterThan(0);
			expect(added.every((record) => record.first_fetch === true && typeof record.delta_key === 'string')).toBe(true);
		}

		// Block list: GET the engine for its link, POST an entry, find it as smc-python's fetch_as_element does, DELETE its href.
		const engine = await python.get(engineMeta.href);
		const links = new Map((engine.link as Array<{ rel: string; href: string }>).map((link) => [link.rel, link.href]));
		const resource = Number(version.split('.')[0]) >= 7 ? 'block_list' : 'blacklist';
		expect(links.has(resource)).toBe(true);
		const entry = { end_point1: { address_mode: 'address', ip_network: '203.0.113.77/32' }, end_point2: { address_mode: 'address', ip_network: '10.0.0.5/32' }, duration: 600 };
		expect(await python.send('post', links.get(resource)!, { entries: [entry] })).toBe(204);
		const bySource = { type: 'in', left: { type: 'field', id: 118 }, right: [{ type: 'ip', value: '203.0.113.77' }] };
		const found = addedOf(await runQuery(python, '/monitoring/session/socket', sessionQuery('BLOCK_LIST', 'Plano FW', bySource, blockListFormat), (seen) => addedOf(seen).length > 0));
		expect(found).toHaveLength(1);
		const bldata = found[0].bldata as Record<string, unknown>;
		expect(bldata).toMatchObject({ BlacklistEntrySourceIp: '203.0.113.77', BlacklistEntrySourceIpPrefixlen: '32', BlacklistEntryDestinationIpPrefixlen: '32' });
		expect(found[0].blid).toHaveProperty('Blacklist Entry ID');
		expect(String(bldata.block_list_href)).toMatch(new RegExp(`^${sim.url}/${version}/elements/single_fw/1649/block_list/`));
		expect(await python.send('delete', String(bldata.block_list_href))).toBe(204);
		const after = await python.socket('/monitoring/session/socket');
		after.send(sessionQuery('BLOCK_LIST', 'Plano FW', bySource, blockListFormat));
		await after.until((message) => message.success !== undefined);
		expect(await after.quiet(200)).toBe(true);
		after.ws.close(1000);

		// An expired session answers 401; smc-python's refresh logs in again and repeats the call.
		sim.expireAllSessions();
		expect((await python.http.get(host.href, { headers: { Authorization: python.token ?? '', Cookie: python.cookie ?? '' } })).status).toBe(401);
		await python.login({ domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
		expect((await python.get(host.href)).name).toBe('DNS Server 1');

		expect(await python.logout()).toBe(204);
		expect(sim.activity().subscriptions).toBe(0);

		// Administrator login.
		const admin = new PythonSession(sim, version);
		const [account] = sim.options.admins;
		expect(await admin.login({ domain: 'Shared Domain' }, { login: account.login, pwd: account.password, domain: 'Shared Domain' })).toBe(account.login);
		expect(await admin.logout()).toBe(204);
		await waitFor(() => Object.values(sim.socketCounts()).every((count) => count === 0));
	});

	it('replays examples/monitoring/logs.py: filter expressions, a Filter element, an oversized filter', async () => {
		sim.options.sessionTracking = 'cookie';
		const python = new PythonSession(sim, '7.1');
		await python.login({ domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
		/** LogQuery(fetch_size=n).fetch_raw() with one filter: the stored records, newest first. */
		const stored = async (filter: unknown, quantity = 5000) =>
			logRecordsOf(await runQuery(python, '/monitoring/log/socket', { query: { start_ms: 0, end_ms: 0, type: 'stored', filter }, fetch: { quantity, backwards: true }, format: PRETTY }, () => false));
		const ids = (records: Array<Record<string, unknown>>) => records.map((record) => record['Data Identifier']);
		const field = (id: number) => ({ type: 'field', id });

		// The example's own websocket query: an "in" and three translated expressions under "or", one record.
		const mixed = {
			type: 'or',
			values: [
				{ type: 'in', left: field(10), right: [{ type: 'number', value: 22 }, { type: 'number', value: 25 }] },
				{ type: 'translated', value: '$Sport == 7000' },
				{ type: 'translated', value: '$Dst == ipv4( 74.125.127.191 )' },
				{ type: 'translated', value: '$Protocol == "TCP"' },
			],
		};
		const [first] = await stored(mixed, 1);
		expect(first['IP Protocol'] === 'TCP' || ['22', '25'].includes(String(first['Dst Port']))).toBe(true);

		// Each expression the example (and TranslatedFilter's helpers) sends selects what the equivalent JSON filter does.
		const equivalents: Array<[string, unknown]> = [
			['$Dport == 22 OR $Dport == 25', { type: 'in', left: field(10), right: [{ type: 'number', value: 22 }, { type: 'number', value: 25 }] }],
			['$Sport == 7000 OR $Sport == 7001', { type: 'in', left: field(9), right: [{ type: 'number', value: 7000 }, { type: 'number', value: 7001 }] }],
			['$Dst IN union(ipv4_net("10.0.0.0/16"))', { type: 'in', left: field(8), right: [{ type: 'ip', value: '10.0.0.0/16' }] }],
			['$Src IN range(ipv4("10.0.0.0"),ipv4("10.0.7.255"))', { type: 'in', left: field(7), right: [{ type: 'ip', value: '10.0.0.0-10.0.7.255' }] }],
			['$Protocol == "UDP" AND NOT ($Dport == 53)', { type: 'and', values: [{ type: 'in', left: field(11), right: [{ type: 'number', value: 17 }] }, { type: 'not', value: { type: 'in', left: field(10), right: [{ type: 'number', value: 53 }] } }] }],
		];
		for (const [expression, json] of equivalents) {
			const expected = ids(await stored(json));
			if (!expression.startsWith('$Sport')) expect(expected.length).toBeGreaterThan(0);
			expect([expression, ids(await stored({ type: 'translated', value: expression }))]).toEqual([expression, expected]);
		}

		// add_existing_filter(Filter("Inspection and Packet Filter Facility")): the element by name, then {"type":"expression","href"}.
		const [element] = (await python.get(python.entryPoints.get('elements')!, {
			filter: 'Inspection and Packet Filter Facility',
			filter_context: 'filter_expression',
			exact_match: 'True',
		})) as unknown as Array<{ href: string }>;
		expect(element.href).toBe(`${sim.url}/7.1/elements/filter_expression/1690`);
		const facility = await stored({ type: 'expression', href: element.href }, 10);
		expect(facility).toHaveLength(10);
		expect(facility.every((record) => ['Inspection', 'Packet Filtering'].includes(String(record.Facility)))).toBe(true);

		// What the SMC cannot read fails the fetch (smc-python raises FetchAborted with the message).
		const failures: Array<[unknown, string]> = [
			[{ type: 'translated', value: '$NoSuchField == 1' }, 'Unknown field $NoSuchField'],
			[{ type: 'translated', value: '$Dport ==' }, 'Invalid filter expression: a value is missing at the end'],
			[{ type: 'expression', href: `${sim.url}/7.1/elements/filter_expression/9` }, `Filter element not found: ${sim.url}/7.1/elements/filter_expression/9`],
		];
		for (const [filter, failure] of failures) await expect(stored(filter)).rejects.toThrow(failure);

		// The example's last query: an "in" of 203 addresses overflows Tomcat's text buffer and the socket closes.
		const oversized = await python.socket('/monitoring/log/socket');
		const addresses = Array.from({ length: 203 }, (_, index) => ({ type: 'ip', value: `10.1.1.${index + 1}` }));
		const request = pythonJsonDumps({
			query: { start_ms: 0, end_ms: 0, type: 'stored', filter: { type: 'and', values: [{ type: 'in', left: field(8), right: addresses }, { type: 'in', left: field(27), right: [{ type: 'service', value: 'TCP/80' }] }] } },
			fetch: { quantity: 10, backwards: true },
			format: PRETTY,
		});
		expect(request.length).toBe(8205); // what smc-python's json.dumps sends, just past the 8192-byte buffer
		oversized.ws.send(request);
		expect(await oversized.closeWithin()).toEqual({ code: 1009, reason: SMC_BUFFER_ERROR });
		expect(await python.logout()).toBe(204);
	});

	it("replays each query's fetch_as_element: records keyed by field id, as the element classes read them", async () => {
		sim.options.sessionTracking = 'cookie';
		const python = new PythonSession(sim, '7.1');
		await python.login({ domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
		const byId = { type: 'texts', field_format: 'id', resolving: { senders: true } };
		// definition, target, the ids the element class's properties read (LogField constants)
		const queries: Array<[string, string, number[]]> = [
			['CONNECTIONS', 'Plano FW', [1, 4, 7, 8, 9, 10, 11, 116]],
			['ROUTING', 'Plano FW', [4, 13, 160, 163, 164, 165]],
			['SSLVPNV2', 'Plano FW', [4, 7, 809, 3001]],
			['VPN_SA', 'Plano FW', [1, 4, 501, 502, 504, 505, 506, 534, 535]],
			['ACTIVE_ALERTS', 'Shared Domain', [1, 4, 7, 8, 14, 602, 1000]],
			['USERS', 'Plano FW', [1, 4, 7, 534, 3001]],
			['NEIGHBORS', 'Plano FW', [4, 24, 733, 734, 735, 736, 737]],
		];
		for (const [definition, target, ids] of queries) {
			const [entry] = addedOf(await runQuery(python, '/monitoring/session/socket', sessionQuery(definition, target, undefined, byId), (seen) => addedOf(seen).length > 0));
			expect([definition, ids.filter((id) => typeof entry[String(id)] !== 'string')]).toEqual([definition, []]);
			expect(entry.first_fetch).toBe(true);
		}
		// The node resolves to the node's name with resolving.senders, as NeighborQuery's node_id reads it.
		const [neighbor] = addedOf(await runQuery(python, '/monitoring/session/socket', sessionQuery('NEIGHBORS', 'Plano FW', undefined, byId), (seen) => addedOf(seen).length > 0));
		expect(neighbor['4']).toBe('Plano FW node 1');
		// examples/monitoring/neighbor.py: NeighborQuery with add_in_filter(NEIGHBORPROTOCOL, [StringValue("IPv6")]).
		const ipv6 = { type: 'in', left: { type: 'field', id: 734 }, right: [{ type: 'string', value: 'IPv6' }] }; // LogField.NEIGHBORPROTOCOL
		const neighbors = addedOf(await runQuery(python, '/monitoring/session/socket', sessionQuery('NEIGHBORS', 'Plano FW', ipv6), (seen) => addedOf(seen).length > 0));
		expect(neighbors.length).toBeGreaterThan(0);
		expect(neighbors.every((entry) => entry['Neighbor Protocol'] === 'IPv6' && String(entry['Neighbor L3 Data']).includes(':'))).toBe(true);
		expect(await python.logout()).toBe(204);
	});

	it('echoes access_token, never the token, and answers status per engine', async () => {
		sim.options.sessionTracking = 'token';
		const python = new PythonSession(sim, '7.1');
		await python.login({ domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
		const status = await python.socket('/status/socket');
		expect(status.ws.protocol).toBe('access_token');
		status.send({ context: 'engine_clusters' });
		const messages = await status.until((message) => engineStatusName(message) === 'Branch FW');
		expect(messages[0]).toEqual({ success: 'Subscribed for status', subscription_id: 0 });
		expect(messages.slice(1).map(engineStatusName)).toEqual(['Plano FW', 'Helsinki Cluster', 'Branch FW']);
		status.send({ context: 'no_such_family' });
		expect((await status.next()).failure).toBe('Unknown context: no_such_family');
		status.ws.close(1000);
		expect(await python.logout()).toBe(204);
		sim.options.sessionTracking = 'cookie';
	});
});


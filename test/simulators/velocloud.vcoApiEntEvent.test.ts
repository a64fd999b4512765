/**
 * Replays, on the wire, one run of the VCO events archiver (kurtcms/vco-api-ent-event 8978419,
 * vco_api_ent_event.py over vco_api_main.py and vco_api_client.py), as it ran unchanged against this
 * simulator with Debian's python3-requests 2.28 and REQUESTS_CA_BUNDLE set to the simulator CA: the
 * .env's trailing-slash hostname ('127.0.0.1:<port>/') makes every path start with `//`, bodies are
 * `json.dumps` text, the login does not follow its redirect, the JSON-RPC id counts the login, and the
 * events window is `utcfromtimestamp(...).isoformat()` (naive, whole seconds) of [now-600-900, now-600].
 */
import axios, { type AxiosResponse } from 'axios';
import { pythonJsonDumps } from '../../nodes/shared/pythonJson';
import { VeloCloudSimulator, type VcoEvent } from './velocloud';

/** What vco_api_client.session.post sends: the .env hostname + path, `json.dumps` text, requests' cookie jar. */
function post(sim: VeloCloudSimulator, path: string, body: unknown, headers: Record<string, string>): Promise<AxiosResponse> {
	return axios.post(`${sim.url}/${path}`, pythonJsonDumps(body), {
		headers: { 'Content-Type': 'application/json', ...headers },
		maxRedirects: 0,
		validateStatus: () => true,
		timeout: 10_000,
		transformRequest: (data: string) => data,
	});
}

/** datetime.datetime.utcfromtimestamp(seconds).isoformat() for whole seconds. */
const naiveIso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19);

describe('VeloCloud simulator replays the VCO events archiver (vco_api_ent_event.py)', () => {
	const sim = new VeloCloudSimulator({ eventCount: 2000 });
	beforeAll(() => sim.start(0));
	afterAll(() => sim.stop());

	it.each(['token', 'cookie'] as const)('%s authentication: metrics, edges, the last 15 minutes of events', async (mode) => {
		const { token, username, password } = sim.credentials();
		const headers: Record<string, string> = {};
		let seq = 0;
		if (mode === 'token') {
			headers.Authorization = `Token ${token}`;
		} else {
			seq += 1;
			const login = await post(sim, '/login/enterpriseLogin', { username, password }, {});
			const session = (login.headers['set-cookie'] ?? []).map((cookie) => /^velocloud\.session=([^;]+)/.exec(cookie)?.[1]).find(Boolean);
			expect(session).toBeDefined();
			headers.Cookie = `velocloud.session=${session}`;
		}
		const call = async (method: string, params: unknown) => {
			seq += 1;
			const response = await post(sim, '/portal/', { jsonrpc: '2.0', id: seq, method, params }, headers);
			expect(response.status).toBe(200);
			expect(response.data.error).toBeUndefined();
			expect(response.data.id).toBe(seq);
			return response.data.result;
		};

		const timeNow = Math.floor(Date.now() / 1000 - 600); // VCO_THRESHOLD
		const metrics = await call('monitoring/getAggregateEdgeLinkMetrics', { interval: { start: (timeNow - 3600) * 1000, end: timeNow * 1000 } });
		const enterpriseId = metrics[0].link.enterpriseId as number;
		expect([enterpriseId, metrics[0].link.enterpriseName]).toEqual([1, 'Acme Retail Group']);
		const edges = (await call('enterprise/getEnterpriseEdges', { enterpriseId })) as Array<{ id: unknown }>;
		expect(edges.length).toBeGreaterThan(0);
		expect(edges.every((edge) => Number.isInteger(edge.id))).toBe(true);

		const start = naiveIso(timeNow - 900);
		const end = naiveIso(timeNow);
		const events = (await call('event/getEnterpriseEvents', { enterpriseId, interval: { start, end } })).data as VcoEvent[];
		const window = await axios.get<{ events: VcoEvent[] }>(`${sim.url}/__sim/vco/events`, {
			params: { enterpriseId, start: (timeNow - 900) * 1000, end: timeNow * 1000 },
		});
		expect(events.length).toBeGreaterThan(0);
		const byId = (list: VcoEvent[]) => list.map((event) => event.id).sort((a, b) => a - b);
		expect(byId(events)).toEqual(byId(window.data.events));
		// newest first, as the archive file then holds them
		expect(events.every((event, index) => index === 0 || event.eventTime <= events[index - 1].eventTime)).toBe(true);
		// write_ent_events appends json.dumps(each) + '\n': the keys as the sample line in the README shows them
		expect(Object.keys(events[0])).toEqual(['id', 'eventTime', 'event', 'category', 'severity', 'message', 'detail', 'enterpriseUsername', 'edgeName', 'segmentName']);
	});

	it('fails the way the script expects: velocloud.message on a bad login, a tokenError on a bad token', async () => {
		const login = await post(sim, '/login/enterpriseLogin', { username: 'admin@acme.example', password: 'wrong' }, {});
		const cookies = login.headers['set-cookie'] ?? [];
		expect(cookies.some((cookie) => /^velocloud\.session=[^;]+/.test(cookie))).toBe(false);
		// the script raises SystemExit(message with %20 made spaces)
		const message = cookies.map((cookie) => /^velocloud\.message=([^;]*)/.exec(cookie)?.[1]).find(Boolean);
		expect(message?.replaceAll('%20', ' ')).toBe('Invalid username or password');
		const bad = await post(sim, '/portal/', { jsonrpc: '2.0', id: 1, method: 'monitoring/getAggregateEdgeLinkMetrics', params: {} }, { Authorization: 'Token bad' });
		expect(bad.data.error.message).toBe('tokenError [invalid token]');
	});
});

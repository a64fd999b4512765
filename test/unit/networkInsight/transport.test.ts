/**
 * The vRNI transport through n8n's real request helper against the vRNI simulator (loopback), and
 * against nock for vRNI Cloud's CSP exchange.
 */
import nock from 'nock';

import { readNetworkInsightCredentials, searchWithDetails, NetworkInsightClient, pageItems, fetchDetails } from '../../../nodes/NetworkInsight/transport';
import { ApplianceError } from '../../../nodes/shared/errors';
import { httpSendFromN8n } from '../../../nodes/shared/transport/http';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/shared/transport/retry';
import { NetworkInsightSimulator } from '../../simulators/networkInsight';
import { n8nHttpRequest } from '../../support/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';

const ANCHOR_MS = Date.UTC(2026, 10, 20, 0, 0, 0);
const DAY_MS = 86_400_000;

function onPrem(sim: NetworkInsightSimulator, overrides: Record<string, unknown> = {}) {
	return readNetworkInsightCredentials({ authType: 'onPrem', host: sim.url, username: sim.options.username, password: sim.options.password, domainType: 'LOCAL', caCertificate: sim.ca ?? '', ...overrides });
}

function client(sim: NetworkInsightSimulator, overrides: Record<string, unknown> = {}, clock: () => number = Date.now, waits: number[] = []) {
	return new NetworkInsightClient(httpSendFromN8n(n8nHttpRequest()), onPrem(sim, overrides), {
		retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 },
		wait: async (ms) => {
			waits.push(ms);
		},
	}, clock);
}

async function failure(promise: Promise<unknown>): Promise<ApplianceError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ApplianceError);
		return error as ApplianceError;
	}
	throw new Error('expected a failure');
}

async function collect(vrni: NetworkInsightClient, filter: string, window = { start: ANCHOR_MS - DAY_MS, end: ANCHOR_MS }, pageSize = 1000) {
	const items = [];
	for await (const page of searchWithDetails(vrni, { entityType: 'Flow', filter, window, pageSize, limit: Number.POSITIVE_INFINITY })) items.push(...pageItems(page));
	return items;
}

describe('Network Insight credentials', () => {
	it('reads on-premises hosts with or without scheme, port and /api/ni, LOCAL and LDAP domains', () => {
		const base = { authType: 'onPrem', username: 'u', password: 'p', domainType: 'LOCAL' };
		for (const host of ['vrni.example.com', 'https://vrni.example.com/', 'https://vrni.example.com/api/ni', 'vrni.example.com/api/ni/']) {
			expect(readNetworkInsightCredentials({ ...base, host }).apiBase).toBe('https://vrni.example.com/api/ni');
		}
		expect(readNetworkInsightCredentials({ ...base, host: 'vrni.example.com:8443' }).apiBase).toBe('https://vrni.example.com:8443/api/ni');
		expect(readNetworkInsightCredentials({ ...base, host: 'h' })).toMatchObject({ domain: { domain_type: 'LOCAL', value: 'local' } });
		expect(readNetworkInsightCredentials({ ...base, host: 'h', domainType: 'LDAP', domain: ' corp.example ' })).toMatchObject({ domain: { domain_type: 'LDAP', value: 'corp.example' } });
	});

	it('reads vRNI Cloud with its regional host', () => {
		expect(readNetworkInsightCredentials({ authType: 'cloud', apiToken: 't', cloudApiHost: 'uk.api.mgmt.cloud.vmware.com' })).toMatchObject({
			kind: 'cloud',
			apiBase: 'https://uk.api.mgmt.cloud.vmware.com/ni/api/ni',
			cspBase: 'https://console.cloud.vmware.com',
		});
	});

	it.each([
		['no host', { authType: 'onPrem', username: 'u', password: 'p' }, /needs a host, a username and a password/],
		['no password', { authType: 'onPrem', host: 'h', username: 'u' }, /needs a host, a username and a password/],
		['LDAP without a domain', { authType: 'onPrem', host: 'h', username: 'u', password: 'p', domainType: 'LDAP' }, /needs the LDAP domain/],
		['cloud without a token', { authType: 'cloud' }, /no API token/],
		['a CA that is not PEM', { authType: 'onPrem', host: 'h', username: 'u', password: 'p', caCertificate: 'hello' }, /not a PEM certificate/],
	])('refuses %s as a configuration error', (_label, data, message) => {
		expect(() => readNetworkInsightCredentials(data)).toThrow(message);
	});
});

describe('Network Insight transport against the simulator', () => {
	const sim = new NetworkInsightSimulator({ flowCount: 3000, anchorMs: ANCHOR_MS });
	beforeAll(async () => {
		await sim.start(0);
	});
	afterAll(() => sim.stop());
	beforeEach(() => sim.reset());

	const tokens = () => (sim as unknown as { tokens: Map<string, unknown> }).tokens.size;

	it('logs in once, searches with the cursor to the end, fetches details in bulk, and deletes its token', async () => {
		const vrni = client(sim);
		const items = await collect(vrni, '', { start: ANCHOR_MS - DAY_MS, end: ANCHOR_MS }, 150);
		const expected = sim.flowsBetween((ANCHOR_MS - DAY_MS) / 1000, ANCHOR_MS / 1000);
		expect(items.map((item) => [item.entity_id, item.time])).toEqual(expected.map((flow) => [flow.entity_id, flow.time]));
		expect(items[0]).toMatchObject({ entity_type: 'Flow', name: expect.stringMatching(/ -> /), time: expected[0].time });
		expect(sim.stats.get('/api/ni/auth/token')).toBe(1);
		expect(sim.stats.get('/api/ni/search')).toBe(Math.ceil(expected.length / 150));
		expect(sim.stats.get('/api/ni/entities/fetch')).toBe(Math.ceil(expected.length / 150));
		expect(tokens()).toBe(1);
		await vrni.close();
		expect(tokens()).toBe(0);
	});

	it('stops at the limit without reading further pages', async () => {
		const vrni = client(sim);
		const results = [];
		for await (const page of searchWithDetails(vrni, { entityType: 'Flow', filter: '', window: { start: ANCHOR_MS - DAY_MS, end: ANCHOR_MS }, pageSize: 100, limit: 250 })) results.push(...page.results);
		expect(results).toHaveLength(250);
		expect(sim.stats.get('/api/ni/search')).toBe(3);
		await vrni.close();
	});

	it('fetches entities in chunks of at most 1,000 ids', async () => {
		const vrni = client(sim);
		const refs = sim.flowsBetween((ANCHOR_MS - 7 * DAY_MS) / 1000, ANCHOR_MS / 1000).slice(0, 2500).map((flow) => ({ ...flow, entity_type: 'Flow' }));
		const entities = await fetchDetails(vrni, refs);
		expect(entities).toHaveLength(2500);
		expect(entities.every((entity) => entity !== undefined)).toBe(true);
		expect(sim.stats.get('/api/ni/entities/fetch')).toBe(3);
		await vrni.close();
	});

	it('renews the token before it expires (deleting the old one) and once more when vRNI answers 401', async () => {
		let now = Date.now();
		const vrni = client(sim, {}, () => now);
		const logins = () => vrni.secrets.length - 1;
		await vrni.version();
		expect(logins()).toBe(1);
		expect(tokens()).toBe(1);
		// Five hours later, within the renewal margin: a new token, the old one deleted first.
		now += 5 * 3_600_000 - 60_000;
		await vrni.version();
		expect(logins()).toBe(2);
		expect(tokens()).toBe(1);
		// A token revoked in the middle of a run (vRNI restarted, an admin deleted it): one new login, the call repeated.
		sim.expireAllTokens();
		now = Date.now();
		expect(await vrni.version()).toBe('1.1.0');
		expect(logins()).toBe(3);
		expect(tokens()).toBe(1);
		await vrni.close();
		expect(tokens()).toBe(0);
	});

	it('shares one login between calls running side by side, and leaves no token behind after renewals', async () => {
		const vrni = client(sim);
		await Promise.all([vrni.version(), vrni.version(), vrni.version()]);
		expect(vrni.secrets).toHaveLength(2);
		sim.expireAllTokens();
		await Promise.all([vrni.version(), collect(vrni, 'port = 22')]);
		await vrni.close();
		expect(tokens()).toBe(0);
	});

	it('survives a 429 with Retry-After and a 503 through the shared retry policy', async () => {
		const waits: number[] = [];
		const vrni = client(sim, {}, Date.now, waits);
		sim.injectFaults([
			{ path: '/api/ni/search', kind: 'status', status: 429, retryAfter: 2, times: 1 },
			{ path: '/api/ni/entities/fetch', kind: 'status', status: 503, times: 1 },
		]);
		const items = await collect(vrni, 'port = 443');
		expect(items.length).toBeGreaterThan(0);
		expect(waits[0]).toBe(2000);
		expect(waits).toHaveLength(2);
		await vrni.close();
	});

	describe('bad input', () => {
		it('a filter vRNI rejects: its own message, with the field it names', async () => {
			const vrni = client(sim);
			const error = await failure(collect(vrni, "source_clutser.name = 'x'"));
			expect(error.message).toBe('vRNI refused search: Invalid filter "source_clutser.name = \'x\'": field source_clutser.name is not supported');
			expect(error.details).toMatchObject({ status: 400, vendorCode: 400 });
			expect(error.details.description).toMatch(/fix the filter/);
			await vrni.close();
		});

		it('a wrong password, an unknown LDAP domain and the token limit are told apart', async () => {
			const wrong = await failure(client(sim, { password: 'nope' }).version());
			expect(wrong.kind).toBe('auth');
			expect(wrong.message).toMatch(/refused the login of admin@local: Authentication failed/);
			expect(wrong.details.description).toMatch(/username and the password/);
			const domain = await failure(client(sim, { domainType: 'LDAP', domain: 'corp.wrong' }).version());
			expect(domain.message).toMatch(/Unknown LDAP domain: corp.wrong/);
			expect(domain.details.description).toMatch(/Check the domain/);
			const held = Array.from({ length: 100 }, () => client(sim));
			for (const vrni of held) await vrni.version();
			const limit = await failure(client(sim).version());
			expect(limit.details.description).toMatch(/100 live tokens/);
			for (const vrni of held) await vrni.close();
			expect(tokens()).toBe(0);
		});

		it('a search that keeps paging is stopped, not looped', async () => {
			const vrni = client(sim);
			// A broken appliance that hands back the same cursor forever.
			const search = jest.spyOn(vrni, 'search').mockResolvedValue({ results: [{ entity_id: 'x', entity_type: 'Flow', time: 1 }], cursor: 'same' });
			jest.spyOn(vrni, 'fetchEntities').mockResolvedValue([]);
			const error = await failure(collect(vrni, ''));
			expect(error.message).toMatch(/kept returning more pages/);
			expect(search).toHaveBeenCalledTimes(2);
		});

		it('a flow vRNI lists but has no details for is kept and marked', async () => {
			const vrni = client(sim);
			jest.spyOn(vrni, 'fetchEntities').mockResolvedValue([]);
			const items = await collect(vrni, 'port = 22');
			expect(items.length).toBeGreaterThan(0);
			expect(items.every((item) => item.detailsMissing === true && typeof item.entity_id === 'string')).toBe(true);
		});
	});
});

describe('vRNI Cloud', () => {
	useNockWithLoopback();
	const API_TOKEN = 'csp-refresh-token-0123456789';

	it('exchanges the API token at CSP and sends csp-auth-token; never deletes it', async () => {
		nock('https://console.cloud.vmware.com')
			.post('/csp/gateway/am/api/auth/api-tokens/authorize', `refresh_token=${API_TOKEN}`)
			.reply(200, { access_token: 'csp-access-abcdef', expires_in: 1799 });
		nock('https://api.mgmt.cloud.vmware.com', { reqheaders: { 'csp-auth-token': 'csp-access-abcdef' } })
			.get('/ni/api/ni/info/version')
			.reply(200, { api_version: '1.2.0' });
		const vrni = new NetworkInsightClient(httpSendFromN8n(n8nHttpRequest()), readNetworkInsightCredentials({ authType: 'cloud', apiToken: API_TOKEN }));
		expect(await vrni.version()).toBe('1.2.0');
		await vrni.close();
		expect(vrni.secrets).toEqual([API_TOKEN, 'csp-access-abcdef']);
	});

	it('says when CSP refuses the API token, without the token', async () => {
		nock('https://console.cloud.vmware.com').post('/csp/gateway/am/api/auth/api-tokens/authorize').reply(400, { message: 'invalid_grant' });
		const vrni = new NetworkInsightClient(httpSendFromN8n(n8nHttpRequest()), readNetworkInsightCredentials({ authType: 'cloud', apiToken: API_TOKEN }));
		const error = await failure(vrni.version());
		expect(error.message).toBe('VMware Cloud Services refused the API token (HTTP 400: invalid_grant)');
		expect(JSON.stringify(error) + error.message).not.toContain(API_TOKEN);
	});
});

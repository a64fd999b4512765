import nock from 'nock';

import { ApplianceError } from '../../../nodes/shared/errors';
import { httpSendFromN8n } from '../../../nodes/shared/transport/http';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/shared/transport/retry';
import {
	collectEnterpriseEvents,
	collectEvents,
	getEnterprise,
	getEnterpriseEdges,
	getEnterpriseEventsPages,
	listEnterprises,
	normaliseVeloCloudHost,
	VeloCloudClient,
	type VeloCloudCredentials,
} from '../../../nodes/VeloCloud/transport';
import { n8nHttpRequest } from '../helpers/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';
import { startScriptedServer } from '../helpers/scriptedServer';
import { startSelfSignedServer } from '../helpers/selfSignedServer';

const HOST = 'https://vco.unit.test';
const TOKEN = 'unit-token-0123456789';
const PASSWORD = 'unit-Password-987';

function event(id: number, eventTime: string) {
	return {
		id,
		eventTime,
		event: 'LINK_DEAD',
		category: 'NETWORK',
		severity: 'ERROR',
		message: `m${id}`,
		detail: '{}',
		enterpriseUsername: null,
		edgeName: 'e1',
		segmentName: null,
	};
}

function client(overrides: Partial<VeloCloudCredentials> = {}, waits: number[] = []) {
	const credentials: VeloCloudCredentials = {
		baseUrl: HOST,
		apiToken: TOKEN,
		accountType: 'enterprise',
		tls: { skipVerification: false },
		...overrides,
	};
	return new VeloCloudClient(httpSendFromN8n(n8nHttpRequest()), credentials, {
		retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 },
		wait: async (ms) => {
			waits.push(ms);
		},
		maxResponseBytes: 1024 * 1024,
	});
}

const sessionCredentials = { apiToken: undefined, username: 'ops@acme.test', password: PASSWORD };

/** Every secret a test put on the wire must be absent from the error a user would see. */
function expectNoSecrets(error: unknown) {
	const text = `${String(error)} ${JSON.stringify(error)} ${(error as ApplianceError).details?.description ?? ''}`;
	expect(text).not.toContain(TOKEN);
	expect(text).not.toContain(PASSWORD);
}

async function failure(promise: Promise<unknown>): Promise<ApplianceError> {
	try {
		await promise;
	} catch (error) {
		expectNoSecrets(error);
		return error as ApplianceError;
	}
	throw new Error('expected a failure');
}

useNockWithLoopback();

const collectEnterpriseEventsOf = async (window: { start: number; end: number }) =>
	await collectEnterpriseEvents(client(), { id: 1, name: 'Acme' }, { ...window, pageSize: 2 });

describe('VeloCloud host', () => {
	it.each([
		['vco.example.com', 'https://vco.example.com'],
		['vco.example.com/', 'https://vco.example.com'],
		['https://vco.example.com/', 'https://vco.example.com'],
		['  https://vco.example.com//  ', 'https://vco.example.com'],
		['https://vco.example.com/portal/', 'https://vco.example.com'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
	])('%j → %j', (host, url) => expect(normaliseVeloCloudHost(host)).toBe(url));

	it.each([
		['', /is empty/],
		['user:pass@vco.example.com', /user name or "@"/],
		['vco.example.com@127.0.0.1', /user name or "@"/],
		['https://vco.example.com/some/path', /has a path/],
		['vco.example.com/?next=x', /query or a fragment/],
		['vco.example.com#frag', /query or a fragment/],
		['vco example.com', /spaces or control characters/],
		['vco.example.com\r\nX-Injected: 1', /spaces or control characters/],
		['ftp://vco.example.com', /uses ftp, not https/],
	])('refuses %j', (host, message) => {
		expect(() => normaliseVeloCloudHost(host)).toThrow(message);
	});
});

describe('VeloCloud transport', () => {
	it('sends the API token and returns the bare REST-like result', async () => {
		nock(HOST, { reqheaders: { authorization: `Token ${TOKEN}` } })
			.post('/portal/rest/enterprise/getEnterprise', {})
			.reply(200, { id: 1, name: 'Acme' });
		await expect(client().call('enterprise/getEnterprise')).resolves.toEqual({ id: 1, name: 'Acme' });
	});

	it('logs in for a session (302 + cookie), sends the cookie and logs out', async () => {
		nock(HOST)
			.post('/portal/rest/login/enterpriseLogin', { username: 'ops@acme.test', password: PASSWORD })
			.reply(302, '', { location: '/', 'set-cookie': ['velocloud.session=s1; Path=/; HttpOnly'] })
			.post('/portal/rest/enterprise/getEnterprise')
			.matchHeader('cookie', 'velocloud.session=s1')
			.reply(200, { id: 1, name: 'Acme' })
			.post('/portal/rest/logout')
			.matchHeader('cookie', 'velocloud.session=s1')
			.reply(302, '');
		const vco = client(sessionCredentials);
		await expect(vco.call('enterprise/getEnterprise')).resolves.toEqual({ id: 1, name: 'Acme' });
		await vco.close();
	});

	it('uses the operator login for operator accounts', async () => {
		nock(HOST)
			.post('/portal/rest/login/operatorLogin')
			.reply(302, '', { 'set-cookie': 'velocloud.session=op1; Path=/' })
			.post('/portal/rest/network/getNetworkEnterprises')
			.reply(200, [{ id: 1, name: 'Acme' }]);
		await expect(client({ ...sessionCredentials, accountType: 'operator' }).call('network/getNetworkEnterprises')).resolves.toHaveLength(1);
	});

	it('reports a refused login with VCO\'s own message (302 + velocloud.message)', async () => {
		nock(HOST)
			.post('/portal/rest/login/enterpriseLogin')
			.reply(302, '', { 'set-cookie': ['velocloud.message=Invalid%20username%20or%20password; Path=/'] });
		const error = await failure(client(sessionCredentials).call('enterprise/getEnterprise'));
		expect(error.kind).toBe('auth');
		expect(error.message).toBe('VCO refused the login: Invalid username or password');
	});

	it('renews a session VCO declares dead in an HTTP 200 body, then repeats the call', async () => {
		nock(HOST)
			.post('/portal/rest/login/enterpriseLogin')
			.reply(302, '', { 'set-cookie': 'velocloud.session=old; Path=/' })
			.post('/portal/rest/enterprise/getEnterprise')
			.reply(200, { id: 1, name: 'Acme' })
			.post('/portal/rest/enterprise/getEnterprise')
			.reply(200, { error: { code: -32000, message: 'tokenError [expired session cookie]' } })
			.post('/portal/rest/login/enterpriseLogin')
			.reply(302, '', { 'set-cookie': 'velocloud.session=new; Path=/' })
			.post('/portal/rest/enterprise/getEnterprise')
			.matchHeader('cookie', 'velocloud.session=new')
			.reply(200, { id: 1, name: 'Acme' });
		const vco = client(sessionCredentials);
		await vco.call('enterprise/getEnterprise');
		await expect(vco.call('enterprise/getEnterprise')).resolves.toEqual({ id: 1, name: 'Acme' });
	});

	it('says the token is refused, without repeating it', async () => {
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').reply(401, { error: { code: -32000, message: 'tokenError [invalid token]' } });
		const error = await failure(client().call('enterprise/getEnterprise'));
		expect(error.kind).toBe('auth');
		expect(error.message).toBe('VCO refused the API token (tokenError [invalid token])');
	});

	it('waits out a 429 (Retry-After, or VCO\'s 5 s penalty) and retries', async () => {
		const waits: number[] = [];
		nock(HOST)
			.post('/portal/rest/enterprise/getEnterprise')
			.reply(429, '', { 'retry-after': '2' })
			.post('/portal/rest/enterprise/getEnterprise')
			.reply(429, '')
			.post('/portal/rest/enterprise/getEnterprise')
			.reply(200, { id: 1, name: 'Acme' });
		await expect(client({}, waits).call('enterprise/getEnterprise')).resolves.toEqual({ id: 1, name: 'Acme' });
		expect(waits).toEqual([2000, 5000]);
	});

	it('retries 5xx, resets and malformed answers, bounded, then says what happened', async () => {
		const waits: number[] = [];
		const server = await startScriptedServer([
			{ status: 500, body: '{"error":{"code":-32603,"message":"Internal error"}}' },
			'reset',
			{ status: 200, body: '{"id": 1, "na' },
			{ status: 200, body: '{"id":1,"name":"Acme"}' },
		]);
		try {
			await expect(client({ baseUrl: server.url }, waits).call('enterprise/getEnterprise')).resolves.toEqual({ id: 1, name: 'Acme' });
			expect(waits).toHaveLength(3);
			expect(server.requests()).toBe(4);
		} finally {
			await server.close();
		}

		nock(HOST).post('/portal/rest/enterprise/getEnterprise').times(4).reply(503, 'busy');
		const error = await failure(client().call('enterprise/getEnterprise'));
		expect(error.kind).toBe('server');
		expect(error.message).toMatch(/^VCO call enterprise\/getEnterprise failed: VCO answered HTTP 503 \(gave up after 4 attempts/);
	});

	it('fails at once on a request VCO calls invalid', async () => {
		nock(HOST).post('/portal/rest/event/getEnterpriseEvents').reply(400, { error: { code: -32602, message: 'Invalid params: interval' } });
		const error = await failure(client().call('event/getEnterpriseEvents', {}));
		expect(error.kind).toBe('vendor');
		expect(error.details.vendorCode).toBe(-32602);
		expect(error.message).toBe('VCO error on event/getEnterpriseEvents: Invalid params: interval');
	});

	it('refuses an oversized answer before parsing it', async () => {
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').reply(200, `{"x":"${'y'.repeat(2 * 1024 * 1024)}"}`);
		const error = await failure(client().call('enterprise/getEnterprise'));
		expect(error).toBeInstanceOf(Error);
		expect(String(error.message)).toMatch(/larger than 1 MB/);
	});

	it('names an unreachable host and a TLS failure differently, and accepts the certificate when told to', async () => {
		// Port 1 on loopback is closed: a real ECONNREFUSED.
		const refused = await failure(client({ baseUrl: 'http://127.0.0.1:1' }).call('enterprise/getEnterprise'));
		expect(refused.message).toBe('Cannot reach 127.0.0.1:1 (connection refused)');
		const server = await startSelfSignedServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"id":1,"name":"Acme"}');
		});
		try {
			const tls = await failure(client({ baseUrl: server.url }).call('enterprise/getEnterprise'));
			expect(tls.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
			expect(tls.details.description).toMatch(/Custom CA Certificate/);
			await expect(client({ baseUrl: server.url, tls: { skipVerification: true } }).call('enterprise/getEnterprise')).resolves.toEqual({ id: 1, name: 'Acme' });
			// Trusting the appliance's CA keeps verification on and works.
			await expect(
				client({ baseUrl: server.url, tls: { skipVerification: false, ca: server.certificate } }).call('enterprise/getEnterprise'),
			).resolves.toEqual({ id: 1, name: 'Acme' });
		} finally {
			await server.close();
		}
	});
});

describe('VeloCloud event paging', () => {
	it('follows nextPageLink to the end with the same interval and limit', async () => {
		const interval = { start: 1000, end: 2000 };
		nock(HOST)
			.post('/portal/rest/event/getEnterpriseEvents', { interval, filter: { limit: 2 } })
			.reply(200, { metaData: { limit: 2, more: true, nextPageLink: 'p2' }, data: [event(4, '2021-01-01T00:00:04.000Z'), event(3, '2021-01-01T00:00:03.000Z')] })
			.post('/portal/rest/event/getEnterpriseEvents', { interval, filter: { limit: 2 }, nextPageLink: 'p2', limit: 2 })
			.reply(200, { metaData: { limit: 2, more: true, nextPageLink: 'p3' }, data: [event(2, '2021-01-01T00:00:02.000Z')] })
			.post('/portal/rest/event/getEnterpriseEvents', { interval, filter: { limit: 2 }, nextPageLink: 'p3', limit: 2 })
			.reply(200, { metaData: { limit: 2, more: false }, data: [event(1, '2021-01-01T00:00:01.000Z')] });
		const ids: number[] = [];
		for await (const page of getEnterpriseEventsPages(client(), { ...interval, pageSize: 2 })) ids.push(...page.map((row) => row.id));
		expect(ids).toEqual([4, 3, 2, 1]);
	});

	it('narrows the window when VCO says more but gives no link, without duplicates at the boundary', async () => {
		const t = (second: number) => `2021-01-01T00:00:0${second}.000Z`;
		const end = Date.parse(t(9));
		nock(HOST)
			.post('/portal/rest/event/getEnterpriseEvents', (body) => body.interval.end === end)
			.reply(200, { metaData: { limit: 3, more: true }, data: [event(5, t(5)), event(4, t(4)), event(3, t(3))] })
			.post('/portal/rest/event/getEnterpriseEvents', (body) => body.interval.end === Date.parse(t(3)))
			.reply(200, { metaData: { limit: 3, more: false }, data: [event(3, t(3)), event(2, t(3)), event(1, t(1))] });
		const ids: number[] = [];
		for await (const page of getEnterpriseEventsPages(client(), { start: 0, end, pageSize: 3 })) ids.push(...page.map((row) => row.id));
		expect(ids).toEqual([5, 4, 3, 2, 1]);
	});

	it('stops with a clear error when the same nextPageLink comes back', async () => {
		const page = { metaData: { limit: 2, more: true, nextPageLink: 'loop' }, data: [event(2, '2021-01-01T00:00:02.000Z'), event(1, '2021-01-01T00:00:01.000Z')] };
		nock(HOST).post('/portal/rest/event/getEnterpriseEvents').times(2).reply(200, page);
		const error = await failure(collectEnterpriseEventsOf({ start: 0, end: 3000 }));
		expect(error.message).toBe('VCO paging does not advance: the same nextPageLink came back twice');
	});

	it('stops when new links keep serving the same page, and when an empty page says there is more', async () => {
		let link = 0;
		nock(HOST)
			.post('/portal/rest/event/getEnterpriseEvents')
			.times(2)
			.reply(200, () => ({ metaData: { limit: 2, more: true, nextPageLink: `p${++link}` }, data: [event(7, '2021-01-01T00:00:07.000Z')] }));
		expect((await failure(collectEnterpriseEventsOf({ start: 0, end: 9000 }))).message).toBe(
			'VCO paging does not advance: the same page of events came back twice',
		);
		nock(HOST).post('/portal/rest/event/getEnterpriseEvents').reply(200, { metaData: { limit: 2, more: true, nextPageLink: 'x' }, data: [] });
		expect((await failure(collectEnterpriseEventsOf({ start: 0, end: 9000 }))).message).toBe(
			'VCO paging does not advance: an empty page says there are more events',
		);
	});

	it('with a limit, stops paging once the newest N of a newest-first window are in hand', async () => {
		const interval = { start: 0, end: 9000 };
		nock(HOST)
			.post('/portal/rest/event/getEnterpriseEvents', { interval, filter: { limit: 2 } })
			.reply(200, { metaData: { limit: 2, more: true, nextPageLink: 'p2' }, data: [event(4, '2021-01-01T00:00:04.000Z'), event(3, '2021-01-01T00:00:03.000Z')] })
			// The second page is prefetched while the first is read; the third is never asked for.
			.post('/portal/rest/event/getEnterpriseEvents', { interval, filter: { limit: 2 }, nextPageLink: 'p2', limit: 2 })
			.reply(200, { metaData: { limit: 2, more: true, nextPageLink: 'p3' }, data: [event(2, '2021-01-01T00:00:02.000Z')] });
		const events = await collectEnterpriseEvents(client(), { id: 1, name: 'Acme' }, { ...interval, pageSize: 2 }, 2);
		expect(events.map((row) => row.id)).toEqual([4, 3]);
		// Let the prefetch land before the next test's mocks are set up (bounded).
		for (let wait = 0; wait < 200 && !nock.isDone(); wait++) await new Promise((resolve) => setTimeout(resolve, 10));
	});

	it('names what VCO answered when the shape is wrong, instead of a JavaScript error', async () => {
		nock(HOST).post('/portal/rest/enterprise/getEnterpriseEdges').reply(200, { edges: 'none' });
		expect((await failure(getEnterpriseEdges(client()))).message).toBe(
			'VCO answered enterprise/getEnterpriseEdges with an object with edges, not a list of edges',
		);
		nock(HOST).post('/portal/rest/network/getNetworkEnterprises').reply(200, '"ok"');
		expect((await failure(listEnterprises(client({ accountType: 'operator' })))).message).toBe(
			'VCO answered network/getNetworkEnterprises with a string, not a list of enterprises',
		);
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').reply(200, [1, 2]);
		expect((await failure(getEnterprise(client()))).message).toBe('VCO answered enterprise/getEnterprise with a list of 2, not an enterprise');
	});

	it('treats an answer without a data list as an error (an invalid token on some VCOs)', async () => {
		nock(HOST).post('/portal/rest/event/getEnterpriseEvents').reply(200, {});
		const pages = getEnterpriseEventsPages(client(), { start: 0, end: 1 });
		const error = await failure(pages.next());
		expect(error.message).toBe('VCO answered getEnterpriseEvents without a data list');
	});

	it('reads every enterprise an operator sees, tags and sorts the events oldest first', async () => {
		nock(HOST)
			.post('/portal/rest/network/getNetworkEnterprises')
			.reply(200, [
				{ id: 1, name: 'Acme' },
				{ id: 2, name: 'Globex' },
			])
			.post('/portal/rest/event/getEnterpriseEvents', (body) => body.enterpriseId === 1)
			.reply(200, { metaData: { more: false }, data: [event(3, '2021-01-01T00:00:03.000Z'), event(1, '2021-01-01T00:00:01.000Z')] })
			.post('/portal/rest/event/getEnterpriseEvents', (body) => body.enterpriseId === 2)
			.reply(200, { metaData: { more: false }, data: [event(2, '2021-01-01T00:00:02.000Z')] });
		const events = await collectEvents(client({ accountType: 'operator' }), [], { start: 0, end: 1 });
		expect(events.map((row) => [row.id, row.enterpriseId, row.enterpriseName])).toEqual([
			[1, 1, 'Acme'],
			[2, 2, 'Globex'],
			[3, 1, 'Acme'],
		]);
	});
});

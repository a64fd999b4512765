import nock from 'nock';

import { ApplianceError } from '../../../nodes/shared/errors';
import { httpSendFromN8n } from '../../../nodes/shared/transport/http';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/shared/transport/retry';
import { getEvent, IllumioClient, listEvents, type IllumioCredentials, type IllumioEvent } from '../../../nodes/Illumio/transport';
import { n8nHttpRequest } from '../../support/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';

const HOST = 'https://pce.unit.test:8443';
const KEY = 'api_0123456789abcdef0';
const SECRET = 'unit-illumio-secret-42';
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const EVENTS = '/api/v2/orgs/1/events';
const T0 = Date.parse('2026-11-29T10:00:00.000Z');

function event(index: number, event_type = 'user.login'): IllumioEvent {
	const uuid = `${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`;
	return { href: `/orgs/1/events/${uuid}`, timestamp: new Date(T0 + index * 1000).toISOString(), event_type, status: 'success', severity: 'info' };
}

/** Newest first, as the PCE answers. */
const newestFirst = (events: IllumioEvent[]) => [...events].reverse();

function client(waits: number[] = [], overrides: Partial<IllumioCredentials> = {}, asyncDeadlineMs = 60_000) {
	return new IllumioClient(
		httpSendFromN8n(n8nHttpRequest()),
		{ baseUrl: HOST, apiKeyUsername: KEY, apiKeySecret: SECRET, orgId: 1, tls: { skipVerification: false }, ...overrides },
		{
			retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 },
			wait: async (ms) => {
				waits.push(ms);
			},
			asyncLimits: { deadlineMs: asyncDeadlineMs, maxPollDelayMs: 30_000 },
		},
	);
}

async function failure(promise: Promise<unknown>): Promise<ApplianceError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ApplianceError);
		const text = `${String(error)} ${JSON.stringify(error)} ${(error as ApplianceError).details.description ?? ''}`;
		expect(text).not.toContain(SECRET);
		expect(text).not.toContain(BASIC.slice(6));
		return error as ApplianceError;
	}
	throw new Error('expected a failure');
}

const pce = () => nock(HOST, { reqheaders: { authorization: BASIC, accept: 'application/json' } });

useNockWithLoopback();

describe('Illumio transport', () => {
	const window = { start: T0, end: T0 + 3_600_000 };
	const bounds = { 'timestamp[gte]': '2026-11-29T10:00:00.000Z', 'timestamp[lte]': '2026-11-29T11:00:00.000Z' };

	it('counts, then reads a window of up to 10,000 in one page, oldest first', async () => {
		const events = [event(1), event(3), event(2)];
		pce()
			.get(EVENTS)
			.query({ ...bounds, max_results: 0 })
			.reply(200, [], { 'X-Total-Count': '3' })
			.get(EVENTS)
			.query({ ...bounds, max_results: 10000 })
			.reply(200, newestFirst(events), { 'x-total-count': '3' });
		const result = await listEvents(client(), window);
		expect(result.map((entry) => entry.href)).toEqual([event(1).href, event(2).href, event(3).href]);
	});

	it('asks the PCE for exact types, severities and status, and only the newest `limit` with a limit', async () => {
		pce()
			.get(EVENTS)
			.query({ ...bounds, event_type: ['user.login', 'user.logout'], severity: ['emerg', 'alert'], status: 'failure', max_results: 2 })
			.reply(200, newestFirst([event(5), event(6)]), { 'X-Total-Count': '9' });
		const result = await listEvents(client(), { ...window, eventTypes: ['user.login', 'user.logout'], severities: ['emerg', 'alert'], status: 'failure' }, 2);
		expect(result.map((entry) => entry.href)).toEqual([event(5).href, event(6).href]);
	});

	it('collects a window over 10,000 through the async job: 202, Location, Retry-After, job, datafile', async () => {
		const waits: number[] = [];
		const all = Array.from({ length: 12_000 }, (_, index) => event(index));
		pce()
			.get(EVENTS)
			.query({ ...bounds, max_results: 0 })
			.reply(200, [], { 'X-Total-Count': '12000' })
			.get(EVENTS)
			.query(bounds)
			.matchHeader('prefer', 'respond-async')
			.reply(202, '', { Location: '/orgs/1/jobs/9f0b6a1c-0000-4000-8000-000000000001', 'Retry-After': '2' })
			.get('/api/v2/orgs/1/jobs/9f0b6a1c-0000-4000-8000-000000000001')
			.reply(200, { href: '/orgs/1/jobs/9f0b6a1c-0000-4000-8000-000000000001', status: 'running', result: {} })
			.get('/api/v2/orgs/1/jobs/9f0b6a1c-0000-4000-8000-000000000001')
			.reply(200, { status: 'done', result: { href: '/orgs/1/datafiles/5d1e0000-0000-4000-8000-000000000002' } })
			.get('/api/v2/orgs/1/datafiles/5d1e0000-0000-4000-8000-000000000002')
			.reply(200, newestFirst(all));
		const result = await listEvents(client(waits), window);
		expect(result).toHaveLength(12_000);
		expect(result[0].href).toBe(all[0].href);
		expect(result[11_999].href).toBe(all[11_999].href);
		expect(waits).toEqual([2000, 3000]);
	});

	it('splits a window over 30,000 into parts by counts, one async job each, every event once', async () => {
		const all = Array.from({ length: 70_000 }, (_, index) => ({ ...event(0), href: `/orgs/1/events/e${index}`, timestamp: new Date(T0 + index * 50).toISOString() }));
		const between = (query: URLSearchParams) => {
			const gte = Date.parse(query.get('timestamp[gte]')!);
			const lte = Date.parse(query.get('timestamp[lte]')!);
			return all.filter((entry) => Date.parse(entry.timestamp) >= gte && Date.parse(entry.timestamp) <= lte);
		};
		const jobs: string[] = [];
		pce()
			.persist()
			.get(EVENTS)
			.query(true)
			.reply(function (uri) {
				const query = new URL(uri, HOST).searchParams;
				const matching = between(query);
				if (this.req.headers.prefer === 'respond-async') {
					jobs.push(query.toString());
					return [202, '', { Location: `/orgs/1/jobs/${jobs.length - 1}`, 'Retry-After': '1' }];
				}
				return [200, newestFirst(matching).slice(0, Number(query.get('max_results'))), { 'X-Total-Count': String(matching.length) }];
			})
			.get(/\/api\/v2\/orgs\/1\/jobs\/\d+$/)
			.reply((uri) => [200, { status: 'done', result: { href: `/orgs/1/datafiles/${uri.split('/').pop()}` } }])
			.get(/\/api\/v2\/orgs\/1\/datafiles\/\d+$/)
			.reply((uri) => [200, newestFirst(between(new URLSearchParams(jobs[Number(uri.split('/').pop())])))]);
		try {
			const result = await listEvents(client(), { start: T0, end: T0 + 70_000 * 50 });
			expect(result.map((entry) => entry.href)).toEqual(all.map((entry) => entry.href));
			expect(jobs.length).toBe(4);
		} finally {
			nock.cleanAll();
		}
	});

	it('falls back to the async job when a page holds fewer than X-Total-Count says', async () => {
		pce()
			.get(EVENTS)
			.query({ ...bounds, max_results: 0 })
			.reply(200, [], { 'X-Total-Count': '9999' })
			.get(EVENTS)
			.query({ ...bounds, max_results: 10000 })
			.reply(200, newestFirst([event(2), event(3)]), { 'X-Total-Count': '10002' })
			.get(EVENTS)
			.query(bounds)
			.reply(202, '', { Location: 'https://pce.unit.test:8443/api/v2/orgs/1/jobs/j1', 'Retry-After': '1' })
			.get('/api/v2/orgs/1/jobs/j1')
			.reply(200, { status: 'done', result: { href: '/orgs/1/datafiles/d1' } })
			.get('/api/v2/orgs/1/datafiles/d1')
			.reply(200, newestFirst([event(1), event(2), event(3)]));
		expect((await listEvents(client(), window)).map((entry) => entry.href)).toEqual([1, 2, 3].map((index) => event(index).href));
	});

	it('names a failed job and a datafile that never arrives', async () => {
		pce()
			.get(EVENTS)
			.query(true)
			.reply(200, [], { 'X-Total-Count': '20000' })
			.get(EVENTS)
			.query(true)
			.reply(202, '', { Location: '/orgs/1/jobs/j2', 'Retry-After': '1' })
			.get('/api/v2/orgs/1/jobs/j2')
			.reply(200, { status: 'failed', result: { message: 'Async request failed: the PCE could not generate the datafile' } });
		const failed = await failure(listEvents(client(), window));
		expect(failed.message).toBe("The PCE's async job /orgs/1/jobs/j2 failed: Async request failed: the PCE could not generate the datafile");

		pce()
			.get(EVENTS)
			.query(true)
			.reply(200, [], { 'X-Total-Count': '20000' })
			.get(EVENTS)
			.query(true)
			.reply(202, '', { Location: '/orgs/1/jobs/j3', 'Retry-After': '0' })
			.get('/api/v2/orgs/1/jobs/j3')
			.reply(200, { status: 'done', result: { href: '/orgs/1/datafiles/gone' } })
			.get('/api/v2/orgs/1/datafiles/gone')
			.reply(404, [{ token: 'not_found', message: 'Datafile gone not found' }]);
		// A deadline already past once the job is done: the first 404 of the datafile is the last.
		const lost = await failure(listEvents(client([], {}, 1), window));
		expect(lost.kind).toBe('timeout');
		expect(lost.message).toMatch(/^The datafile \/orgs\/1\/datafiles\/gone of the PCE's async job \/orgs\/1\/jobs\/j3 never arrived \(404 for \d+ s\)$/);
	});

	it('waits out a 429 (Retry-After) and a 500, then reads the page', async () => {
		const waits: number[] = [];
		pce()
			.get(EVENTS)
			.query(true)
			.reply(429, [{ token: 'too_many_requests_error', message: 'API rate limit of 500 requests per minute exceeded' }], { 'Retry-After': '7' })
			.get(EVENTS)
			.query(true)
			.reply(500, [{ token: 'internal_error', message: 'boom' }])
			.get(EVENTS)
			.query(true)
			.reply(200, [event(1)], { 'X-Total-Count': '1' });
		expect(await listEvents(client(waits), window, 50)).toHaveLength(1);
		expect(waits[0]).toBe(7000);
		expect(waits).toHaveLength(2);
	});

	it.each([
		[401, [{ token: 'authentication_failed', message: 'Authentication failed: invalid API key or secret' }], 'auth', /^The PCE refused the API key \(HTTP 401 authentication_failed: Authentication failed/],
		[403, [{ token: 'forbidden_error', message: 'Forbidden' }], 'forbidden', /^The PCE denied the events \(HTTP 403 forbidden_error: Forbidden\)$/],
		[406, [{ token: 'input_validation_error', message: "Input validation failed: invalid severity 'high'" }], 'vendor', /^The PCE rejected the events \(HTTP 406 input_validation_error: Input validation failed/],
	])('maps HTTP %i to a %s error with the PCE token', async (status, body, kind, message) => {
		pce().get(EVENTS).query(true).reply(status, body);
		const error = await failure(listEvents(client(), window, 10));
		expect(error.kind).toBe(kind);
		expect(error.message).toMatch(message);
		expect(error.details.vendorCode).toBe(body[0].token);
		if (status === 403) expect(error.details.description).toMatch(/org 1/);
	});

	it('gets one event by href or UUID and refuses anything else', async () => {
		const one = event(7);
		pce().get(`/api/v2${one.href}`).times(2).reply(200, one);
		expect(await getEvent(client(), one.href)).toEqual(one);
		expect(await getEvent(client(), one.href.split('/').pop()!.toUpperCase())).toEqual(one);
		const bad = await failure(getEvent(client(), 'user.login'));
		expect(bad.kind).toBe('config');
		expect(bad.message).toBe('"user.login" is neither an event href nor an event UUID');
		pce().get('/api/v2/orgs/1/events/00000000-0000-4000-8000-00000000dead').reply(404, [{ token: 'not_found', message: 'Event not found' }]);
		const missing = await failure(getEvent(client(), '00000000-0000-4000-8000-00000000dead'));
		expect(missing.kind).toBe('not-found');
	});
});

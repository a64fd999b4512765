/**
 * Conformance tests for the Illumio PCE simulator, driven over plain HTTP (axios) only.
 */
import axios, { type AxiosInstance } from 'axios';
import { IllumioSimulator, type IllumioEvent, type IllumioLabel, type IllumioWorkload } from './illumio';

const EVENT_KEYS = [
	'href',
	'timestamp',
	'pce_fqdn',
	'created_by',
	'event_type',
	'status',
	'severity',
	'action',
	'resource_changes',
	'notifications',
	'version',
	'org_id',
	'event_id',
];
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

function client(sim: IllumioSimulator, user?: string, secret?: string): AxiosInstance {
	const c = sim.credentials();
	return axios.create({
		baseURL: c.url,
		validateStatus: () => true,
		timeout: 10_000,
		auth: { username: user ?? c.apiKeyUser, password: secret ?? c.apiKeySecret },
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (event: IllumioEvent) => Date.parse(event.timestamp);

async function controlWindow(sim: IllumioSimulator, start?: string, end?: string): Promise<IllumioEvent[]> {
	const suffix = start !== undefined && end !== undefined ? `/${encodeURIComponent(start)}/${encodeURIComponent(end)}` : '';
	const response = await axios.get<{ count: number; events: IllumioEvent[] }>(`${sim.url}/__sim/illumio/events${suffix}`);
	expect(response.data.count).toBe(response.data.events.length);
	return response.data.events;
}

/** Polls a job href until it leaves "running"; bounded by `deadlineMs`. */
async function waitForJob(api: AxiosInstance, location: string, deadlineMs = 5000): Promise<Record<string, unknown>> {
	const until = Date.now() + deadlineMs;
	for (;;) {
		const job = await api.get<Record<string, unknown>>(`/api/v2${location}`);
		expect(job.status).toBe(200);
		if (job.data.status !== 'running') return job.data;
		if (Date.now() > until) throw new Error(`job ${location} still running after ${deadlineMs} ms`);
		await sleep(50);
	}
}

describe('IllumioSimulator (PCE REST API v2)', () => {
	let sim: IllumioSimulator;
	let api: AxiosInstance;
	let all: IllumioEvent[];

	beforeAll(async () => {
		sim = await new IllumioSimulator().start();
		api = client(sim);
		all = await controlWindow(sim);
	});

	afterAll(async () => {
		await sim.stop();
	});

	beforeEach(async () => {
		await axios.post(`${sim.url}/__sim/reset`);
	});

	describe('auth and basic resources', () => {
		it('answers 401 with an Illumio error array when credentials are missing or wrong', async () => {
			const anonymous = await axios.get(`${sim.url}/api/v2/orgs/1/events`, { validateStatus: () => true });
			expect(anonymous.status).toBe(401);
			expect(anonymous.data).toEqual([
				{ token: 'authentication_required', message: 'Authentication required: supply API key credentials with HTTP Basic auth' },
			]);
			const wrongSecret = await client(sim, undefined, 'nope').get('/api/v2/orgs/1/events');
			expect(wrongSecret.status).toBe(401);
			expect(wrongSecret.data).toEqual([{ token: 'authentication_failed', message: 'Authentication failed: invalid API key or secret' }]);
			const wrongUser = await client(sim, 'api_000000000000000', undefined).get('/api/v2/health');
			expect(wrongUser.status).toBe(401);
			expect(wrongUser.data[0].token).toBe('authentication_failed');
		});

		it('exposes the documented credentials', () => {
			expect(sim.credentials()).toEqual({
				url: sim.url,
				orgId: 1,
				apiKeyUser: 'api_1d9f490a0eabff1c4',
				apiKeySecret: 'illumio-sim-secret-5b8e',
			});
		});

		it('answers 403 for an org the key does not belong to', async () => {
			const response = await api.get('/api/v2/orgs/2/settings/workloads');
			expect(response.status).toBe(403);
			expect(response.data).toEqual([{ token: 'forbidden_error', message: 'Forbidden: API key api_1d9f490a0eabff1c4 has no access to org 2' }]);
		});

		it('serves health as an array of clusters with status normal', async () => {
			const response = await api.get('/api/v2/health');
			expect(response.status).toBe(200);
			expect(response.data).toHaveLength(1);
			expect(response.data[0]).toMatchObject({ fqdn: 'pce.netsec-sim.example.com', type: 'standalone', status: 'normal', release: '23.2.10-129' });
			expect(response.data[0].nodes).toHaveLength(2);
		});

		it('serves settings/workloads for credential checks', async () => {
			const response = await api.get('/api/v2/orgs/1/settings/workloads');
			expect(response.status).toBe(200);
			expect(response.data.href).toBe('/orgs/1/settings/workloads');
			expect(response.data.workload_disconnected_timeout_seconds).toEqual([{ scope: [], value: 3600 }]);
		});

		it('answers unknown paths with a 404 error array', async () => {
			const response = await api.get('/api/v2/orgs/1/no_such_thing');
			expect(response.status).toBe(404);
			expect(response.data).toEqual([{ token: 'not_found', message: 'Resource not found: GET /api/v2/orgs/1/no_such_thing' }]);
		});
	});

	describe('GET /orgs/1/events', () => {
		it('returns a bare array, newest first, 100 by default, with X-Total-Count', async () => {
			const response = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events');
			expect(response.status).toBe(200);
			expect(response.headers['x-total-count']).toBe('500');
			expect(response.data).toHaveLength(100);
			expect(response.data).toEqual(all.slice(-100).reverse());
			for (let i = 1; i < response.data.length; i++) expect(ms(response.data[i - 1])).toBeGreaterThanOrEqual(ms(response.data[i]));
		});

		it('builds events with the documented fields and shapes', () => {
			expect(all).toHaveLength(500);
			const hrefs = new Set<string>();
			const eventIds = new Set<string>();
			for (const event of all) {
				expect(Object.keys(event)).toEqual(EVENT_KEYS);
				expect(event.href).toMatch(new RegExp(`^/orgs/1/events/${UUID}$`));
				expect(event.org_id).toBe(1);
				expect(event.version).toBe(2);
				expect(event.event_id).toMatch(new RegExp(`^${UUID}$`));
				eventIds.add(event.event_id);
				expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
				expect(event.pce_fqdn).toBe('pce.netsec-sim.example.com');
				expect(['success', 'failure']).toContain(event.status);
				expect(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']).toContain(event.severity);
				expect(Object.keys(event.action)).toEqual(['uuid', 'api_endpoint', 'api_method', 'http_status_code', 'src_ip']);
				const actor = Object.keys(event.created_by);
				expect(actor).toHaveLength(1);
				expect(['system', 'user', 'agent']).toContain(actor[0]);
				if (actor[0] === 'system' && event.action.api_endpoint === null) expect(event.action.src_ip).toBe('FILTERED');
				for (const change of event.resource_changes) expect(['create', 'update', 'delete']).toContain(change.change_type);
				hrefs.add(event.href);
			}
			expect(hrefs.size).toBe(500);
			expect(eventIds.size).toBe(500);
			// Mostly info, and the catalogue covers the event types the nodes care about.
			const info = all.filter((event) => event.severity === 'info').length;
			expect(info / all.length).toBeGreaterThan(0.7);
			const types = new Set(all.map((event) => event.event_type));
			for (const type of ['user.login', 'user.sign_in', 'sec_policy.create', 'agent.tampering', 'workload.update', 'request.authentication_failed']) {
				expect(types).toContain(type);
			}
			const first = all[0];
			expect(Date.now() - ms(first)).toBeLessThanOrEqual(24 * 3600 * 1000 + 60_000);
		});

		it('honours max_results 0, the maximum and rejects above it', async () => {
			const zero = await api.get('/api/v2/orgs/1/events', { params: { max_results: 0 } });
			expect(zero.status).toBe(200);
			expect(zero.data).toEqual([]);
			expect(zero.headers['x-total-count']).toBe('500');

			const max = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { max_results: 10000 } });
			expect(max.status).toBe(200);
			expect(max.data).toEqual([...all].reverse());

			const seven = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { max_results: 7 } });
			expect(seven.data).toEqual(all.slice(-7).reverse());
			expect(seven.headers['x-total-count']).toBe('500');

			for (const bad of ['10001', '-1', 'ten']) {
				const response = await api.get('/api/v2/orgs/1/events', { params: { max_results: bad } });
				expect(response.status).toBe(406);
				expect(response.data).toEqual([{ token: 'input_validation_error', message: 'Input validation failed: max_results must be an integer from 0 to 10000' }]);
			}
		});

		it('filters by event_type, severity and status (repeats OR)', async () => {
			const logins = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { event_type: 'user.login', max_results: 10000 } });
			const expected = all.filter((event) => event.event_type === 'user.login').reverse();
			expect(expected.length).toBeGreaterThan(0);
			expect(logins.data).toEqual(expected);
			expect(logins.headers['x-total-count']).toBe(String(expected.length));

			const twoTypes = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events?event_type=user.login&event_type=agent.tampering&max_results=10000');
			expect(twoTypes.data).toEqual(all.filter((event) => ['user.login', 'agent.tampering'].includes(event.event_type)).reverse());

			const failures = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { status: 'failure', max_results: 3 } });
			const allFailures = all.filter((event) => event.status === 'failure').reverse();
			expect(failures.data).toEqual(allFailures.slice(0, 3));
			expect(failures.headers['x-total-count']).toBe(String(allFailures.length));

			const errs = all.filter((event) => event.severity === 'err').reverse();
			const errors = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { severity: 'err', max_results: 10000 } });
			expect(errors.data).toEqual(errs);

			const combined = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', {
				params: { event_type: 'user.sign_in', status: 'success', severity: 'info', max_results: 10000 },
			});
			expect(combined.data).toEqual(
				all.filter((e) => e.event_type === 'user.sign_in' && e.status === 'success' && e.severity === 'info').reverse(),
			);

			const unknownType = await api.get('/api/v2/orgs/1/events', { params: { event_type: 'no.such_type' } });
			expect(unknownType.data).toEqual([]);
			expect(unknownType.headers['x-total-count']).toBe('0');
		});

		it('filters by created_by: actor kind, href, username or hostname (repeats OR)', async () => {
			const byKind = (kind: string) => all.filter((event) => kind in event.created_by).reverse();
			const system = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { created_by: 'system', max_results: 10000 } });
			expect(system.status).toBe(200);
			expect(system.data).toEqual(byKind('system'));
			expect(system.headers['x-total-count']).toBe(String(byKind('system').length));

			const user = all.find((event) => 'user' in event.created_by)!.created_by.user as { href: string; username: string };
			const byUser = all.filter((event) => (event.created_by.user as { href?: string } | undefined)?.href === user.href).reverse();
			expect(byUser.length).toBeGreaterThan(0);
			const byHref = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { created_by: user.href, max_results: 10000 } });
			expect(byHref.data).toEqual(byUser);
			const byName = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { created_by: user.username, max_results: 10000 } });
			expect(byName.data).toEqual(byUser);

			const agent = all.find((event) => 'agent' in event.created_by)!.created_by.agent as { href: string; hostname: string };
			const byAgent = all.filter((event) => (event.created_by.agent as { hostname?: string } | undefined)?.hostname === agent.hostname).reverse();
			const byHost = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { created_by: agent.hostname, max_results: 10000 } });
			expect(byHost.data).toEqual(byAgent);

			const either = await api.get<IllumioEvent[]>(
				`/api/v2/orgs/1/events?created_by=system&created_by=${encodeURIComponent(user.href)}&event_type=user.logout&max_results=10000`,
			);
			expect(either.data).toEqual(
				all
					.filter((event) => event.event_type === 'user.logout' && ('system' in event.created_by || (event.created_by.user as { href?: string })?.href === user.href))
					.reverse(),
			);
			// A bounded page still counts every match.
			const page = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { created_by: 'system', max_results: 2 } });
			expect(page.data).toEqual(byKind('system').slice(0, 2));
			expect(page.headers['x-total-count']).toBe(String(byKind('system').length));

			const nobody = await api.get('/api/v2/orgs/1/events', { params: { created_by: '/users/999' } });
			expect(nobody.data).toEqual([]);
			expect(nobody.headers['x-total-count']).toBe('0');
			const empty = await api.get('/api/v2/orgs/1/events', { params: { created_by: '' } });
			expect(empty.status).toBe(406);
			expect(empty.data).toEqual([{ token: 'input_validation_error', message: "Input validation failed: 'created_by' must not be empty" }]);
		});

		it('rejects invalid filters and unknown parameters with 406', async () => {
			const severity = await api.get('/api/v2/orgs/1/events', { params: { severity: 'high' } });
			expect(severity.status).toBe(406);
			expect(severity.data).toEqual([{ token: 'input_validation_error', message: "Input validation failed: invalid severity 'high'" }]);
			const status = await api.get('/api/v2/orgs/1/events', { params: { status: 'ok' } });
			expect(status.data).toEqual([{ token: 'input_validation_error', message: "Input validation failed: invalid status 'ok'" }]);
			const unknown = await api.get('/api/v2/orgs/1/events', { params: { 'timestamp[gt]': '2024-01-01T00:00:00Z' } });
			expect(unknown.status).toBe(406);
			expect(unknown.data).toEqual([{ token: 'invalid_uri', message: "Invalid URI: unsupported query parameter 'timestamp[gt]'" }]);
			const badTime = await api.get('/api/v2/orgs/1/events', { params: { 'timestamp[gte]': 'yesterday' } });
			expect(badTime.status).toBe(406);
			expect(badTime.data).toEqual([
				{ token: 'input_validation_error', message: "Input validation failed: 'timestamp[gte]' is not an RFC 3339 timestamp: 'yesterday'" },
			]);
			// A raw '+' in a query string decodes to a space, so an unencoded offset is invalid.
			const rawPlus = await api.get('/api/v2/orgs/1/events?timestamp[gte]=2024-01-01T00:00:00+00:00');
			expect(rawPlus.status).toBe(406);
		});

		it('treats timestamp[gte] and timestamp[lte] as inclusive bounds in any RFC 3339 form', async () => {
			const low = all[100];
			const high = all[140];
			const inWindow = all.filter((event) => ms(event) >= ms(low) && ms(event) <= ms(high)).reverse();
			const response = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', {
				params: { 'timestamp[gte]': low.timestamp, 'timestamp[lte]': high.timestamp, max_results: 10000 },
			});
			expect(response.data).toEqual(inWindow);
			expect(response.data.map((event) => event.href)).toEqual(expect.arrayContaining([low.href, high.href]));
			expect(response.headers['x-total-count']).toBe(String(inWindow.length));

			const exact = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { 'timestamp[gte]': low.timestamp, 'timestamp[lte]': low.timestamp } });
			expect(exact.data).toEqual(all.filter((event) => event.timestamp === low.timestamp).reverse());

			const after = new Date(ms(low) + 1).toISOString();
			const exclusive = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', {
				params: { 'timestamp[gte]': after, 'timestamp[lte]': high.timestamp, max_results: 10000 },
			});
			expect(exclusive.data.map((event) => event.href)).not.toContain(low.href);

			// Python's isoformat(): microseconds and a +00:00 offset (encoded as %2B by axios).
			const offset = (event: IllumioEvent) => event.timestamp.replace('Z', '000+00:00');
			const pythonStyle = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', {
				params: { 'timestamp[gte]': offset(low), 'timestamp[lte]': offset(high), max_results: 10000 },
			});
			expect(pythonStyle.data).toEqual(inWindow);
			// A sub-millisecond bound just after an event excludes it.
			const micro = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', {
				params: { 'timestamp[gte]': low.timestamp.replace('Z', '001+00:00'), 'timestamp[lte]': high.timestamp, max_results: 10000 },
			});
			expect(micro.data.map((event) => event.href)).not.toContain(low.href);
			// Another zone: the same instant written as +02:00.
			const shifted = new Date(ms(high) + 2 * 3600 * 1000).toISOString().replace('Z', '+02:00');
			const zoned = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', {
				params: { 'timestamp[gte]': low.timestamp, 'timestamp[lte]': shifted, max_results: 10000 },
			});
			expect(zoned.data).toEqual(inWindow);
		});

		it('serves a single event by uuid and 404 for unknown ones', async () => {
			for (const event of [all[0], all[250], all[499]]) {
				const response = await api.get<IllumioEvent>(`/api/v2${event.href}`);
				expect(response.status).toBe(200);
				expect(response.data).toEqual(event);
			}
			const missing = await api.get('/api/v2/orgs/1/events/00000000-0000-4000-8000-000000000000');
			expect(missing.status).toBe(404);
			expect(missing.data).toEqual([{ token: 'not_found', message: 'Event 00000000-0000-4000-8000-000000000000 not found' }]);
		});
	});

	describe('late events (control API)', () => {
		it('adds backdated events that appear in their window and in the total', async () => {
			const before = Date.now();
			const added = await axios.post<{ added: number; events: IllumioEvent[] }>(`${sim.url}/__sim/illumio/events`, {
				count: 3,
				event_type: 'agent.tampering',
				severity: 'crit',
				backdateMs: 3_600_000,
			});
			expect(added.data.added).toBe(3);
			for (const event of added.data.events) {
				expect(event.event_type).toBe('agent.tampering');
				expect(event.severity).toBe('crit');
				expect(Object.keys(event.created_by)).toEqual(['agent']);
				expect(ms(event)).toBeGreaterThanOrEqual(before - 3_600_000);
				expect(ms(event)).toBeLessThanOrEqual(Date.now() - 3_600_000);
			}
			const total = await api.get('/api/v2/orgs/1/events', { params: { max_results: 0 } });
			expect(total.headers['x-total-count']).toBe('503');

			const at = added.data.events[0].timestamp;
			const window = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { 'timestamp[gte]': at, 'timestamp[lte]': at } });
			// Later additions are newer than earlier ones with the same millisecond.
			expect(window.data.slice(0, 3)).toEqual([...added.data.events].reverse());

			const single = await api.get<IllumioEvent>(`/api/v2${added.data.events[1].href}`);
			expect(single.data).toEqual(added.data.events[1]);

			const listed = await controlWindow(sim, at, at);
			expect(listed.slice(-3)).toEqual(added.data.events);

			// Reset forgets them again.
			await axios.post(`${sim.url}/__sim/reset`);
			const after = await api.get('/api/v2/orgs/1/events', { params: { max_results: 0 } });
			expect(after.headers['x-total-count']).toBe('500');
		});

		it('adds events stamped now by default with the requested status', async () => {
			const added = await axios.post<{ added: number; events: IllumioEvent[] }>(`${sim.url}/__sim/illumio/events`, { count: 2, status: 'failure' });
			expect(added.data.added).toBe(2);
			const newest = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { max_results: 2 } });
			expect(newest.data).toEqual([...added.data.events].reverse());
			expect(newest.data.every((event) => event.status === 'failure')).toBe(true);
		});
	});

	describe('async collection', () => {
		afterEach(() => jest.useRealTimers());

		it('answers 202 with Location and Retry-After, then a job, then the datafile', async () => {
			// Only Date is frozen (sockets and timers run) until the job was seen running: it cannot finish first.
			jest.useFakeTimers({ now: Date.now(), doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
			const accepted = await api.get('/api/v2/orgs/1/events', { headers: { Prefer: 'respond-async' }, responseType: 'text' });
			expect(accepted.status).toBe(202);
			expect(accepted.data).toBe('');
			expect(accepted.headers['retry-after']).toBe('1');
			const location = String(accepted.headers.location);
			expect(location).toMatch(new RegExp(`^/orgs/1/jobs/${UUID}$`));

			const running = await api.get(`/api/v2${location}`);
			expect(running.status).toBe(200);
			expect(running.data).toEqual({
				href: location,
				job_type: ':illumio/async_requests',
				description: '/orgs/1/events',
				result: {},
				status: 'running',
				requested_at: expect.stringMatching(/Z$/),
				requested_by: { href: '/users/1' },
			});
			jest.useRealTimers();

			const done = await waitForJob(api, location);
			expect(done.status).toBe('done');
			expect(Object.keys(done)).toEqual(['href', 'job_type', 'description', 'result', 'status', 'requested_at', 'terminated_at', 'requested_by']);
			const datafile = (done.result as { href: string }).href;
			expect(datafile).toMatch(new RegExp(`^/orgs/1/datafiles/${UUID}$`));
			expect(Date.parse(String(done.terminated_at)) - Date.parse(String(done.requested_at))).toBe(300);

			const file = await api.get<IllumioEvent[]>(`/api/v2${datafile}`);
			expect(file.status).toBe(200);
			// No max_results cut: every event, the same as the control endpoint, newest first.
			expect(file.data).toEqual([...all].reverse());
		});

		it('applies filters to the datafile and snapshots the collection at request time', async () => {
			const accepted = await api.get('/api/v2/orgs/1/events', {
				headers: { Prefer: 'respond-async' },
				params: { event_type: 'workload.update', 'timestamp[gte]': all[200].timestamp },
			});
			expect(accepted.status).toBe(202);
			await axios.post(`${sim.url}/__sim/illumio/events`, { count: 2, event_type: 'workload.update' });
			const done = await waitForJob(api, String(accepted.headers.location));
			const file = await api.get<IllumioEvent[]>(`/api/v2${(done.result as { href: string }).href}`);
			expect(file.data).toEqual(all.filter((event) => event.event_type === 'workload.update' && ms(event) >= ms(all[200])).reverse());
		});

		it('reports failed jobs with result.message', async () => {
			await axios.post(`${sim.url}/__sim/illumio/async`, { outcome: 'failed', jobMs: 50 });
			const accepted = await api.get('/api/v2/orgs/1/events', { headers: { Prefer: 'respond-async' } });
			const failed = await waitForJob(api, String(accepted.headers.location));
			expect(failed.status).toBe('failed');
			expect(failed.result).toEqual({ message: 'Async request failed: the PCE could not generate the datafile' });
		});

		it('answers 404 for unknown jobs and datafiles', async () => {
			const job = await api.get('/api/v2/orgs/1/jobs/00000000-0000-4000-8000-000000000000');
			expect(job.status).toBe(404);
			expect(job.data).toEqual([{ token: 'not_found', message: 'Job 00000000-0000-4000-8000-000000000000 not found' }]);
			const file = await api.get('/api/v2/orgs/1/datafiles/00000000-0000-4000-8000-000000000000');
			expect(file.status).toBe(404);
		});
	});

	describe('labels and workloads (the collections illumio-pretty-cool-events reads)', () => {
		const LABEL_KEYS = ['href', 'key', 'value', 'created_at', 'updated_at', 'created_by', 'updated_by'];
		const WORKLOAD_KEYS = [
			'href',
			'name',
			'hostname',
			'description',
			'managed',
			'online',
			'enforcement_mode',
			'visibility_level',
			'os_id',
			'os_detail',
			'public_ip',
			'interfaces',
			'labels',
			'agent',
			'ven',
			'created_at',
			'updated_at',
			'created_by',
			'updated_by',
		];

		it('lists labels as a bare array with X-Total-Count, filters by key and partial value', async () => {
			const labels = await api.get<IllumioLabel[]>('/api/v2/orgs/1/labels');
			expect(labels.status).toBe(200);
			expect(labels.headers['x-total-count']).toBe('64');
			expect(labels.data).toEqual(sim.labelList());
			expect(labels.data.map((label) => label.href)).toEqual(Array.from({ length: 64 }, (_, index) => `/orgs/1/labels/${index + 1}`));
			for (const label of labels.data) {
				expect(Object.keys(label)).toEqual(LABEL_KEYS);
				expect(['env', 'loc', 'role', 'app']).toContain(label.key);
				expect(label.value).not.toBe('');
			}
			expect(new Set(labels.data.map((label) => `${label.key}=${label.value}`)).size).toBe(64);

			const envs = await api.get<IllumioLabel[]>('/api/v2/orgs/1/labels', { params: { key: 'env' } });
			expect(envs.data.map((label) => label.value)).toEqual(['Production', 'Staging', 'Development', 'Test']);
			const partial = await api.get<IllumioLabel[]>('/api/v2/orgs/1/labels', { params: { key: 'role', value: 'host' } });
			expect(partial.data.map((label) => label.value)).toEqual(['Jump Host']);
			const page = await api.get<IllumioLabel[]>('/api/v2/orgs/1/labels', { params: { max_results: 3 } });
			expect(page.data).toEqual(labels.data.slice(0, 3));
			expect(page.headers['x-total-count']).toBe('64');

			const single = await api.get<IllumioLabel>('/api/v2/orgs/1/labels/11');
			expect(single.data).toEqual(labels.data[10]);
			const missing = await api.get('/api/v2/orgs/1/labels/999');
			expect(missing.status).toBe(404);
			expect(missing.data).toEqual([{ token: 'not_found', message: 'Label 999 not found' }]);
		});

		it('lists workloads whose labels carry key and value, and filters them', async () => {
			const labels = new Map(sim.labelList().map((label) => [label.href, label]));
			const workloads = await api.get<IllumioWorkload[]>('/api/v2/orgs/1/workloads');
			expect(workloads.status).toBe(200);
			expect(workloads.headers['x-total-count']).toBe('10');
			expect(workloads.data).toEqual(sim.workloadList());
			for (const workload of workloads.data) {
				expect(Object.keys(workload)).toEqual(WORKLOAD_KEYS);
				expect(workload.href).toMatch(new RegExp(`^/orgs/1/workloads/${UUID}$`));
				expect(workload.labels.map((label) => label.key)).toEqual(['env', 'loc', 'role', 'app']);
				for (const label of workload.labels) expect(labels.get(label.href)).toMatchObject(label);
				expect(['idle', 'visibility_only', 'selective', 'full']).toContain(workload.enforcement_mode);
				if (workload.managed) expect(workload.agent.href).toMatch(/^\/orgs\/1\/agents\/\d+$/);
				else expect(workload.ven).toBeNull();
			}
			const single = await api.get<IllumioWorkload>(`/api/v2${workloads.data[3].href}`);
			expect(single.data).toEqual(workloads.data[3]);
			const missing = await api.get('/api/v2/orgs/1/workloads/00000000-0000-4000-8000-000000000000');
			expect(missing.status).toBe(404);
			expect(missing.data).toEqual([{ token: 'not_found', message: 'Workload 00000000-0000-4000-8000-000000000000 not found' }]);

			const hostnames = async (params: Record<string, string | number>) =>
				(await api.get<IllumioWorkload[]>('/api/v2/orgs/1/workloads', { params })).data.map((workload) => workload.hostname);
			expect(await hostnames({ hostname: 'PROD' })).toEqual(['web-prod-01', 'web-prod-02', 'db-prod-01']);
			expect(await hostnames({ managed: 'false' })).toEqual(['nas-legacy-01', 'print-srv-02']);
			expect(await hostnames({ online: 'false' })).toEqual(['app-stg-03']);
			expect(await hostnames({ enforcement_mode: 'selective' })).toEqual(['db-prod-01', 'erp-app-02']);
			const web = [...labels.values()].find((label) => label.key === 'role' && label.value === 'Web')!.href;
			const database = [...labels.values()].find((label) => label.key === 'role' && label.value === 'Database')!.href;
			const frankfurt = [...labels.values()].find((label) => label.key === 'loc' && label.value === 'Frankfurt')!.href;
			expect(await hostnames({ labels: JSON.stringify([[web, frankfurt]]) })).toEqual(['web-prod-02']);
			expect(await hostnames({ labels: JSON.stringify([[web], [database]]) })).toEqual(['web-prod-01', 'web-prod-02', 'db-prod-01']);
			expect(await hostnames({ max_results: 1 })).toEqual(['web-prod-01']);
		});

		it('rejects bad collection queries with 406 and applies auth and org checks', async () => {
			const cases: Array<[string, Record<string, string>, unknown]> = [
				['/api/v2/orgs/1/labels', { sort: 'key' }, [{ token: 'invalid_uri', message: "Invalid URI: unsupported query parameter 'sort'" }]],
				['/api/v2/orgs/1/labels', { max_results: '-1' }, [{ token: 'input_validation_error', message: 'Input validation failed: max_results must be a non-negative integer' }]],
				['/api/v2/orgs/1/workloads', { managed: 'yes' }, [{ token: 'input_validation_error', message: "Input validation failed: 'managed' must be true or false" }]],
				['/api/v2/orgs/1/workloads', { enforcement_mode: 'strict' }, [{ token: 'input_validation_error', message: "Input validation failed: invalid enforcement_mode 'strict'" }]],
				[
					'/api/v2/orgs/1/workloads',
					{ labels: '/orgs/1/labels/1' },
					[{ token: 'input_validation_error', message: "Input validation failed: 'labels' must be a JSON list of lists of label hrefs" }],
				],
			];
			for (const [path, params, body] of cases) {
				const response = await api.get(path, { params });
				expect(response.status).toBe(406);
				expect(response.data).toEqual(body);
			}
			expect((await api.get('/api/v2/orgs/2/labels')).status).toBe(403);
			expect((await api.get('/api/v2/orgs/2/workloads')).status).toBe(403);
			expect((await client(sim, undefined, 'nope').get('/api/v2/orgs/1/workloads')).status).toBe(401);
		});

		it('resolves every workload, agent and label href that events mention', async () => {
			const text = JSON.stringify(all);
			const workloadHrefs = new Set(text.match(/\/orgs\/1\/workloads\/[0-9a-f-]{36}/g));
			const labelHrefs = new Set(text.match(/\/orgs\/1\/labels\/\d+/g));
			expect(workloadHrefs.size).toBe(8);
			expect(labelHrefs.size).toBeGreaterThan(40);
			for (const href of [...workloadHrefs, ...labelHrefs]) expect((await api.get(`/api/v2${href}`)).status).toBe(200);
			// An agent named in an event belongs to the workload with the same hostname.
			const workloads = sim.workloadList();
			for (const event of all) {
				const agent = event.created_by.agent as { href: string; hostname: string } | undefined;
				if (!agent) continue;
				expect(workloads.find((workload) => workload.hostname === agent.hostname)?.agent.href).toBe(agent.href);
			}
		});
	});

	describe('faults', () => {
		const path = '/api/v2/orgs/1/events';

		it('injects a status fault once, then answers normally', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path, kind: 'status', status: 500, body: [{ token: 'internal_error', message: 'boom' }] }] });
			const failed = await api.get(path);
			expect(failed.status).toBe(500);
			expect(failed.data).toEqual([{ token: 'internal_error', message: 'boom' }]);
			const ok = await api.get(path);
			expect(ok.status).toBe(200);
		});

		it('drops the connection', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path, kind: 'drop' }] });
			await expect(api.get(path)).rejects.toThrow(/socket hang up|ECONNRESET/);
			expect((await api.get(path)).status).toBe(200);
		});

		it('answers malformed JSON', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path, kind: 'malformed' }] });
			const response = await api.get(path, { responseType: 'text', transformResponse: (data: string) => data });
			expect(response.status).toBe(200);
			expect(response.data).toBe('{"data": [ {"id": 1, "eventTime": ');
			expect(() => JSON.parse(response.data as string)).toThrow();
		});

		it('answers 429 with Retry-After through a fault', async () => {
			await axios.post(`${sim.url}/__sim/faults`, {
				faults: [{ path, kind: 'status', status: 429, retryAfter: 2, body: [{ token: 'too_many_requests_error', message: 'slow down' }] }],
			});
			const response = await api.get(path);
			expect(response.status).toBe(429);
			expect(response.headers['retry-after']).toBe('2');
		});

		it('expires the API key on an expireSession fault until reset', async () => {
			await axios.post(`${sim.url}/__sim/faults`, { faults: [{ path, kind: 'expireSession' }] });
			const expired = await api.get(path);
			expect(expired.status).toBe(401);
			expect(expired.data).toEqual([{ token: 'authentication_failed', message: 'Authentication failed: invalid API key or secret' }]);
			await axios.post(`${sim.url}/__sim/reset`);
			expect((await api.get(path)).status).toBe(200);
		});
	});

	it('is deterministic for a seed and anchor', async () => {
		const anchorMs = Date.parse('2025-03-01T12:00:00.000Z');
		const a = new IllumioSimulator({ seed: 7, anchorMs, eventCount: 50 });
		const b = new IllumioSimulator({ seed: 7, anchorMs, eventCount: 50 });
		const c = new IllumioSimulator({ seed: 8, anchorMs, eventCount: 50 });
		const window = [anchorMs - 24 * 3600 * 1000, anchorMs] as const;
		expect(a.eventsBetween(...window)).toEqual(b.eventsBetween(...window));
		expect(a.eventsBetween(...window)).not.toEqual(c.eventsBetween(...window));
		expect(a.eventsBetween(...window)).toHaveLength(50);
		expect(ms(a.eventsBetween(...window)[49])).toBeLessThanOrEqual(anchorMs);
	});
});

describe('IllumioSimulator rate limit', () => {
	let sim: IllumioSimulator;

	beforeAll(async () => {
		sim = await new IllumioSimulator({ rateLimitPerMinute: 5 }).start();
	});

	afterAll(async () => {
		await sim.stop();
	});

	it('answers 429 with the Illumio body and Retry-After after the per-key limit', async () => {
		const api = client(sim);
		for (let i = 0; i < 5; i++) expect((await api.get('/api/v2/orgs/1/events', { params: { max_results: 1 } })).status).toBe(200);
		const limited = await api.get('/api/v2/orgs/1/events');
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('60');
		expect(limited.data).toEqual([{ token: 'too_many_requests_error', message: 'API rate limit of 5 requests per minute exceeded' }]);
		// Every endpoint counts against the same key.
		expect((await api.get('/api/v2/health')).status).toBe(429);
		await axios.post(`${sim.url}/__sim/reset`);
		expect((await api.get('/api/v2/health')).status).toBe(200);
	});

	it('frees the budget when the window slides', async () => {
		const short = await new IllumioSimulator({ rateLimitPerMinute: 2, rateLimitWindowMs: 300 }).start();
		try {
			const api = client(short);
			expect((await api.get('/api/v2/health')).status).toBe(200);
			expect((await api.get('/api/v2/health')).status).toBe(200);
			const limited = await api.get('/api/v2/health');
			expect(limited.status).toBe(429);
			expect(limited.headers['retry-after']).toBe('1');
			await sleep(350);
			expect((await api.get('/api/v2/health')).status).toBe(200);
		} finally {
			await short.stop();
		}
	});
});

describe('IllumioSimulator at 10^6 events', () => {
	const anchorMs = Date.parse('2025-06-01T00:00:00.000Z');
	let sim: IllumioSimulator;

	beforeAll(async () => {
		sim = await new IllumioSimulator({ eventCount: 1_000_000, anchorMs }).start();
	});

	afterAll(async () => {
		await sim.stop();
	});

	it('answers a small window of 10^6 events and counts the whole set arithmetically', async () => {
		const api = client(sim);
		const total = await api.get('/api/v2/orgs/1/events', { params: { max_results: 0 } });
		expect(total.headers['x-total-count']).toBe('1000000');

		const start = new Date(anchorMs - 3_600_000).toISOString();
		const end = new Date(anchorMs - 3_540_000).toISOString();
		const window = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { 'timestamp[gte]': start, 'timestamp[lte]': end, max_results: 10000 } });
		expect(window.status).toBe(200);
		// 10^6 events over 24 h: about 694 a minute.
		expect(window.data.length).toBeGreaterThan(600);
		expect(window.data.length).toBeLessThan(800);
		expect(window.headers['x-total-count']).toBe(String(window.data.length));
		expect(window.data).toEqual((await controlWindow(sim, start, end)).reverse());
		expect(ms(window.data[0])).toBeLessThanOrEqual(Date.parse(end));
		expect(ms(window.data[window.data.length - 1])).toBeGreaterThanOrEqual(Date.parse(start));

		const newest = await api.get<IllumioEvent[]>('/api/v2/orgs/1/events', { params: { max_results: 5 } });
		expect(newest.data).toHaveLength(5);
		const single = await api.get<IllumioEvent>(`/api/v2${newest.data[4].href}`);
		expect(single.data).toEqual(newest.data[4]);
	});
});

describe('IllumioSimulator trickle', () => {
	it('adds one event every trickleMs while started and stops with stop()', async () => {
		const sim = await new IllumioSimulator({ eventCount: 10, trickleMs: 20 }).start();
		const api = client(sim);
		try {
			const until = Date.now() + 3000;
			let count = 10;
			while (count < 13 && Date.now() < until) {
				await sleep(30);
				count = Number((await api.get('/api/v2/orgs/1/events', { params: { max_results: 0 } })).headers['x-total-count']);
			}
			expect(count).toBeGreaterThanOrEqual(13);
		} finally {
			await sim.stop();
		}
		const stopped = sim.totalEvents;
		await sleep(100);
		expect(sim.totalEvents).toBe(stopped);
	});
});

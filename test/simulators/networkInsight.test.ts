/**
 * Conformance of the vRNI simulator with rest-apis.md §3 and the 6.1.0 swagger, driven by plain
 * axios only, never by our node code.
 */
import axios, { type AxiosResponse } from 'axios';
import { NetworkInsightSimulator } from './networkInsight';

const http = axios.create({ validateStatus: () => true, timeout: 10000 });
const API = '/api/ni';
/** 2024-01-15T00:00:00Z: a fixed anchor keeps flow times exact. */
const ANCHOR_MS = Date.UTC(2024, 0, 15);
const ANCHOR_S = ANCHOR_MS / 1000;
const WEEK_S = 7 * 86400;

interface FlowRef {
	entity_id: string;
	entity_type: string;
	time: number;
}

interface Page {
	results: FlowRef[];
	cursor: string | null;
	total_count: number;
	start_time: number;
	end_time: number;
}

type FlowEntity = {
	entity_id: string;
	name: string;
	entity_type: string;
	source_ip: { ip_address: string; netmask: string; network_address: string };
	destination_ip: { ip_address: string; netmask: string; network_address: string };
	port: { start: number; end: number; display: string; iana_name: string; iana_port_display: string };
	protocol: string;
	firewall_action: string;
	firewall_rule_id: string;
	traffic_type: string;
	flow_tag: string[];
	source_vm?: { entity_id: string; entity_type: string; entity_name: string };
	destination_vm?: { entity_id: string; entity_type: string; entity_name: string };
	[key: string]: unknown;
};

async function token(sim: NetworkInsightSimulator): Promise<string> {
	const response = await http.post(`${sim.url}${API}/auth/token`, {
		username: sim.options.username,
		password: sim.options.password,
		domain: { domain_type: 'LOCAL' },
	});
	expect(response.status).toBe(200);
	return response.data.token as string;
}

function auth(value: string): { headers: { Authorization: string } } {
	return { headers: { Authorization: `NetworkInsight ${value}` } };
}

/** Follows the cursor until it is null or empty, as flows_to_vrli.py does. */
async function searchAll(sim: NetworkInsightSimulator, value: string, body: Record<string, unknown>): Promise<{ flows: FlowRef[]; pages: Page[] }> {
	const pages: Page[] = [];
	let cursor: string | null | undefined;
	for (let guard = 0; guard < 10000; guard++) {
		const response = await http.post(`${sim.url}${API}/search`, { ...body, ...(cursor ? { cursor } : {}) }, auth(value));
		expect(response.status).toBe(200);
		const page = response.data as Page;
		pages.push(page);
		cursor = page.cursor;
		if (!cursor) break;
	}
	return { flows: pages.flatMap((page) => page.results), pages };
}

async function controlWindow(sim: NetworkInsightSimulator, start: number, end: number): Promise<FlowRef[]> {
	const response = await http.get(`${sim.url}/__sim/vrni/flows/${start}/${end}`);
	expect(response.status).toBe(200);
	return (response.data.flows as Array<{ entity_id: string; time: number }>).map((flow) => ({ ...flow, entity_type: 'Flow' }));
}

async function fetchEntities(sim: NetworkInsightSimulator, value: string, refs: FlowRef[]): Promise<FlowEntity[]> {
	const out: FlowEntity[] = [];
	for (let i = 0; i < refs.length; i += 1000) {
		const response = await http.post(`${sim.url}${API}/entities/fetch`, { entity_ids: refs.slice(i, i + 1000) }, auth(value));
		expect(response.status).toBe(200);
		out.push(...(response.data.results as Array<{ entity: FlowEntity }>).map((result) => result.entity));
	}
	return out;
}

describe('vRealize Network Insight simulator', () => {
	const sim = new NetworkInsightSimulator({ anchorMs: ANCHOR_MS });
	let value: string;
	let all: FlowRef[];
	let entities: FlowEntity[];

	beforeAll(async () => {
		await sim.start(0);
		value = await token(sim);
		all = await controlWindow(sim, ANCHOR_S - WEEK_S, ANCHOR_S);
		entities = await fetchEntities(sim, value, all);
	});
	afterAll(() => sim.stop());

	describe('auth', () => {
		it('hands out the default credentials', () => {
			expect(sim.credentials()).toEqual({ url: sim.url, username: 'admin@local', password: 'vrni-sim-pass-8c2e', domain: 'LOCAL' });
		});

		it('issues a token whose expiry is epoch milliseconds 5 hours ahead', async () => {
			const before = Date.now();
			const response = await http.post(`${sim.url}${API}/auth/token`, {
				username: 'admin@local',
				password: 'vrni-sim-pass-8c2e',
				domain: { domain_type: 'LOCAL', value: 'local' },
			});
			const after = Date.now();
			expect(response.status).toBe(200);
			expect(Object.keys(response.data).sort()).toEqual(['expiry', 'token']);
			expect(response.data.token).toMatch(/^[A-Za-z0-9+/]{22}==$/);
			expect(response.data.expiry).toBeGreaterThanOrEqual(before + 5 * 3600 * 1000);
			expect(response.data.expiry).toBeLessThanOrEqual(after + 5 * 3600 * 1000);
		});

		it('refuses bad credentials with 401 and an ApiError body, a malformed body with 400', async () => {
			const wrong = await http.post(`${sim.url}${API}/auth/token`, { username: 'admin@local', password: 'nope', domain: { domain_type: 'LOCAL' } });
			expect(wrong.status).toBe(401);
			expect(wrong.data).toEqual({ code: 401, message: 'Authentication failed: invalid username, password or domain', details: [] });
			const ldap = await http.post(`${sim.url}${API}/auth/token`, { username: 'admin@local', password: 'vrni-sim-pass-8c2e', domain: { domain_type: 'LDAP', value: 'corp.example' } });
			expect(ldap.status).toBe(400);
			expect(ldap.data.message).toBe('Unknown LDAP domain: corp.example');
			const malformed = await http.post(`${sim.url}${API}/auth/token`, { username: 'admin@local', password: 'vrni-sim-pass-8c2e' });
			expect(malformed.status).toBe(400);
			expect(malformed.data).toEqual({
				code: 400,
				message: 'Invalid user credential: username, password and domain are required',
				details: [{ code: 400, message: 'Invalid user credential: username, password and domain are required', target: ['body'] }],
			});
		});

		it('accepts an LDAP account with its domain value', async () => {
			const ldap = await new NetworkInsightSimulator({ domain: 'LDAP', username: 'svc-n8n@corp.example', ldapDomain: 'corp.example' }).start(0);
			try {
				const body = { username: 'svc-n8n@corp.example', password: ldap.options.password, domain: { domain_type: 'LDAP', value: 'corp.example' } };
				expect((await http.post(`${ldap.url}${API}/auth/token`, body)).status).toBe(200);
				expect((await http.post(`${ldap.url}${API}/auth/token`, { ...body, domain: { domain_type: 'LOCAL' } })).status).toBe(401);
				const unknown = await http.post(`${ldap.url}${API}/auth/token`, { ...body, domain: { domain_type: 'LDAP', value: 'corp.wrong' } });
				expect(unknown.status).toBe(400);
				expect(unknown.data.details[0].target).toEqual(['domain.value']);
			} finally {
				await ldap.stop();
			}
		});

		it('needs "Authorization: NetworkInsight <token>" and answers the version', async () => {
			expect((await http.get(`${sim.url}${API}/info/version`)).status).toBe(401);
			expect((await http.get(`${sim.url}${API}/info/version`, { headers: { Authorization: `Bearer ${value}` } })).status).toBe(401);
			expect((await http.get(`${sim.url}${API}/info/version`, auth('bm90LWEtdG9rZW4='))).status).toBe(401);
			const version = await http.get(`${sim.url}${API}/info/version`, auth(value));
			expect(version.status).toBe(200);
			expect(version.data).toEqual({ api_version: '1.1.0' });
		});

		it('deletes a token with 204; the deleted token then gets 401', async () => {
			const own = await token(sim);
			const deleted = await http.delete(`${sim.url}${API}/auth/token`, auth(own));
			expect(deleted.status).toBe(204);
			expect(deleted.data).toBe('');
			expect((await http.get(`${sim.url}${API}/info/version`, auth(own))).status).toBe(401);
			expect((await http.delete(`${sim.url}${API}/auth/token`, auth(own))).status).toBe(401);
		});

		it('expires tokens after tokenTtlMs', async () => {
			const short = await new NetworkInsightSimulator({ tokenTtlMs: 400 }).start(0);
			try {
				const own = await token(short);
				expect((await http.get(`${short.url}${API}/info/version`, auth(own))).status).toBe(200);
				await new Promise((resolve) => setTimeout(resolve, 600));
				expect((await http.get(`${short.url}${API}/info/version`, auth(own))).status).toBe(401);
			} finally {
				await short.stop();
			}
		});

		it('allows 100 valid tokens per user; the 101st is refused with 401', async () => {
			const limited = await new NetworkInsightSimulator().start(0);
			try {
				const tokens: string[] = [];
				for (let i = 0; i < 100; i++) tokens.push(await token(limited));
				expect(new Set(tokens).size).toBe(100);
				const refused = await http.post(`${limited.url}${API}/auth/token`, { username: 'admin@local', password: 'vrni-sim-pass-8c2e', domain: { domain_type: 'LOCAL' } });
				expect(refused.status).toBe(401);
				expect(refused.data.message).toBe('Token limit reached: 100 valid tokens per user');
				expect((await http.delete(`${limited.url}${API}/auth/token`, auth(tokens[0]))).status).toBe(204);
				expect((await http.post(`${limited.url}${API}/auth/token`, { username: 'admin@local', password: 'vrni-sim-pass-8c2e', domain: { domain_type: 'LOCAL' } })).status).toBe(200);
			} finally {
				await limited.stop();
			}
		});

		it('answers 401 after the expireSession fault, until a new token is made', async () => {
			const own = await token(sim);
			sim.injectFaults([{ path: `${API}/info/version`, kind: 'expireSession' }]);
			const expired = await http.get(`${sim.url}${API}/info/version`, auth(own));
			expect(expired.status).toBe(401);
			expect(expired.data).toEqual({ code: 401, message: 'Unauthorized', details: [] });
			value = await token(sim);
			expect((await http.get(`${sim.url}${API}/info/version`, auth(value))).status).toBe(200);
		});
	});

	describe('search', () => {
		it('holds 500 flows over the week before the anchor', () => {
			expect(all).toHaveLength(500);
			expect(all[0].time).toBeGreaterThanOrEqual(ANCHOR_S - WEEK_S);
			expect(all[499].time).toBeLessThanOrEqual(ANCHOR_S);
			expect(entities).toHaveLength(500);
		});

		it('pages with the cursor to the end and returns exactly the control window', async () => {
			const body = { entity_type: 'Flow', filter: '', size: 37, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } };
			const { flows, pages } = await searchAll(sim, value, body);
			expect(pages).toHaveLength(14);
			expect(pages.map((page) => page.results.length)).toEqual([...Array.from({ length: 13 }, () => 37), 19]);
			expect(pages.every((page) => page.total_count === 500 && page.start_time === ANCHOR_S - WEEK_S && page.end_time === ANCHOR_S)).toBe(true);
			expect(pages.at(-1)?.cursor).toBeNull();
			expect(flows).toEqual(all);
		});

		it('applies a time_range: only flows with start <= time <= end', async () => {
			const start = all[100].time;
			const end = all[299].time;
			const { flows, pages } = await searchAll(sim, value, { entity_type: 'Flow', size: 100, time_range: { start_time: start, end_time: end } });
			expect(flows).toEqual(all.filter((flow) => flow.time >= start && flow.time <= end));
			expect(flows).toEqual(await controlWindow(sim, start, end));
			expect(pages[0].total_count).toBe(flows.length);
		});

		it('sorts by time descending on request', async () => {
			const { flows } = await searchAll(sim, value, {
				entity_type: 'Flow', size: 200, sort_by: { field: 'time', order: 'DESC' }, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S },
			});
			expect(flows).toEqual([...all].reverse());
		});

		const cases: Array<[string, (flow: FlowEntity) => boolean]> = [
			['((flow_tag = TAG_SRC_IP_VM) or (flow_tag = TAG_DST_IP_VM))', (flow) => flow.flow_tag.includes('TAG_SRC_IP_VM') || flow.flow_tag.includes('TAG_DST_IP_VM')],
			['port = 443 and firewall_action = ALLOW', (flow) => flow.port.start === 443 && flow.firewall_action === 'ALLOW'],
			['firewall_action != ALLOW', (flow) => flow.firewall_action !== 'ALLOW'],
			['protocol = UDP and not (port = 53)', (flow) => flow.protocol === 'UDP' && flow.port.start !== 53],
			['flow_tag = INTERNET_TRAFFIC or port = 22', (flow) => flow.flow_tag.includes('TAG_INTERNET_TRAFFIC') || flow.port.start === 22],
			['port in (80, 8080)', (flow) => flow.port.start === 80 || flow.port.start === 8080],
			['port = 50000', (flow) => flow.port.start <= 50000 && flow.port.end >= 50000],
		];
		it.each(cases)('filters %s', async (filter, keep) => {
			const expected = all.filter((_, i) => keep(entities[i]));
			expect(expected.length).toBeGreaterThan(0);
			expect(expected.length).toBeLessThan(500);
			const { flows, pages } = await searchAll(sim, value, { entity_type: 'Flow', filter, size: 50, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } });
			expect(flows).toEqual(expected);
			expect(pages[0].total_count).toBe(expected.length);
		});

		it('filters on quoted source and destination addresses', async () => {
			const target = entities[7];
			const filter = `destination_ip.ip_address = '${target.destination_ip.ip_address}' and source_ip.ip_address = '${target.source_ip.ip_address}'`;
			const expected = all.filter((_, i) => entities[i].destination_ip.ip_address === target.destination_ip.ip_address && entities[i].source_ip.ip_address === target.source_ip.ip_address);
			const { flows } = await searchAll(sim, value, { entity_type: 'Flow', filter, size: 100, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } });
			expect(flows).toEqual(expected);
			expect(flows).toContainEqual(all[7]);
		});

		it('answers 400 with an ApiError for filters outside the subset', async () => {
			for (const filter of ['bytes > 100', 'foo = 1', 'port = ', '(port = 22', 'port = 22 in last 3 fortnights']) {
				const response = await http.post(`${sim.url}${API}/search`, { entity_type: 'Flow', filter, size: 10 }, auth(value));
				expect(response.status).toBe(400);
				expect(response.data.code).toBe(400);
				expect(response.data.message).toMatch(/^Invalid filter/);
				expect(response.data.details[0].target).toEqual(['filter']);
			}
		});

		it('answers 400 for a bad size, a foreign cursor and a reversed time_range', async () => {
			const bad = async (body: Record<string, unknown>): Promise<number> => (await http.post(`${sim.url}${API}/search`, { entity_type: 'Flow', ...body }, auth(value))).status;
			expect(await bad({ size: 0 })).toBe(400);
			expect(await bad({ size: 1001 })).toBe(400);
			expect(await bad({ size: 10, time_range: { start_time: ANCHOR_S, end_time: ANCHOR_S - 1 } })).toBe(400);
			const first = await http.post(`${sim.url}${API}/search`, { entity_type: 'Flow', filter: 'port = 443', size: 5, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } }, auth(value));
			expect(await bad({ filter: 'port = 22', size: 5, cursor: first.data.cursor, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } })).toBe(400);
			expect(await bad({ size: 5, cursor: 'garbage' })).toBe(400);
		});

		it('lists flows with GET /entities/flows and start_time/end_time', async () => {
			const pages: Page[] = [];
			let cursor: string | null = '';
			do {
				const response: AxiosResponse<Page> = await http.get<Page>(`${sim.url}${API}/entities/flows`, {
					...auth(value),
					params: { size: 120, start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S, ...(cursor ? { cursor } : {}) },
				});
				expect(response.status).toBe(200);
				pages.push(response.data);
				cursor = response.data.cursor;
			} while (cursor);
			expect(pages.map((page) => page.results.length)).toEqual([120, 120, 120, 120, 20]);
			expect(pages.flatMap((page) => page.results)).toEqual(all);
			const defaults = await http.get(`${sim.url}${API}/entities/flows`, { ...auth(value), params: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } });
			expect(defaults.data.results).toHaveLength(10);
		});
	});

	describe('"in last" windows against the clock', () => {
		const live = new NetworkInsightSimulator({ flowCount: 2000 });
		let own: string;
		beforeAll(async () => {
			await live.start(0);
			own = await token(live);
		});
		afterAll(() => live.stop());

		it('reads "in last 24 hours" as [now - 86400, now] and defaults to the last 24 hours', async () => {
			const { flows, pages } = await searchAll(live, own, { entity_type: 'Flow', filter: 'flow_tag = TAG_EAST_WEST_TRAFFIC in last 24 hours', size: 100 });
			const { start_time: start, end_time: end } = pages[0];
			expect(end - start).toBe(86400);
			expect(Math.abs(end - Date.now() / 1000)).toBeLessThan(5);
			const window = await controlWindow(live, start, end);
			const windowEntities = await fetchEntities(live, own, window);
			expect(flows).toEqual(window.filter((_, i) => windowEntities[i].flow_tag.includes('TAG_EAST_WEST_TRAFFIC')));
			const plain = await searchAll(live, own, { entity_type: 'Flow', size: 1000 });
			expect(plain.pages[0].end_time - plain.pages[0].start_time).toBe(86400);
			expect(plain.flows).toEqual(await controlWindow(live, plain.pages[0].start_time, plain.pages[0].end_time));
		});

		it('reads minutes and days too', async () => {
			const minutes = await http.post(`${live.url}${API}/search`, { entity_type: 'Flow', filter: 'in last 90 minutes', size: 10 }, auth(own));
			expect(minutes.data.end_time - minutes.data.start_time).toBe(5400);
			const days = await http.post(`${live.url}${API}/search`, { entity_type: 'Flow', filter: 'port = 443 in last 2 days', size: 10 }, auth(own));
			expect(days.data.end_time - days.data.start_time).toBe(172800);
		});

		it('sees flows added through the control API, back-dated ones in their place', async () => {
			const added = await http.post(`${live.url}/__sim/vrni/flows`, { count: 3 });
			expect(added.status).toBe(200);
			expect(added.data.added).toBe(3);
			expect(added.data.total).toBe(2003);
			const late = await http.post(`${live.url}/__sim/vrni/flows`, { count: 1, backdateMs: 3600_000 });
			const lateFlow = late.data.flows[0] as { entity_id: string; time: number };
			const { flows } = await searchAll(live, own, { entity_type: 'Flow', filter: 'in last 2 hours', size: 1000 });
			for (const flow of added.data.flows as Array<{ entity_id: string; time: number }>) expect(flows).toContainEqual({ ...flow, entity_type: 'Flow' });
			const at = flows.findIndex((flow) => flow.entity_id === lateFlow.entity_id);
			expect(at).toBeGreaterThanOrEqual(0);
			expect(flows.slice(0, at).every((flow) => flow.time <= lateFlow.time)).toBe(true);
			expect(flows.slice(at + 1).every((flow) => flow.time >= lateFlow.time)).toBe(true);
			const entity = await http.get(`${live.url}${API}/entities/flows/${lateFlow.entity_id}`, auth(own));
			expect(entity.data.entity_id).toBe(lateFlow.entity_id);
		});
	});

	describe('entities', () => {
		it('returns a realistic Flow for GET /entities/flows/{id}?time=', async () => {
			const response = await http.get(`${sim.url}${API}/entities/flows/${all[0].entity_id}`, { ...auth(value), params: { time: all[0].time } });
			expect(response.status).toBe(200);
			const flow = response.data as FlowEntity;
			expect(flow).toEqual(entities[0]);
			expect(flow.entity_id).toMatch(/^10000:515:\d+$/);
			expect(flow.entity_type).toBe('Flow');
			expect(flow.name).toBe(`${flow.source_ip.ip_address} -> ${flow.destination_ip.ip_address} [port:${flow.port.display}]`);
			expect(flow.source_ip).toEqual({ ip_address: flow.source_ip.ip_address, netmask: '255.255.255.255', network_address: flow.source_ip.ip_address });
			expect(['TCP', 'UDP']).toContain(flow.protocol);
			expect(['ALLOW', 'DROP', 'REJECT']).toContain(flow.firewall_action);
			expect(['EAST_WEST_TRAFFIC', 'INTERNET_TRAFFIC']).toContain(flow.traffic_type);
			expect(typeof flow.firewall_rule_id).toBe('string');
			expect(flow.flow_tag.every((tag) => tag.startsWith('TAG_'))).toBe(true);
			for (const key of ['source_folders', 'destination_folders', 'source_ip_sets', 'destination_ip_sets', 'source_security_groups', 'destination_security_groups', 'source_security_tags', 'destination_security_tags', 'source_vm_tags', 'destination_vm_tags', 'within_host']) {
				expect(flow).toHaveProperty(key);
			}
			expect((await http.get(`${sim.url}${API}/entities/flows/10000:515:1`, auth(value))).status).toBe(404);
			expect((await http.get(`${sim.url}${API}/entities/flows/${all[0].entity_id}`)).status).toBe(401);
		});

		it('fills VM, cluster, datacenter and L2 references on VM flows and serves the VM by id', async () => {
			const vmFlow = entities.find((flow) => flow.source_vm && flow.destination_vm);
			expect(vmFlow).toBeDefined();
			const flow = vmFlow!;
			expect(flow.source_vm?.entity_type).toBe('VirtualMachine');
			expect(flow.source_vm?.entity_id).toMatch(/^10000:1:\d+$/);
			for (const key of ['source_vnic', 'source_datacenter', 'source_l2_network', 'source_cluster', 'source_resource_pool', 'source_host']) expect(flow[key]).toHaveProperty('entity_name');
			expect(flow.flow_tag).toContain('TAG_VM_VM_TRAFFIC');
			const vm = await http.get(`${sim.url}${API}/entities/vms/${flow.source_vm?.entity_id}`, auth(value));
			expect(vm.status).toBe(200);
			expect(vm.data.name).toBe(flow.source_vm?.entity_name);
			expect(vm.data.entity_type).toBe('VirtualMachine');
			expect(vm.data.ip_addresses[0].ip_address).toBe(flow.source_ip.ip_address);
			expect((await http.get(`${sim.url}${API}/entities/vms/10000:1:7`, auth(value))).status).toBe(404);
			const internet = entities.find((candidate) => candidate.traffic_type === 'INTERNET_TRAFFIC' && !candidate.destination_vm);
			expect(internet?.flow_tag).toEqual(expect.arrayContaining(['TAG_INTERNET_TRAFFIC', 'TAG_DST_IP_INTERNET']));
		});

		it('bulk-fetches search results as they are, up to 1000; 1001 is a 400', async () => {
			const page = await http.post(`${sim.url}${API}/search`, { entity_type: 'Flow', size: 20, time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } }, auth(value));
			const fetched = await http.post(`${sim.url}${API}/entities/fetch`, { entity_ids: page.data.results }, auth(value));
			expect(fetched.status).toBe(200);
			expect((fetched.data.results as Array<{ entity_id: string; entity_type: string; time: number; entity: FlowEntity }>).map((result) => [result.entity_id, result.entity_type, result.time, result.entity])).toEqual(
				(page.data.results as FlowRef[]).map((ref, i) => [ref.entity_id, 'Flow', ref.time, entities[i]]),
			);
			const thousand = Array.from({ length: 1000 }, (_, i) => all[i % all.length]);
			const ok = await http.post(`${sim.url}${API}/entities/fetch`, { entity_ids: thousand }, auth(value));
			expect(ok.status).toBe(200);
			expect(ok.data.results).toHaveLength(1000);
			const tooMany = await http.post(`${sim.url}${API}/entities/fetch`, { entity_ids: [...thousand, all[0]] }, auth(value));
			expect(tooMany.status).toBe(400);
			expect(tooMany.data).toEqual({ code: 400, message: 'Max batch size is 1000, got 1001', details: [{ code: 400, message: 'Max batch size is 1000, got 1001', target: ['entity_ids'] }] });
		});

		it('bulk-fetches VMs and other referenced objects by type', async () => {
			const flow = entities.find((candidate) => candidate.source_vm)!;
			const l2 = flow.source_l2_network as { entity_id: string; entity_type: string; entity_name: string };
			const response = await http.post(`${sim.url}${API}/entities/fetch`, {
				entity_ids: [
					{ entity_id: flow.source_vm?.entity_id, entity_type: 'VirtualMachine' },
					{ entity_id: l2.entity_id, entity_type: 'VlanL2Network' },
					{ entity_id: 'nope', entity_type: 'VirtualMachine' },
				],
			}, auth(value));
			expect(response.status).toBe(200);
			expect(response.data.results.map((result: { entity: { name: string } }) => result.entity.name)).toEqual([flow.source_vm?.entity_name, l2.entity_name]);
		});
	});

	describe('inventory search (VirtualMachine, Host, SecurityGroup, Problem...)', () => {
		type Found = { entity_id: string; entity_type: string; time: number };
		const searchType = async (entity_type: string, filter = '', extra: Record<string, unknown> = {}): Promise<{ found: Found[]; pages: Page[] }> => {
			const { flows, pages } = await searchAll(sim, value, { entity_type, filter, size: 7, ...extra });
			return { found: flows, pages };
		};
		const fetchAll = async (found: Found[]): Promise<Array<Record<string, unknown>>> => {
			const response = await http.post(`${sim.url}${API}/entities/fetch`, { entity_ids: found }, auth(value));
			expect(response.status).toBe(200);
			return (response.data.results as Array<{ entity: Record<string, unknown> }>).map((result) => result.entity);
		};

		it('lists every VM, pages with the cursor, time = the window end', async () => {
			const { found, pages } = await searchType('VirtualMachine');
			expect(found).toHaveLength(60);
			expect(pages).toHaveLength(9);
			expect(pages.every((page) => page.total_count === 60)).toBe(true);
			expect(found.every((result) => result.entity_type === 'VirtualMachine' && result.time === pages[0].end_time)).toBe(true);
			expect(new Set(found.map((result) => result.entity_id)).size).toBe(60);
		});

		it('filters VMs by name (like, =), by reference and by number', async () => {
			const web = await fetchAll((await searchType('VirtualMachine', "name like 'web-'")).found);
			expect(web.length).toBe(8);
			expect(web.every((vm) => String(vm.name).startsWith('web-'))).toBe(true);
			const exact = await searchType('VirtualMachine', "name = 'DB-PROD-01'");
			expect(exact.found).toHaveLength(1);
			const onCluster = await fetchAll((await searchType('VirtualMachine', "cluster.name = 'Compute-Cluster-A' and cpu_count >= 4")).found);
			expect(onCluster.length).toBeGreaterThan(0);
			for (const vm of onCluster) expect(vm.cpu_count as number).toBeGreaterThanOrEqual(4);
			const star = await fetchAll((await searchType('VirtualMachine', "name like '*-stg-*'")).found);
			expect(star.length).toBe(20);
			expect((await searchType('VirtualMachine', "name like '%-stg-01'")).found).toHaveLength(8);
			const tagged = await fetchAll((await searchType('VirtualMachine', "security_tags.name in ('PCI', 'Quarantine')")).found);
			expect(tagged.map((vm) => vm.name)).toEqual(expect.arrayContaining(['db-prod-01']));
			const notIn = await searchType('VirtualMachine', "name not in ('web-prod-01', 'app-prod-01')");
			expect(notIn.found).toHaveLength(58);
		});

		it('searches Host, NSXSecurityGroup (and BaseSecurityGroup), SecurityTag, Cluster and VlanL2Network', async () => {
			const hosts = await fetchAll((await searchType('Host', "connection_state = 'CONNECTED'")).found);
			expect(hosts).toHaveLength(7);
			expect(hosts[0]).toMatchObject({ entity_type: 'Host', maintenance_mode: 'false', vcenter_manager: { entity_type: 'VCenterManager' } });
			const groups = await fetchAll((await searchType('NSXSecurityGroup', "members.name = 'db-prod-01'")).found);
			expect(groups.map((group) => group.name)).toEqual(['SG-DB']);
			expect((await searchType('BaseSecurityGroup')).found).toHaveLength(4);
			expect((await searchType('SecurityTag')).found).toHaveLength(3);
			expect((await searchType('Cluster', 'num_hosts > 3')).found).toHaveLength(2);
			expect((await searchType('VlanL2Network', 'vlan_id = 30')).found).toHaveLength(1);
		});

		it('lists a ProblemEvent while it was open in the window, with time = max(opened, window start)', async () => {
			const window = { start_time: ANCHOR_S - 2 * 86400, end_time: ANCHOR_S - 86400 };
			const { found } = await searchType('ProblemEvent', '', { time_range: window });
			const problems = await fetchAll(found);
			expect(problems.length).toBeGreaterThan(0);
			for (const [i, problem] of problems.entries()) {
				const opened = Math.floor((problem.event_time_epoch_ms as number) / 1000);
				const closed = problem.event_close_time_epoch_ms === undefined ? undefined : Math.floor((problem.event_close_time_epoch_ms as number) / 1000);
				expect(opened).toBeLessThanOrEqual(window.end_time);
				if (closed !== undefined) expect(closed).toBeGreaterThanOrEqual(window.start_time);
				expect(found[i].time).toBe(Math.max(opened, window.start_time));
				expect(problem).toMatchObject({ entity_type: 'ProblemEvent', admin_state: 'ENABLED', archived: false });
				expect(['CRITICAL', 'MODERATE', 'WARNING', 'INFO']).toContain(problem.severity);
			}
			const critical = await fetchAll((await searchType('BaseEvent', "severity = 'CRITICAL'", { time_range: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S } })).found);
			expect(critical.length).toBeGreaterThan(0);
			expect(critical.every((problem) => problem.severity === 'CRITICAL')).toBe(true);
		});

		it('answers an empty page for a valid type it holds none of, 400 for a name outside AllEntityType', async () => {
			const empty = await http.post(`${sim.url}${API}/search`, { entity_type: 'EC2Instance', filter: "name = 'x'", size: 10 }, auth(value));
			expect(empty.status).toBe(200);
			expect(empty.data).toMatchObject({ results: [], cursor: null, total_count: 0 });
			const wrong = await http.post(`${sim.url}${API}/search`, { entity_type: 'Problem', size: 10 }, auth(value));
			expect(wrong.status).toBe(400);
			expect(wrong.data).toEqual({
				code: 400,
				message: 'entity_type Problem is not a valid entity type',
				details: [{ code: 400, message: 'entity_type Problem is not a valid entity type', target: ['entity_type'] }],
			});
		});

		it('refuses a field the type does not have, naming it', async () => {
			const response = await http.post(`${sim.url}${API}/search`, { entity_type: 'Host', filter: 'flow_tag = TAG_SRC_IP_VM', size: 10 }, auth(value));
			expect(response.status).toBe(400);
			expect(response.data.message).toBe('Invalid filter "flow_tag = TAG_SRC_IP_VM": field flow_tag is not supported');
			const numeric = await http.post(`${sim.url}${API}/search`, { entity_type: 'Host', filter: "vm_count > 'many'", size: 10 }, auth(value));
			expect(numeric.status).toBe(400);
			expect(numeric.data.message).toMatch(/operator > needs a number/);
		});

		it('serves GET /entities/<kind> lists and /entities/<kind>/{id} for each kind, 404 across kinds', async () => {
			const kinds: Array<[string, string, number]> = [
				['vms', 'VirtualMachine', 60], ['hosts', 'Host', 8], ['clusters', 'Cluster', 3], ['vc-datacenters', 'VCDatacenter', 2],
				['folders', 'Folder', 3], ['datastores', 'Datastore', 2], ['layer2-networks', 'VlanL2Network', 4], ['security-groups', 'NSXSecurityGroup', 4],
				['security-tags', 'SecurityTag', 3], ['vnics', 'Vnic', 60], ['vcenter-managers', 'VCenterManager', 1],
			];
			for (const [kind, type, count] of kinds) {
				const list = await http.get(`${sim.url}${API}/entities/${kind}`, { ...auth(value), params: { size: 100 } });
				expect(list.status).toBe(200);
				expect(list.data.total_count).toBe(count);
				const first = list.data.results[0] as Found;
				expect(first.entity_type).toBe(type);
				const one = await http.get(`${sim.url}${API}/entities/${kind}/${first.entity_id}`, auth(value));
				expect(one.status).toBe(200);
				expect(one.data).toMatchObject({ entity_id: first.entity_id, entity_type: type });
				expect(typeof one.data.name).toBe('string');
			}
			const host = (await http.get(`${sim.url}${API}/entities/hosts`, auth(value))).data.results[0] as Found;
			expect((await http.get(`${sim.url}${API}/entities/vms/${host.entity_id}`, auth(value))).status).toBe(404);
			const problems = await http.get(`${sim.url}${API}/entities/problems`, { ...auth(value), params: { start_time: ANCHOR_S - WEEK_S, end_time: ANCHOR_S, size: 100 } });
			expect(problems.data.total_count).toBe(50);
			const problem = await http.get(`${sim.url}${API}/entities/problems/${problems.data.results[0].entity_id}`, auth(value));
			expect(problem.data.entity_type).toBe('ProblemEvent');
		});

		it('flows reference the security tags of their VMs', () => {
			const tagged = entities.filter((flow) => (flow.source_security_tags as unknown[]).length > 0);
			expect(tagged.length).toBeGreaterThan(0);
			expect((tagged[0].source_security_tags as Array<{ entity_type: string }>)[0].entity_type).toBe('SecurityTag');
		});
	});

	describe('volume and throttling', () => {
		it('holds 10^6 flows lazily: a one-hour window pages to the control window', async () => {
			const big = await new NetworkInsightSimulator({ flowCount: 1_000_000, anchorMs: ANCHOR_MS }).start(0);
			try {
				const own = await token(big);
				const window = { start_time: ANCHOR_S - 3600, end_time: ANCHOR_S };
				const { flows, pages } = await searchAll(big, own, { entity_type: 'Flow', size: 1000, time_range: window });
				const expected = await controlWindow(big, window.start_time, window.end_time);
				expect(expected.length).toBeGreaterThan(5000);
				expect(flows).toEqual(expected);
				expect(pages[0].total_count).toBe(expected.length);
				const last = await http.get(`${big.url}${API}/entities/flows/${expected.at(-1)?.entity_id}`, auth(own));
				expect(last.status).toBe(200);
			} finally {
				await big.stop();
			}
		});

		it('answers 429 with Retry-After beyond rateLimitPerSecond', async () => {
			const throttled = await new NetworkInsightSimulator({ rateLimitPerSecond: 5 }).start(0);
			try {
				const statuses = await Promise.all(Array.from({ length: 10 }, () => http.get(`${throttled.url}${API}/info/version`)));
				expect(statuses.map((response) => response.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
				const limited = statuses.find((response) => response.status === 429)!;
				expect(limited.headers['retry-after']).toBe('1');
				expect(limited.data).toEqual({ code: 429, message: 'Too many requests, retry later', details: [] });
				await new Promise((resolve) => setTimeout(resolve, 1050));
				expect((await http.get(`${throttled.url}${API}/info/version`)).status).toBe(401);
			} finally {
				await throttled.stop();
			}
		});

		it('forgets added flows on /__sim/reset', async () => {
			const fresh = await new NetworkInsightSimulator({ flowCount: 10 }).start(0);
			try {
				fresh.addFlows(5);
				expect((await http.get(`${fresh.url}/__sim/vrni/state`)).data).toEqual({ tokens: 0, flows: 15 });
				await http.post(`${fresh.url}/__sim/reset`);
				expect((await http.get(`${fresh.url}/__sim/vrni/state`)).data).toEqual({ tokens: 0, flows: 10 });
			} finally {
				await fresh.stop();
			}
		});
	});
});

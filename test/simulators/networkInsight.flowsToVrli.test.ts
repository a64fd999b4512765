/**
 * Replays, over plain axios, the exact calls the vRNI SDK's examples/flows_to_vrli.py makes (HEAD
 * 206fac9, rest-apis.md §3.5) against the vRNI and vRLI simulators, and checks what the script would
 * see and what vRLI stores. The script itself runs unchanged against the same simulators; this test
 * keeps that from regressing without needing Python.
 */
import axios from 'axios';
import { LogInsightSimulator } from './logInsight';
import { NetworkInsightSimulator } from './networkInsight';

const http = axios.create({ validateStatus: () => true, timeout: 10_000 });
const API = '/api/ni';
const CONFIG_FILTER_STRING = '((flow_tag = TAG_SRC_IP_VM) or (flow_tag = TAG_DST_IP_VM)) in last 24 hours';

/** The filter examples in the script's comments, with this simulator's names where the script names its lab's. */
const COMMENT_FILTERS: Array<[string, (flow: Flow) => boolean]> = [
	["destination_ip.ip_address = '10.16.10.10'", (flow) => flow.destination_ip.ip_address === '10.16.10.10'],
	['port = 123', (flow) => flow.port.start <= 123 && flow.port.end >= 123],
	["source_cluster.name = 'Compute-Cluster-A'", (flow) => flow.source_cluster?.entity_name === 'Compute-Cluster-A'],
	["destination_l2_network.name = 'vlan-30-db'", (flow) => flow.destination_l2_network?.entity_name === 'VLAN-30-DB'],
	[
		"(source_security_tags.name = 'OPI' or destination_security_tags.name='OPI') and (flow_tag != TAG_INTERNET_TRAFFIC)",
		(flow) =>
			[...flow.source_security_tags, ...flow.destination_security_tags].some((tag) => tag.entity_name === 'OPI') &&
			!flow.flow_tag.includes('TAG_INTERNET_TRAFFIC'),
	],
	["((flow_tag = TAG_INTERNET_TRAFFIC) and (source_datacenter.name = 'DC-Plano'))", (flow) => flow.flow_tag.includes('TAG_INTERNET_TRAFFIC') && flow.source_datacenter?.entity_name === 'DC-Plano'],
];

interface Reference {
	entity_id: string;
	entity_type: string;
	entity_name: string;
}

interface Flow {
	entity_id: string;
	name: string;
	source_ip: { ip_address: string };
	destination_ip: { ip_address: string };
	port: { start: number; end: number; display: string; iana_name: string };
	protocol: string;
	firewall_action: string;
	firewall_rule_id: string;
	traffic_type: string;
	flow_tag: string[];
	source_vm?: Reference;
	destination_vm?: Reference;
	source_cluster?: Reference;
	source_datacenter?: Reference;
	destination_l2_network?: Reference;
	source_security_tags: Reference[];
	destination_security_tags: Reference[];
}

interface SearchPage {
	results: Array<{ entity_id: string; entity_type: string; time: number }>;
	cursor: string | null;
	total_count: number;
	start_time: number;
	end_time: number;
}

/** Python's str(datetime.fromtimestamp(t)): local time, "YYYY-MM-DD HH:MM:SS". */
function pythonLocalDatetime(epochSeconds: number): string {
	const date = new Date(epochSeconds * 1000);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Python's str() of the values the script puts in fields: None, lists of str (repr), ints, strs. */
function pythonStr(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (Array.isArray(value)) return `[${value.map((item) => (typeof item === 'string' ? `'${item}'` : pythonStr(item))).join(', ')}]`;
	return String(value);
}

async function createToken(vrni: NetworkInsightSimulator): Promise<string> {
	// init_api_client.py sends the LOCAL domain with its --domain_value default.
	const response = await http.post(`${vrni.url}${API}/auth/token`, {
		username: vrni.options.username,
		password: vrni.options.password,
		domain: { domain_type: 'LOCAL', value: 'example.com' },
	});
	expect(response.status).toBe(200);
	return response.data.token as string;
}

describe('flows_to_vrli.py replayed against the vRNI and vRLI simulators', () => {
	// About 285 flows in the last 24 hours, of which about 9 in 10 involve a VM.
	const vrni = new NetworkInsightSimulator({ flowCount: 2000 });
	const vrli = new LogInsightSimulator();
	let token: string;
	const headers = () => ({ headers: { Authorization: `NetworkInsight ${token}` } });

	beforeAll(async () => {
		await vrni.start(0);
		await vrli.start(0);
		token = await createToken(vrni);
	});
	afterAll(async () => {
		await vrni.stop();
		await vrli.stop();
	});

	it('runs the script\'s loop: search with cursor, one GET per flow, VM lookups, one unauthenticated POST per new destination', async () => {
		const searchBody: Record<string, unknown> = { entity_type: 'Flow', filter: CONFIG_FILTER_STRING, size: 100 };
		const seen: string[] = [];
		const vmNames = new Map<string, string>();
		const sent: Array<{ text: string; timestamp: number; fields: Array<{ name: string; content: string }> }> = [];
		let searched = 0;
		let pages = 0;
		for (;;) {
			const response = await http.post<SearchPage>(`${vrni.url}${API}/search`, searchBody, headers());
			expect(response.status).toBe(200);
			const page = response.data;
			pages += 1;
			expect(page.end_time - page.start_time).toBe(86_400);
			for (const result of page.results) {
				searched += 1;
				const flowResponse = await http.get<Flow>(`${vrni.url}${API}/entities/flows/${result.entity_id}`, { ...headers(), params: { time: result.time } });
				expect(flowResponse.status).toBe(200);
				const flow = flowResponse.data;
				expect(flow.flow_tag.includes('TAG_SRC_IP_VM') || flow.flow_tag.includes('TAG_DST_IP_VM')).toBe(true);
				const key = `${flow.destination_ip.ip_address}-${flow.protocol}--${flow.port.start}-${flow.port.end}`;
				if (seen.includes(key)) continue;
				seen.push(key);
				for (const vm of [flow.source_vm, flow.destination_vm]) {
					if (!vm || vmNames.has(vm.entity_id)) continue;
					const vmResponse = await http.get(`${vrni.url}${API}/entities/vms/${vm.entity_id}`, headers());
					expect(vmResponse.status).toBe(200);
					expect(vmResponse.data.entity_type).toBe('VirtualMachine');
					vmNames.set(vm.entity_id, vmResponse.data.name as string);
				}
				const text = `vRNI-Flow: ${pythonLocalDatetime(result.time)} ${flow.firewall_action} ${flow.protocol} b'${flow.name.trim()}'`;
				const fields = Object.entries({
					__vrni_flow_firewall_action: flow.firewall_action,
					__vrni_flow_firewall_rule_id: flow.firewall_rule_id,
					__vrni_flow_traffic_type: flow.traffic_type,
					__vrni_flow_tag: flow.flow_tag,
					__vrni_flow_source_ip: flow.source_ip.ip_address,
					__vrni_flow_destination_ip: flow.destination_ip.ip_address,
					__vrni_flow_port: flow.port.display,
					__vrni_flow_port_name: flow.port.iana_name,
					__vrni_flow_protocol: flow.protocol,
					__vrni_flow_timestamp: result.time,
				}).map(([name, value]) => ({ name, content: pythonStr(value) }));
				const event = { text, timestamp: result.time * 1000, fields };
				const ingest = await http.post(`${vrli.url}/api/v1/events/ingest/0`, { events: [event] });
				expect(ingest.status).toBe(200);
				expect(ingest.data).toEqual({ status: 'ok', message: 'events ingested', ingested: 1 });
				sent.push(event);
			}
			if (!page.cursor) break;
			searchBody.cursor = page.cursor;
		}
		expect(pages).toBe(Math.ceil(searched / 100));
		expect(searched).toBeGreaterThan(200);
		// The script's dedupe by destination drops flows: fewer events than flows.
		expect(sent.length).toBeLessThan(searched);
		expect(sent.length).toBe(seen.length);
		expect(vmNames.size).toBeGreaterThan(0);

		const stored = vrli.ingested();
		expect(stored.map((event) => [event.agentId, event.authenticated, event.text, event.clientTimestamp, event.fields])).toEqual(
			sent.map((event) => ['0', false, event.text, event.timestamp, event.fields]),
		);
		// Unauthenticated ingestion keeps only timestamps within 10 minutes of vRLI's clock.
		for (const event of stored) {
			const old = event.receivedAt - (event.clientTimestamp ?? 0) > 600_000;
			expect(event.clamped).toBe(old);
			expect(event.timestamp).toBe(old ? event.receivedAt : event.clientTimestamp);
		}
		expect(stored.filter((event) => event.clamped).length).toBeGreaterThan(stored.length * 0.9);
		expect(stored[0].text).toMatch(/^vRNI-Flow: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d (ALLOW|DROP|REJECT) (TCP|UDP) b'[\d.]+ -> [\d.]+ \[port:[\d-]+\]'$/);
		expect(stored[0].fields.find((field) => field.name === '__vrni_flow_tag')).toEqual({ name: '__vrni_flow_tag', content: expect.stringMatching(/^\['TAG_[A-Z_]+'(, 'TAG_[A-Z_]+')*\]$/) });
	});

	it('keeps the original timestamps when the same event is sent with a vRLI session', async () => {
		const login = await http.post(`${vrli.url}/api/v1/sessions`, { username: 'admin', password: vrli.options.password, provider: 'Local' });
		const dayOld = Date.now() - 86_400_000;
		const response = await http.post(`${vrli.url}/api/v1/events/ingest/0`, { events: [{ text: 'vRNI-Flow: x', timestamp: dayOld }] }, { headers: { Authorization: `Bearer ${login.data.sessionId}` } });
		expect(response.status).toBe(200);
		expect(vrli.ingested().at(-1)).toMatchObject({ authenticated: true, timestamp: dayOld, clamped: false });
	});

	it.each(COMMENT_FILTERS)('accepts the script\'s comment filter %s and returns exactly the matching flows', async (filter, keep) => {
		const window = { start_time: Math.floor(Date.now() / 1000) - 7 * 86_400, end_time: Math.floor(Date.now() / 1000) };
		const all = vrni.flowsBetween(window.start_time, window.end_time);
		const expected = all.filter((ref) => keep(vrni.flow(ref.entity_id) as unknown as Flow)).map((ref) => ref.entity_id);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(all.length);
		const found: string[] = [];
		let cursor: string | null = null;
		for (let guard = 0; guard < 100; guard++) {
			const response: { status: number; data: SearchPage } = await http.post<SearchPage>(`${vrni.url}${API}/search`, { entity_type: 'Flow', filter, size: 1000, time_range: window, ...(cursor ? { cursor } : {}) }, headers());
			expect(response.status).toBe(200);
			found.push(...response.data.results.map((result) => result.entity_id));
			cursor = response.data.cursor;
			if (!cursor) break;
		}
		expect(found).toEqual(expected);
	});

	it('leaves a token behind, as the script never deletes it', async () => {
		expect((await http.get(`${vrni.url}/__sim/vrni/state`)).data.tokens).toBe(1);
	});
});

/**
 * Network Insight and the daily flow archive in a real n8n, against the vRNI and vRLI simulators:
 * credential tests, the bundled "vRNI flows to vRLI (daily)" workflow moving a calendar day of more
 * than 10^4 flows into vRLI with their own timestamps (authenticated ingestion), each once, through a
 * vRNI 429 and a vRLI 503; the vRNI token deleted at the end; no secret anywhere.
 */
import { LogInsightSimulator } from '../simulators/logInsight';
import { NetworkInsightSimulator } from '../simulators/networkInsight';
import { startSelfSignedServer } from '../unit/helpers/selfSignedServer';
import { nodeOutput, type N8nClient, type WorkflowJson } from '../support/n8n/n8nClient';
import { connectToE2eN8n, readN8nLog } from '../support/n8n/state';
import { loadBundledWorkflow } from '../support/n8n/workflows';

const DAY_S = 86_400;
const secrets = new Set<string>();
const messages: string[] = [];

let client: N8nClient;

beforeAll(async () => {
	({ client } = await connectToE2eN8n());
});

async function credential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
	for (const key of ['password', 'apiToken']) if (typeof data[key] === 'string' && data[key]) secrets.add(data[key] as string);
	return await client.createCredential(name, type, { allowUnauthorizedCerts: false, ...data });
}

function vrniCredential(sim: NetworkInsightSimulator, extra: Record<string, unknown> = {}) {
	return { authType: 'onPrem', host: sim.url, username: sim.options.username, password: sim.options.password, domainType: 'LOCAL', caCertificate: sim.ca ?? '', ...extra };
}

function vrliCredential(sim: LogInsightSimulator, extra: Record<string, unknown> = {}) {
	return { host: '127.0.0.1', protocol: 'https', port: sim.port, agentId: sim.options.agentId, caCertificate: sim.ca ?? '', username: sim.options.username, password: sim.options.password, provider: 'Local', ...extra };
}

describe('Network Insight credential in a real n8n', () => {
	const sim = new NetworkInsightSimulator({ flowCount: 10 });
	beforeAll(async () => {
		await sim.start(0);
	});
	afterAll(() => sim.stop());

	it('passes with good credentials and tells a wrong password, an unknown domain, an unreachable host and TLS apart', async () => {
		const good = await client.testCredential(await credential('vRNI good', 'networkInsightApi', vrniCredential(sim)));
		expect(good).toEqual({ status: 'OK', message: 'Connected to vRNI (API 1.1.0)' });
		const wrong = await client.testCredential(await credential('vRNI wrong password', 'networkInsightApi', vrniCredential(sim, { password: 'Wrong-vRNI-Pass-31' })));
		const domain = await client.testCredential(await credential('vRNI unknown domain', 'networkInsightApi', vrniCredential(sim, { domainType: 'LDAP', domain: 'corp.unknown' })));
		const unreachable = await client.testCredential(await credential('vRNI unreachable', 'networkInsightApi', vrniCredential(sim, { host: 'http://127.0.0.1:1' })));
		const tlsServer = await startSelfSignedServer((_request, response) => response.end('{}'));
		let tls;
		try {
			tls = await client.testCredential(await credential('vRNI self-signed', 'networkInsightApi', vrniCredential(sim, { host: tlsServer.url })));
		} finally {
			await tlsServer.close();
		}
		for (const result of [wrong, domain, unreachable, tls]) {
			expect(result.status).toBe('Error');
			messages.push(result.message);
		}
		expect(wrong.message).toMatch(/^vRNI refused the login of admin@local: Authentication failed.*Check the username and the password/);
		expect(domain.message).toMatch(/^vRNI refused the login of admin@local: Unknown LDAP domain: corp.unknown.*Check the domain/);
		expect(unreachable.message).toMatch(/^Cannot reach 127\.0\.0\.1:1/);
		expect(tls.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
		expect((sim as unknown as { tokens: Map<string, unknown> }).tokens.size).toBe(0);
	});
});

describe('the bundled daily vRNI flow archive, run in a real n8n', () => {
	// Three days of flows, about 14,000 per day; yesterday's VM flows are more than 10^4.
	const vrni = new NetworkInsightSimulator({ flowCount: 42_000, spanMs: 3 * DAY_S * 1000, seed: 5 });
	const vrli = new LogInsightSimulator();
	beforeAll(async () => {
		await vrni.start(0);
		await vrli.start(0);
	});
	afterAll(async () => {
		await vrni.stop();
		await vrli.stop();
	});

	it("moves yesterday's VM flows into vRLI once each, with their own times, through a vRNI 429 and a vRLI 503; the token is deleted", async () => {
		const vrniId = await credential('Network Insight', 'networkInsightApi', vrniCredential(vrni));
		const vrliId = await credential('Log Insight', 'logInsightApi', vrliCredential(vrli));
		const bundled = loadBundledWorkflow('vrni-flows-to-vrli-daily.json');
		// The calendar day and the dates in the lines follow the workflow's time zone: UTC here.
		const workflow: WorkflowJson = { ...bundled, settings: { ...bundled.settings, timezone: 'UTC' } };
		const workflowId = await client.createWorkflow(workflow, { 'Network Insight': vrniId, 'Log Insight': vrliId });

		const midnight = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
		const day = vrni.flowsBetween(midnight - DAY_S, midnight - 1);
		const expected = day.map((flow) => ({ ...flow, entity: vrni.flow(flow.entity_id)! })).filter(({ entity }) => {
			const tags = entity.flow_tag as string[];
			return tags.includes('TAG_SRC_IP_VM') || tags.includes('TAG_DST_IP_VM');
		});
		expect(expected.length).toBeGreaterThan(10_000);

		vrni.injectFaults([{ path: '/api/ni/search', kind: 'status', status: 429, retryAfter: 1, after: 2 }]);
		vrli.overload(1, 1);
		const execution = await client.runManually(workflowId, 'Every Day at 00:30', 300_000);
		messages.push(JSON.stringify(execution.data?.resultData.error ?? {}));
		expect(execution.status).toBe('success');
		expect(vrni.faults).toEqual([]);

		const results = nodeOutput(execution, 'Log Insight');
		expect(results).toHaveLength(expected.length);
		expect(results.every((result) => result.ingested === true && result.originalTimestamp === undefined)).toBe(true);

		const stored = vrli.ingested();
		expect(stored).toHaveLength(expected.length);
		expect(new Set(stored.map((event) => event.text)).size).toBe(expected.length);
		const byTime = stored.map((event) => [event.timestamp, event.authenticated, event.clamped]);
		expect(byTime).toEqual(expected.map((flow) => [flow.time * 1000, true, false]));
		const first = stored[0];
		const firstFlow = expected[0].entity;
		expect(first.text).toBe(
			`vRNI-Flow: ${new Date(expected[0].time * 1000).toISOString().slice(0, 19).replace('T', ' ')} ${String(firstFlow.firewall_action)} ${String(firstFlow.protocol)} ${String(firstFlow.name)}`,
		);
		expect(first.fields.map((field) => field.name)).toEqual([
			'__vrni_flow_firewall_action', '__vrni_flow_firewall_rule_id', '__vrni_flow_traffic_type', '__vrni_flow_tag', '__vrni_flow_source_ip',
			'__vrni_flow_destination_ip', '__vrni_flow_port', '__vrni_flow_port_name', '__vrni_flow_protocol', '__vrni_flow_timestamp',
		]);
		// 500 events per request; the first request was answered 503 and sent again.
		expect(vrli.batches().length).toBe(Math.ceil(expected.length / 500));
		expect(vrli.stats.get(`/api/v1/events/ingest/${vrli.options.agentId}`)).toBe(Math.ceil(expected.length / 500) + 1);
		expect((vrni as unknown as { tokens: Map<string, unknown> }).tokens.size).toBe(0);
		expect(vrli.stats.get('/api/v1/sessions')).toBe(1);
	});
});

describe('secrets', () => {
	it('appear in no error message, credential test answer or n8n log line of these tests', () => {
		expect(secrets.size).toBeGreaterThanOrEqual(3);
		const haystacks = [...messages, readN8nLog()];
		for (const secret of secrets) for (const haystack of haystacks) expect(haystack.includes(secret)).toBe(false);
	});
});

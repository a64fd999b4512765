/**
 * Log Insight in a real n8n: the credential test, the bundled "VeloCloud events to vRLI" workflow
 * activated against the VCO and vRLI simulators (each event once, through a vRLI 503 and a 429), and a
 * manual run of bad input: per-item errors with Continue On Fail, the rest ingested.
 */
import { LogInsightSimulator } from '../simulators/logInsight';
import { VeloCloudSimulator } from '../simulators/velocloud';
import { vrliCredentialData } from '../support/n8n/credentialData';
import { nodeOutput, type N8nClient, type WorkflowJson } from '../support/n8n/n8nClient';
import { connectToE2eN8n, readN8nLog } from '../support/n8n/state';
import { keepingSuccessfulExecutions, loadBundledWorkflow, waitFor, withNodeParameters } from '../support/n8n/workflows';

const MINUTE = 60_000;
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

describe('Log Insight in a real n8n', () => {
	const vrli = new LogInsightSimulator();
	beforeAll(async () => {
		await vrli.start(0);
	});
	afterAll(() => vrli.stop());
	beforeEach(() => vrli.reset());

	it('tests the credential: version with a user, reachable without one, a clear message for a wrong password or host', async () => {
		const withUser = await client.testCredential(await credential('vRLI user', 'logInsightApi', vrliCredentialData(vrli)));
		expect(withUser).toEqual({ status: 'OK', message: 'Connected to vRLI 8.10.2-21145187 as admin; events keep their original timestamps' });
		const anonymous = await client.testCredential(await credential('vRLI anonymous', 'logInsightApi', vrliCredentialData(vrli, { login: false })));
		expect(anonymous.status).toBe('OK');
		const wrong = await client.testCredential(await credential('vRLI wrong password', 'logInsightApi', vrliCredentialData(vrli, { password: 'Wrong-vRLI-Pass-88' })));
		const unreachable = await client.testCredential(await credential('vRLI unreachable', 'logInsightApi', vrliCredentialData(vrli, { login: false, port: 1 })));
		for (const result of [wrong, unreachable]) {
			expect(result.status).toBe('Error');
			messages.push(result.message);
		}
		expect(wrong.message).toMatch(/^vRLI refused the login of admin: Invalid username or password\. Check the username/);
		expect(unreachable.message).toMatch(/^Cannot reach 127\.0\.0\.1:1/);
	});

	it('fails only the bad items (future, unparseable, empty) with Continue On Fail; the others go in with their times', async () => {
		const vrliId = await credential('vRLI for bad input', 'logInsightApi', vrliCredentialData(vrli));
		const now = Date.now();
		const rows = [
			{ text: 'good one', at: new Date(now - 3_600_000).toISOString() },
			{ text: 'from the future', at: new Date(now + 3_600_000).toISOString() },
			{ text: 'no time', at: 'yesterday-ish' },
			{ text: '', at: '' },
			{ text: 'x'.repeat(20_000), at: '' },
		];
		const workflow: WorkflowJson = {
			name: 'Log Insight bad input',
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					name: 'Rows',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` },
				},
				{
					name: 'Log Insight',
					type: 'n8n-nodes-netsec-events.logInsight',
					typeVersion: 1,
					position: [400, 0],
					onError: 'continueRegularOutput',
					parameters: { resource: 'event', operation: 'ingest', preset: 'custom', text: '={{ $json.text }}', timestamp: '={{ $json.at }}', fields: {}, extraFields: {}, options: {} },
					credentials: { logInsightApi: { id: vrliId, name: 'vRLI for bad input' } },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
				Rows: { main: [[{ node: 'Log Insight', type: 'main', index: 0 }]] },
			},
		};
		const workflowId = await client.createWorkflow(workflow, { 'vRLI for bad input': vrliId });
		const execution = await client.runManually(workflowId, 'Start');
		expect(execution.status).toBe('success');
		const output = nodeOutput(execution, 'Log Insight');
		expect(output.map((item) => item.error ?? item.ingested)).toEqual([
			true,
			expect.stringMatching(/^The timestamp .* is 60 minutes in the future$/),
			'The timestamp "yesterday-ish" is not a time',
			'The event text is empty',
			true,
		]);
		expect(output[4].textTruncatedFromBytes).toBe(20_000);
		const stored = vrli.ingested();
		expect(stored.map((event) => [event.text.slice(0, 8), event.authenticated])).toEqual([
			['good one', true],
			['xxxxxxxx', true],
		]);
		expect(stored[0].timestamp).toBe(Date.parse(rows[0].at));
		messages.push(JSON.stringify(execution.data));
	});
});

describe('the bundled "VeloCloud events to vRLI" workflow, activated in a real n8n', () => {
	const vco = new VeloCloudSimulator({ seed: 3, eventCount: 800, spanMs: 60 * MINUTE });
	const vrli = new LogInsightSimulator();
	beforeAll(async () => {
		await vco.start();
		await vrli.start(0);
	});
	afterAll(async () => {
		await vco.stop();
		await vrli.stop();
	});

	it('ingests every new event once, with eventTime as its time, through a vRLI 503 and a 429', async () => {
		const sim = vco.credentials();
		const vcoId = await credential('VeloCloud Orchestrator', 'veloCloudApi', { host: sim.url, apiToken: sim.token, accountType: 'enterprise', caCertificate: vco.ca ?? '' });
		const vrliId = await credential('Log Insight', 'logInsightApi', vrliCredentialData(vrli));
		let workflow = loadBundledWorkflow('velocloud-events-to-vrli.json');
		workflow = withNodeParameters(workflow, 'VeloCloud Trigger', { options: { latenessMinutes: 15, lookbackMinutes: 120 } });
		// the executions are checked below; the bundled workflow does not keep successful ones
		workflow = keepingSuccessfulExecutions(workflow);
		const workflowId = await client.createWorkflow(workflow, { 'VeloCloud Orchestrator': vcoId, 'Log Insight': vrliId });
		const expected = vco.eventsBetween(1, 0, Date.now() + MINUTE);
		expect(expected.length).toBeGreaterThan(100);

		vrli.overload(1, 1);
		await client.activate(workflowId);
		await waitFor('the backfill in vRLI', () => (vrli.ingested().length >= expected.length ? true : undefined), 90_000);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		await client.deactivate(workflowId);

		vco.addEvents({ enterpriseId: 1, count: 20 });
		vrli.overload(1, 1, 429);
		await client.activate(workflowId);
		await waitFor('the new events in vRLI', () => (vrli.ingested().length >= expected.length + 20 ? true : undefined), 90_000);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		await client.deactivate(workflowId);

		const all = vco.eventsBetween(1, 0, Date.now() + MINUTE);
		const stored = vrli.ingested();
		expect(stored).toHaveLength(all.length);
		const ids = stored.map((event) => event.fields.find((field) => field.name === 'vco_event_id') as { content: string }).map((field) => Number(field.content));
		expect(new Set(ids)).toEqual(new Set(all.map((event) => event.id)));
		const byId = new Map(all.map((event) => [event.id, event]));
		for (const [position, event] of stored.entries()) {
			const source = byId.get(ids[position])!;
			expect(event.timestamp).toBe(Date.parse(source.eventTime));
			expect(event.text.startsWith(`VCO-Event: ${source.eventTime} ${source.severity} ${source.event} `)).toBe(true);
			expect(event.clamped).toBe(false);
		}
		const executions = (await client.listExecutions(workflowId)).filter((execution) => execution.mode !== 'manual');
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		for (const execution of executions) messages.push(JSON.stringify(execution.data ?? {}));
	});
});

describe('secrets', () => {
	it('appear in no error message, execution or n8n log line of these tests', () => {
		expect(secrets.size).toBeGreaterThanOrEqual(3);
		const haystacks = [...messages, readN8nLog()];
		for (const secret of secrets) for (const haystack of haystacks) expect(haystack.includes(secret)).toBe(false);
	});
});

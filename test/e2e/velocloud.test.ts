/**
 * VeloCloud in a real n8n against the VCO simulator: credential tests, the bundled 15-minute archiver
 * activated with a short poll (faults injected between and inside polls), Get Many over 10^4 events,
 * and no secret anywhere in what n8n logged, stored or wrote.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { simulatorTls } from '../simulators/common';
import { VeloCloudSimulator, type VcoEvent } from '../simulators/velocloud';
import { startSelfSignedServer } from '../unit/helpers/selfSignedServer';
import { nodeOutput, type N8nClient, type WorkflowJson } from '../support/n8n/n8nClient';
import { connectToE2eN8n, readN8nLog, type E2eState } from '../support/n8n/state';
import { keepingSuccessfulExecutions, loadBundledWorkflow, manualWorkflow, waitFor, withNodeParameters } from '../support/n8n/workflows';
import { pythonJsonDumps } from '../../nodes/shared/pythonJson';

const MINUTE = 60_000;
/** Everything a test put into a credential: none of it may appear in logs, executions or files. */
const secrets = new Set<string>();
/** Every error message n8n gave back in these tests, checked for secrets at the end. */
const messages: string[] = [];

let client: N8nClient;
let state: E2eState;

beforeAll(async () => {
	({ client, state } = await connectToE2eN8n());
});

async function credential(name: string, data: Record<string, unknown>): Promise<string> {
	for (const key of ['apiToken', 'password']) if (typeof data[key] === 'string' && data[key]) secrets.add(data[key] as string);
	// The simulators serve HTTPS with a throw-away CA: the credential trusts it and keeps verification on.
	return await client.createCredential(name, 'veloCloudApi', {
		accountType: 'enterprise',
		allowUnauthorizedCerts: false,
		caCertificate: simulatorTls().ca,
		...data,
	});
}

/** The seed's line for an event: VCO's fields in VCO's order, Python json.dumps spacing. */
function seedLine(event: VcoEvent): string {
	return pythonJsonDumps(event);
}

/** Manual Trigger → one VeloCloud node with the given parameters and credential. */
function veloCloudWorkflow(name: string, parameters: Record<string, unknown>, credentialId: string, credentialName: string): WorkflowJson {
	return manualWorkflow(name, { name: 'VeloCloud', type: 'veloCloud', parameters, credential: { type: 'veloCloudApi', id: credentialId, name: credentialName } });
}

function readArchive(folder: string): Map<string, string[]> {
	const files = new Map<string, string[]>();
	if (!existsSync(folder)) return files;
	for (const key of readdirSync(folder)) {
		const file = join(folder, key, 'events.json');
		if (!existsSync(file)) continue;
		const text = readFileSync(file, 'utf8');
		expect(text === '' || text.endsWith('\n')).toBe(true);
		files.set(key, text.split('\n').filter(Boolean));
	}
	return files;
}

describe('VeloCloud credential in a real n8n', () => {
	let simulator: VeloCloudSimulator;

	beforeAll(async () => {
		simulator = await new VeloCloudSimulator({ eventCount: 100 }).start();
	});
	afterAll(async () => simulator.stop());

	it('passes with a good token or password and fails with a different clear message for each fault', async () => {
		const sim = simulator.credentials();
		// HTTPS with verification on, through the credential's Custom CA Certificate.
		expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		const good = await client.testCredential(await credential('VCO token', { host: `${sim.url}/`, apiToken: sim.token }));
		expect(good).toEqual({ status: 'OK', message: 'Connected with the API token; sees: Acme Retail Group' });

		const operator = await client.testCredential(
			await credential('VCO operator', { host: sim.url, username: sim.operatorUsername, password: sim.operatorPassword, accountType: 'operator' }),
		);
		expect(operator.status).toBe('OK');
		expect(operator.message).toMatch(/^Connected with a session login; sees: .*Acme Retail Group.*/);

		const wrongToken = await client.testCredential(await credential('VCO wrong token', { host: sim.url, apiToken: 'not-the-token-4242' }));
		const wrongPassword = await client.testCredential(
			await credential('VCO wrong password', { host: sim.url, username: sim.username, password: 'Wrong-Password-77' }),
		);
		const unreachable = await client.testCredential(await credential('VCO unreachable', { host: 'http://127.0.0.1:1', apiToken: sim.token }));
		const untrusted = await client.testCredential(await credential('VCO without the CA', { host: sim.url, apiToken: sim.token, caCertificate: '' }));
		const tlsServer = await startSelfSignedServer((_request, response) => response.end('{}'));
		let tls;
		try {
			tls = await client.testCredential(await credential('VCO self-signed', { host: tlsServer.url, apiToken: sim.token }));
		} finally {
			await tlsServer.close();
		}
		for (const result of [wrongToken, wrongPassword, unreachable, untrusted, tls]) {
			expect(result.status).toBe('Error');
			messages.push(result.message);
		}
		expect(wrongToken.message).toMatch(/^VCO refused the API token \(tokenError \[invalid token\]\)/);
		expect(wrongPassword.message).toMatch(/^VCO refused the login: /);
		expect(unreachable.message).toMatch(/^Cannot reach 127\.0\.0\.1:1 \(connection refused\)/);
		expect(untrusted.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
		expect(tls.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
	});
});

describe('the bundled VeloCloud events archiver, activated in a real n8n', () => {
	let simulator: VeloCloudSimulator;

	beforeAll(async () => {
		// An hour of history across the four enterprises, all of it inside the trigger's look-back.
		simulator = await new VeloCloudSimulator({ seed: 7, eventCount: 3000, spanMs: 60 * MINUTE }).start();
	});
	afterAll(async () => simulator.stop());

	it('archives every event of several polls exactly once, across enterprises, through 429, 500, session expiry, malformed JSON and re-activations', async () => {
		const sim = simulator.credentials();
		const credentialId = await credential('VeloCloud Orchestrator (operator)', {
			host: sim.url,
			username: sim.operatorUsername,
			password: sim.operatorPassword,
			accountType: 'operator',
		});
		const archiveFolder = join(state.userFolder, 'files', 'velocloud-events');
		let workflow = loadBundledWorkflow('velocloud-events-archiver.json');
		// n8n refuses poll intervals under a minute, and polls once when a workflow is activated: each
		// round below is one activation (the bundled 15-minute schedule stays as users get it).
		workflow = withNodeParameters(workflow, 'VeloCloud Trigger', {
			options: { latenessMinutes: 15, lookbackMinutes: 120, pageSize: 400 },
		});
		workflow = withNodeParameters(workflow, 'Event Archive', { baseFolder: archiveFolder });
		// It counts the executions below; the bundled settings do not keep successful ones.
		workflow = keepingSuccessfulExecutions(workflow);
		const workflowId = await client.createWorkflow(workflow, { 'VeloCloud Orchestrator': credentialId });
		const archivedIds = () => [...readArchive(archiveFolder).values()].flat().map((line) => (JSON.parse(line) as { id: number }).id);
		const pollOnce = async (expectedTotal: number, what: string) => {
			await client.activate(workflowId);
			await waitFor(what, () => (archivedIds().length >= expectedTotal ? true : undefined), 60_000);
			// Let a possible second activation poll finish before the workflow stops.
			await new Promise((resolve) => setTimeout(resolve, 2000));
			await client.deactivate(workflowId);
		};

		// Round 1, the backfill: a 429 on the first events call and a 500 on a later page.
		const history = simulator.eventsBetween(undefined, 0, Date.now() + MINUTE);
		expect(history.length).toBe(3000);
		simulator.injectFaults([
			{ path: '/portal/rest/event/getEnterpriseEvents', kind: 'status', status: 429, retryAfter: 1 },
			{ path: '/portal/rest/event/getEnterpriseEvents', kind: 'status', status: 500, after: 2, body: { error: { code: -32603, message: 'Internal error' } } },
		]);
		await pollOnce(history.length, 'the backfill');

		// Round 2: new events in two enterprises; the session dies right at the first events call, and a
		// later answer comes back truncated (malformed JSON).
		simulator.addEvents({ enterpriseId: 1, count: 25 });
		simulator.addEvents({ enterpriseId: 2, count: 25 });
		simulator.injectFaults([
			{ path: '/portal/rest/event/getEnterpriseEvents', kind: 'expireSession' },
			{ path: '/portal/rest/event/getEnterpriseEvents', kind: 'malformed', after: 2 },
		]);
		await pollOnce(history.length + 50, 'the new events');

		// Round 3: late events, dated 5 minutes before the previous poll, as VCO's data delay produces.
		simulator.addEvents({ enterpriseId: 3, count: 10, backdateMs: 5 * MINUTE });
		const total = history.length + 60;
		await pollOnce(total, 'the late events');

		// Round 4: nothing new; a poll must add nothing.
		await client.activate(workflowId);
		await new Promise((resolve) => setTimeout(resolve, 4000));
		await client.deactivate(workflowId);

		const archive = readArchive(archiveFolder);
		const everything = simulator.eventsBetween(undefined, 0, Date.now() + MINUTE);
		expect(everything).toHaveLength(total);
		const ids = [...archive.values()].flat().map((line) => (JSON.parse(line) as { id: number }).id);
		expect(ids.length).toBe(total);
		expect(new Set(ids).size).toBe(total);
		expect(new Set(ids)).toEqual(new Set(everything.map((event) => event.id)));

		// One folder per enterprise name made safe; every line is the seed's line for that event.
		const byId = new Map(everything.map((event) => [event.id, event]));
		expect([...archive.keys()].sort()).toEqual(['Acme-Retail-Group', 'Globex-Corp---APAC-', 'Initech-Financial-Services', 'Umbrella-Logistics-B-V-']);
		for (const [, lines] of archive) {
			for (const line of lines) {
				const id = (JSON.parse(line) as { id: number }).id;
				expect(line).toBe(seedLine(byId.get(id)!));
			}
		}

		// "Fetch Test Event" (a manual run from the trigger): recent events, at most 20, tagged.
		const manual = await client.runManually(workflowId, 'VeloCloud Trigger');
		expect(manual.status).toBe('success');
		const sample = nodeOutput(manual, 'VeloCloud Trigger');
		expect(sample.length).toBeGreaterThan(0);
		expect(sample.length).toBeLessThanOrEqual(20);
		for (const item of sample) expect(typeof item.enterpriseName).toBe('string');

		// Every poll that found events started one successful execution; the faults were all consumed.
		const executions = (await client.listExecutions(workflowId)).filter((execution) => execution.mode !== 'manual');
		expect(executions.length).toBeGreaterThanOrEqual(3);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		expect(simulator.faults).toEqual([]);
		for (const execution of executions) messages.push(JSON.stringify(execution.data ?? {}));
	});
});

describe('VeloCloud Get Many in a real n8n', () => {
	let simulator: VeloCloudSimulator;

	beforeAll(async () => {
		// 4 enterprises share the events: enterprise 1 holds 10^4 of them.
		simulator = await new VeloCloudSimulator({ seed: 11, eventCount: 40_000, spanMs: 3 * 60 * MINUTE }).start();
	});
	afterAll(async () => simulator.stop());

	it('returns all 10^4 events of a window through paging, oldest first', async () => {
		const sim = simulator.credentials();
		const credentialId = await credential('VCO token for Get Many', { host: sim.url, apiToken: sim.token });
		const now = Date.now();
		const since = new Date(now - 4 * 60 * MINUTE).toISOString();
		const until = new Date(now + MINUTE).toISOString();
		const workflowId = await client.createWorkflow(
			veloCloudWorkflow(
				'VeloCloud Get Many 10^4',
				{ resource: 'event', operation: 'getMany', timeWindow: 'between', since, until, returnAll: true, filters: {} },
				credentialId,
				'VCO token for Get Many',
			),
			{ 'VCO token for Get Many': credentialId },
		);
		const execution = await client.runManually(workflowId, 'Start');
		expect(execution.status).toBe('success');
		const output = nodeOutput(execution, 'VeloCloud');
		const expected = simulator.eventsBetween(1, Date.parse(since), Date.parse(until));
		expect(expected).toHaveLength(10_000);
		expect(output).toHaveLength(10_000);
		expect(output.map((item) => item.id)).toEqual(expected.map((event) => event.id));
		expect(output[0]).toEqual({ ...expected[0], enterpriseId: 1, enterpriseName: 'Acme Retail Group' });
		expect(simulator.stats.get('/portal/rest/event/getEnterpriseEvents')).toBe(Math.ceil(10_000 / 2048));
	});

	it('fails the execution with a clear, secret-free error for a wrong token', async () => {
		const sim = simulator.credentials();
		const credentialId = await credential('VCO bad token', { host: sim.url, apiToken: 'wrong-token-for-e2e-9137' });
		const workflowId = await client.createWorkflow(
			veloCloudWorkflow('VeloCloud wrong token', { resource: 'enterprise', operation: 'getMany' }, credentialId, 'VCO bad token'),
			{ 'VCO bad token': credentialId },
		);
		const execution = await client.runManually(workflowId, 'Start');
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData.error?.message).toBe('VCO refused the API token (tokenError [invalid token])');
		messages.push(JSON.stringify(execution.data));
	});
});

describe('secrets', () => {
	it('appear in no error message, n8n log line, execution or archive file of these tests', () => {
		expect(secrets.size).toBeGreaterThanOrEqual(5);
		const haystacks = [...messages, readN8nLog()];
		const archiveRoot = join(state.userFolder, 'files');
		const walk = (folder: string): void => {
			if (!existsSync(folder)) return;
			for (const entry of readdirSync(folder, { withFileTypes: true })) {
				const path = join(folder, entry.name);
				if (entry.isDirectory()) walk(path);
				else haystacks.push(readFileSync(path, 'utf8'));
			}
		};
		walk(archiveRoot);
		for (const secret of secrets) {
			for (const haystack of haystacks) expect(haystack.includes(secret)).toBe(false);
		}
	});
});

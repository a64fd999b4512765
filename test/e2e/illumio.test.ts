/**
 * Illumio in a real n8n against the PCE simulator (HTTPS; n8n trusts the simulator CA as a user with a
 * private CA does): credential tests; the trigger activated through a 5,000-event burst with a 429 and a
 * 500, a re-activation, and watchers routing three event families to three branches; a backfill over
 * the synchronous limit through the async job; throttling across polls; Get Many and Get; and no secret
 * anywhere in what n8n logged or stored.
 */
import { IllumioSimulator, type IllumioEvent } from '../simulators/illumio';
import { startSelfSignedServer } from '../unit/helpers/selfSignedServer';
import { nodeOutput, type ExecutionSummary, type N8nClient, type WorkflowJson } from './harness/n8nClient';
import { connectToE2eN8n, readN8nLog } from './harness/state';
import { waitFor } from './harness/workflows';

const MINUTE = 60_000;
const secrets = new Set<string>();
const messages: string[] = [];

let client: N8nClient;

beforeAll(async () => {
	({ client } = await connectToE2eN8n());
});

async function credential(name: string, data: Record<string, unknown>): Promise<string> {
	if (typeof data.apiKeySecret === 'string' && data.apiKeySecret) {
		secrets.add(data.apiKeySecret);
		// The Basic header carries the secret base64-encoded: that form must not leak either.
		secrets.add(Buffer.from(`${String(data.authUsername)}:${data.apiKeySecret}`).toString('base64'));
	}
	return await client.createCredential(name, 'illumioApi', { orgId: 1, allowUnauthorizedCerts: false, caCertificate: '', ...data });
}

async function simulatorCredential(name: string, simulator: IllumioSimulator): Promise<string> {
	const sim = simulator.credentials();
	return await credential(name, { url: sim.url, authUsername: sim.apiKeyUser, apiKeySecret: sim.apiKeySecret, orgId: sim.orgId });
}

const WATCHERS = [
	{ name: 'Sign-ins', eventTypes: 'user.*', minSeverity: 'any', status: 'any', throttleMinutes: 0, throttleByResource: false },
	{ name: 'Policy changes', eventTypes: 'sec_policy.*, rule_set.*, sec_rule.*, ip_list.*', minSeverity: 'any', status: 'any', throttleMinutes: 0, throttleByResource: false },
	{ name: 'Agents', eventTypes: 'agent.*', minSeverity: 'any', status: 'any', throttleMinutes: 0, throttleByResource: false },
];
const BRANCHES = ['Sign-ins', 'Policy changes', 'Agents', 'Other'];

/** Illumio Trigger → Switch on the first watcher's name → one No-Op per family and one for the rest. */
function notifierWorkflow(name: string, credentialName: string, triggerParameters: Record<string, unknown>): WorkflowJson {
	const branchNode = (branch: string, index: number) => ({
		name: branch,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [700, index * 150],
		parameters: {},
	});
	return {
		name,
		nodes: [
			{
				name: 'Illumio Trigger',
				type: 'n8n-nodes-netsec-events.illumioTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyHour' }] }, ...triggerParameters },
				credentials: { illumioApi: { id: '', name: credentialName } },
			},
			{
				name: 'Route by Watcher',
				type: 'n8n-nodes-base.switch',
				typeVersion: 3.2,
				position: [350, 0],
				parameters: {
					mode: 'expression',
					numberOutputs: BRANCHES.length,
					// A family's branch by the first watcher matched; events no watcher matched go to "Other".
					output: `={{ $json.watchers.length === 0 ? 3 : ${JSON.stringify(BRANCHES.slice(0, 3))}.indexOf($json.watchers[0]) }}`,
				},
			},
			...BRANCHES.map(branchNode),
		],
		connections: {
			'Illumio Trigger': { main: [[{ node: 'Route by Watcher', type: 'main', index: 0 }]] },
			'Route by Watcher': { main: BRANCHES.map((branch) => [{ node: branch, type: 'main', index: 0 }]) },
		},
	};
}

/** Every item the trigger emitted in the workflow's executions so far (manual runs left out). */
async function triggerItems(workflowId: string): Promise<{ items: Array<Record<string, unknown>>; executions: ExecutionSummary[] }> {
	const executions = (await client.listExecutions(workflowId))
		.filter((execution) => execution.mode !== 'manual')
		.sort((a, b) => Number(a.id) - Number(b.id));
	const items = executions.flatMap((execution) => nodeOutput(execution, 'Illumio Trigger'));
	return { items, executions };
}

/** One activation = one poll (n8n polls when it activates); waits until `expected` items exist in all. */
async function pollOnce(workflowId: string, expected: number, what: string): Promise<Array<Record<string, unknown>>> {
	await client.activate(workflowId);
	const items = await waitFor(
		what,
		async () => {
			const { items: found } = await triggerItems(workflowId);
			return found.length >= expected ? found : undefined;
		},
		90_000,
		1000,
	);
	// A second activation poll, if n8n makes one, must add nothing: give it time before stopping.
	await new Promise((resolve) => setTimeout(resolve, 2000));
	await client.deactivate(workflowId);
	return items;
}

describe('Illumio credential in a real n8n', () => {
	let simulator: IllumioSimulator;

	beforeAll(async () => {
		simulator = await new IllumioSimulator({ eventCount: 50 }).start();
	});
	afterAll(async () => simulator.stop());

	it('passes with the simulator key and tells a wrong key, a wrong org, an unreachable PCE and an untrusted certificate apart', async () => {
		const sim = simulator.credentials();
		const good = await client.testCredential(await simulatorCredential('PCE simulator', simulator));
		expect(good).toEqual({ status: 'OK', message: `Connected to ${sim.url} as ${sim.apiKeyUser}, org 1` });

		const base = { url: sim.url, authUsername: sim.apiKeyUser };
		const wrongKey = await client.testCredential(await credential('PCE wrong secret', { ...base, apiKeySecret: 'not-the-secret-7781' }));
		const wrongOrg = await client.testCredential(await credential('PCE wrong org', { ...base, apiKeySecret: sim.apiKeySecret, orgId: 2 }));
		const unreachable = await client.testCredential(await credential('PCE unreachable', { ...base, url: 'https://127.0.0.1:1', apiKeySecret: sim.apiKeySecret }));
		const tlsServer = await startSelfSignedServer((_request, response) => {
			response.setHeader('content-type', 'application/json');
			response.end('{"href":"/orgs/1/settings/workloads"}');
		});
		let untrusted;
		let trusted;
		try {
			untrusted = await client.testCredential(await credential('PCE self-signed', { ...base, url: tlsServer.url, apiKeySecret: sim.apiKeySecret }));
			trusted = await client.testCredential(
				await credential('PCE self-signed with its CA', { ...base, url: tlsServer.url, apiKeySecret: sim.apiKeySecret, caCertificate: tlsServer.certificate }),
			);
		} finally {
			await tlsServer.close();
		}
		for (const result of [wrongKey, wrongOrg, unreachable, untrusted]) {
			expect(result.status).toBe('Error');
			messages.push(result.message);
		}
		expect(wrongKey.message).toMatch(/^The PCE refused the API key \(HTTP 401 authentication_failed: Authentication failed: invalid API key or secret\)/);
		expect(wrongOrg.message).toMatch(/^The PCE denied org 2's workload settings \(HTTP 403 forbidden_error: .*\). The API key has no access to org 2/);
		expect(unreachable.message).toMatch(/^Cannot reach 127\.0\.0\.1:1 \(connection refused\)/);
		expect(untrusted.message).toMatch(/^TLS failure talking to 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
		expect(trusted.status).toBe('OK');
	});
});

describe('the Illumio Trigger, activated in a real n8n', () => {
	let simulator: IllumioSimulator;

	beforeAll(async () => {
		simulator = await new IllumioSimulator({ seed: 5, eventCount: 200 }).start();
	});
	afterAll(async () => simulator.stop());

	it('delivers a 5,000-event burst once through a 429 and a 500, keeps its cursor over a re-activation, and routes three families to three branches', async () => {
		const credentialId = await simulatorCredential('PCE for the trigger', simulator);
		const workflowId = await client.createWorkflow(
			notifierWorkflow('Illumio notifier', 'PCE for the trigger', { watchers: { watcher: WATCHERS }, options: { emitUnmatched: true } }),
			{ 'PCE for the trigger': credentialId },
		);
		// The first activation starts the cursor at "now": the 200 older events are not emitted.
		await client.activate(workflowId);
		await new Promise((resolve) => setTimeout(resolve, 4000));
		await client.deactivate(workflowId);
		expect((await triggerItems(workflowId)).items).toHaveLength(0);

		// The seed asked for 100 per poll: 4,900 of these would be gone.
		const burst = simulator.addEvents(5000);
		simulator.injectFaults([
			{ path: '/api/v2/orgs/1/events', kind: 'status', status: 429, retryAfter: 1, body: [{ token: 'too_many_requests_error', message: 'slow down' }] },
			{ path: '/api/v2/orgs/1/events', kind: 'status', status: 500, after: 1, body: [{ token: 'internal_error', message: 'boom' }] },
		]);
		const afterBurst = await pollOnce(workflowId, burst.length, 'the burst');
		expect(afterBurst).toHaveLength(burst.length);
		expect(new Set(afterBurst.map((item) => item.href))).toEqual(new Set(burst.map((event) => event.href)));
		expect(simulator.faults).toEqual([]);

		// A re-activation keeps the cursor: only what is new comes.
		const late = simulator.addEvents(3, { event_type: 'agent.tampering', severity: 'crit' });
		const afterRestart = await pollOnce(workflowId, burst.length + 3, 'the events after re-activation');
		expect(afterRestart).toHaveLength(burst.length + 3);
		expect(new Set(afterRestart.map((item) => item.href)).size).toBe(burst.length + 3);
		expect(afterRestart.slice(-3).map((item) => item.href)).toEqual(late.map((event) => event.href));

		// Each family reached its branch, and only its branch.
		const family = (type: string) =>
			type.startsWith('user.') ? 'Sign-ins' : /^(sec_policy|rule_set|sec_rule|ip_list)\./.test(type) ? 'Policy changes' : type.startsWith('agent.') ? 'Agents' : 'Other';
		const { executions } = await triggerItems(workflowId);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		const routed = new Map<string, Set<string>>(BRANCHES.map((branch) => [branch, new Set()]));
		for (const execution of executions) {
			for (const branch of BRANCHES) {
				const runs = execution.data?.resultData.runData[branch];
				if (!runs) continue;
				for (const item of nodeOutput(execution, branch)) routed.get(branch)!.add(String(item.event_type));
			}
			messages.push(JSON.stringify(execution.data ?? {}));
		}
		for (const [branch, types] of routed) {
			expect(types.size).toBeGreaterThan(0);
			for (const type of types) expect(family(type)).toBe(branch);
		}
		const allTypes = new Set([...burst, ...late].map((event) => event.event_type));
		expect(new Set([...routed.values()].flatMap((types) => [...types]))).toEqual(allTypes);
		for (const item of afterRestart) expect(item.watchers).toEqual(family(String(item.event_type)) === 'Other' ? [] : [family(String(item.event_type))]);
	});
});

describe('the Illumio Trigger backfilling more than the synchronous limit', () => {
	let simulator: IllumioSimulator;

	beforeAll(async () => {
		simulator = await new IllumioSimulator({ seed: 9, eventCount: 12_000, spanMs: 60 * MINUTE }).start();
	});
	afterAll(async () => simulator.stop());

	it('reads 12,000 events through the async job and emits each once', async () => {
		const credentialId = await simulatorCredential('PCE for the backfill', simulator);
		const workflowId = await client.createWorkflow(
			notifierWorkflow('Illumio backfill', 'PCE for the backfill', { watchers: {}, options: { lookbackMinutes: 90 } }),
			{ 'PCE for the backfill': credentialId },
		);
		const items = await pollOnce(workflowId, 12_000, 'the backfill');
		expect(items).toHaveLength(12_000);
		expect(new Set(items.map((item) => item.href)).size).toBe(12_000);
		const jobs = [...simulator.stats.keys()].filter((path) => path.startsWith('/api/v2/orgs/1/jobs/'));
		const datafiles = [...simulator.stats.keys()].filter((path) => path.startsWith('/api/v2/orgs/1/datafiles/'));
		expect(jobs.length).toBeGreaterThanOrEqual(1);
		expect(datafiles.length).toBeGreaterThanOrEqual(1);
	});
});

describe('Illumio Trigger throttling across polls', () => {
	let simulator: IllumioSimulator;

	beforeAll(async () => {
		simulator = await new IllumioSimulator({ seed: 3, eventCount: 1, spanMs: 1000 }).start();
	});
	afterAll(async () => simulator.stop());

	it('lets one tampering event through per 10 minutes and counts the others into the next one', async () => {
		const credentialId = await simulatorCredential('PCE for throttling', simulator);
		const watcher = { name: 'Tampering', eventTypes: 'agent.tampering', minSeverity: 'any', status: 'any', throttleMinutes: 10, throttleByResource: false };
		const workflowId = await client.createWorkflow(
			notifierWorkflow('Illumio throttled', 'PCE for throttling', { watchers: { watcher: [watcher] }, options: { lookbackMinutes: 60, latenessMinutes: 60 } }),
			{ 'PCE for throttling': credentialId },
		);
		const tampering = (minutesAgo: number) => simulator.addEvents(1, { event_type: 'agent.tampering', backdateMs: minutesAgo * MINUTE })[0];
		const first = [tampering(40), tampering(39), tampering(38)];
		simulator.addEvents(2, { event_type: 'user.login', backdateMs: 35 * MINUTE });
		const poll1 = await pollOnce(workflowId, 1, 'the first tampering event');
		expect(poll1.map((item) => [item.href, item.suppressedCount])).toEqual([[first[0].href, 0]]);

		// Still inside the first window: suppressed. Past it: through, with every suppressed one counted.
		const second = [tampering(31), tampering(25), tampering(24)];
		const poll2 = await pollOnce(workflowId, 2, 'the next tampering event');
		expect(poll2).toHaveLength(2);
		expect(poll2[1]).toMatchObject({ href: second[1].href, suppressedCount: 3, suppressedByWatcher: { Tampering: 3 }, watchers: ['Tampering'] });
	});
});

describe('Illumio Get Many and Get in a real n8n', () => {
	let simulator: IllumioSimulator;

	beforeAll(async () => {
		simulator = await new IllumioSimulator({ seed: 13, eventCount: 3000, spanMs: 120 * MINUTE }).start();
	});
	afterAll(async () => simulator.stop());

	function manualWorkflow(name: string, parameters: Record<string, unknown>, credentialName: string): WorkflowJson {
		return {
			name,
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					name: 'Illumio',
					type: 'n8n-nodes-netsec-events.illumio',
					typeVersion: 1,
					position: [300, 0],
					parameters,
					credentials: { illumioApi: { id: '', name: credentialName } },
				},
			],
			connections: { Start: { main: [[{ node: 'Illumio', type: 'main', index: 0 }]] } },
		};
	}

	it('returns the matching events of a window oldest first, and one event by href', async () => {
		const credentialId = await simulatorCredential('PCE for Get Many', simulator);
		const now = Date.now();
		const since = new Date(now - 180 * MINUTE).toISOString();
		const until = new Date(now + MINUTE).toISOString();
		const getMany = await client.createWorkflow(
			manualWorkflow(
				'Illumio Get Many',
				{ resource: 'event', operation: 'getMany', timeWindow: 'between', since, until, eventTypes: 'user.*', minSeverity: 'any', status: 'any', returnAll: true },
				'PCE for Get Many',
			),
			{ 'PCE for Get Many': credentialId },
		);
		const execution = await client.runManually(getMany, 'Start');
		expect(execution.status).toBe('success');
		const output = nodeOutput(execution, 'Illumio');
		// Oldest first, events of the same millisecond by href.
		const expected = simulator
			.eventsBetween(Date.parse(since), Date.parse(until))
			.filter((event: IllumioEvent) => event.event_type.startsWith('user.'))
			.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.href < b.href ? -1 : 1));
		expect(expected.length).toBeGreaterThan(100);
		expect(output.map((item) => item.href)).toEqual(expected.map((event) => event.href));
		messages.push(JSON.stringify(execution.data));

		const one = expected[17];
		const get = await client.createWorkflow(manualWorkflow('Illumio Get', { resource: 'event', operation: 'get', event: one.href }, 'PCE for Get Many'), {
			'PCE for Get Many': credentialId,
		});
		const got = await client.runManually(get, 'Start');
		expect(nodeOutput(got, 'Illumio')).toEqual([one]);
	});

	it('fails with the watcher and field named for a pattern that cannot match, and with the PCE token for a bad key', async () => {
		const badKey = await credential('PCE bad key', { url: simulator.credentials().url, authUsername: simulator.credentials().apiKeyUser, apiKeySecret: 'wrong-secret-for-e2e-5521' });
		const workflowId = await client.createWorkflow(
			manualWorkflow('Illumio bad key', { resource: 'event', operation: 'getMany', timeWindow: 'lastMinutes', lastMinutes: 5, returnAll: true }, 'PCE bad key'),
			{ 'PCE bad key': badKey },
		);
		const failed = await client.runManually(workflowId, 'Start');
		expect(failed.status).toBe('error');
		expect(failed.data?.resultData.error?.message).toBe(
			'The PCE refused the API key (HTTP 401 authentication_failed: Authentication failed: invalid API key or secret)',
		);
		messages.push(JSON.stringify(failed.data));

		const good = await simulatorCredential('PCE for a bad pattern', simulator);
		const pattern = await client.createWorkflow(
			manualWorkflow('Illumio bad pattern', { resource: 'event', operation: 'getMany', timeWindow: 'lastMinutes', lastMinutes: 5, eventTypes: 'User.Login', returnAll: true }, 'PCE for a bad pattern'),
			{ 'PCE for a bad pattern': good },
		);
		const refused = await client.runManually(pattern, 'Start');
		expect(refused.status).toBe('error');
		expect(refused.data?.resultData.error?.message).toBe('Event Types: the event type pattern "User.Login" can never match');
	});
});

describe('secrets', () => {
	it('appear in no error message, n8n log line or execution of these tests', () => {
		expect(secrets.size).toBeGreaterThanOrEqual(6);
		const haystacks = [...messages, readN8nLog()];
		for (const secret of secrets) {
			for (const haystack of haystacks) expect(haystack.includes(secret)).toBe(false);
		}
	});
});

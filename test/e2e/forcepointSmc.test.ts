/**
 * Forcepoint SMC in a real n8n against the SMC simulator: the credential test, every query kind of
 * the node, block-list add and delete, and the trigger activated through 20 forced disconnects (every
 * change delivered, every subscription restored, a gap item each time); deactivation leaves no socket
 * and no session; no secret in n8n's log or executions.
 */
import { simulatorTls } from '../simulators/common';
import { ForcepointSmcSimulator } from '../simulators/forcepointSmc';
import { LogInsightSimulator } from '../simulators/logInsight';
import { startSelfSignedServer } from '../unit/helpers/selfSignedServer';
import { nodeOutput, type N8nClient, type WorkflowJson } from '../support/n8n/n8nClient';
import { connectToE2eN8n, readN8nLog } from '../support/n8n/state';
import { loadBundledWorkflow, waitFor } from '../support/n8n/workflows';

const secrets = new Set<string>();
const messages: string[] = [];
let client: N8nClient;
let sim: ForcepointSmcSimulator;

beforeAll(async () => {
	({ client } = await connectToE2eN8n());
	// globalSetup may have left a keep-alive socket n8n has closed since: a cheap GET uses it up first.
	await client.api('GET', '/workflows?limit=1').catch(() => undefined);
	sim = await new ForcepointSmcSimulator({ logCount: 2000 }).start(0);
	secrets.add(sim.options.apiKey);
});
afterAll(async () => sim?.stop());

async function credential(name: string, data: Record<string, unknown> = {}): Promise<string> {
	const smc = sim.credentials();
	return await client.createCredential(name, 'forcepointSmcApi', {
		url: smc.url,
		apiKey: smc.apiKey,
		apiVersion: '',
		domain: 'Shared Domain',
		allowUnauthorizedCerts: false,
		// The simulator's throw-away CA, as a user would paste their SMC's private CA: verification stays on.
		caCertificate: simulatorTls().ca,
		...data,
	});
}

/** The simulator runs in this process: its state is read directly. */
async function simState(): Promise<{ sessions: number; sockets: Record<string, number>; subscriptions: number }> {
	return { sessions: sim.sessionCount, sockets: sim.socketCounts(), subscriptions: sim.activity().subscriptions };
}

function nodeWorkflow(name: string, parameters: Record<string, unknown>, credentialId: string): WorkflowJson {
	return {
		name,
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: 'SMC',
				type: 'n8n-nodes-netsec-events.forcepointSmc',
				typeVersion: 1,
				position: [300, 0],
				parameters,
				credentials: { forcepointSmcApi: { id: credentialId, name: 'smc' } },
			},
		],
		connections: { Start: { main: [[{ node: 'SMC', type: 'main', index: 0 }]] } },
	};
}

async function runNode(name: string, parameters: Record<string, unknown>, credentialId: string): Promise<Array<Record<string, unknown>>> {
	const workflowId = await client.createWorkflow(nodeWorkflow(name, parameters, credentialId), { forcepointSmcApi: credentialId });
	const execution = await client.runManually(workflowId, 'Start');
	if (execution.status !== 'success') {
		const error = execution.data?.resultData.error;
		messages.push(String(error?.message ?? ''));
		throw new Error(`${name} failed: ${error?.message ?? execution.status}`);
	}
	return nodeOutput(execution, 'SMC');
}

describe('Forcepoint SMC credential in a real n8n', () => {
	it('passes, and fails with a clear message for a wrong key, an unknown domain, an unoffered version, an unreachable host and TLS', async () => {
		const good = await client.testCredential(await credential('smc good'));
		expect(good).toEqual({ status: 'OK', message: 'Connected to SMC 7.1.2 [11277] with API 7.1 in domain "Shared Domain"' });
		const tls = await startSelfSignedServer((_request, response) => response.end('{}'));
		try {
			const cases: Array<[Record<string, unknown>, RegExp]> = [
				[{ apiKey: 'WrongKey0123456789abcdef' }, /refused the login to domain "Shared Domain" .*Invalid authentication key.*Check the API key/],
				[{ domain: 'Nowhere' }, /refused the login to domain "Nowhere" .*Check the Admin Domain/],
				[{ apiVersion: '5.9' }, /does not offer API version 5\.9; it offers 6\.5, 6\.10, 7\.0, 7\.1/],
				[{ url: 'http://127.0.0.1:9' }, /Cannot reach 127\.0\.0\.1:9/],
				[{ url: tls.url }, /TLS failure/],
			];
			for (const [data, message] of cases) {
				secrets.add('WrongKey0123456789abcdef');
				const result = await client.testCredential(await credential('smc bad', data));
				messages.push(result.message);
				expect(result.status).toBe('Error');
				expect(result.message).toMatch(message);
			}
		} finally {
			await tls.close();
		}
		expect((await simState()).sessions).toBe(0);
	});
});

describe('Forcepoint SMC node in a real n8n', () => {
	let credentialId: string;
	beforeAll(async () => {
		credentialId = await credential('smc node');
	});

	it('returns the stored logs of a window, bounded, with the chosen fields', async () => {
		const items = await runNode(
			'smc logs',
			{ resource: 'monitoring', operation: 'runQuery', query: 'logs', timeWindow: 'lastMinutes', lastMinutes: 24 * 60 + 10, maxRecords: 300, order: 'oldestFirst', fields: 'TIMESTAMP, LOGID, SRC', fieldFormat: 'id' },
			credentialId,
		);
		expect(items).toHaveLength(300);
		expect(Object.keys(items[0]).sort()).toEqual(['1', '2', '7']);
		const ids = items.map((item) => Number(item['2']));
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});

	it.each([
		['connections', 250],
		['blockList', 12],
		['routes', 8],
		['users', 10],
		['sslVpnUsers', 5],
		['vpnSas', 6],
		['neighbors', 4],
		['activeAlerts', 15],
	])('returns the %s table the simulator holds, each record with its operation and delta key', async (query, count) => {
		const items = await runNode(`smc ${query}`, { resource: 'monitoring', operation: 'runQuery', query, engine: 'Plano FW', maxRecords: 1000 }, credentialId);
		expect(items).toHaveLength(count);
		expect(items.every((item) => item.operation === 'added' && typeof item.delta_key === 'string')).toBe(true);
	});

	it('filters, and writes CSV', async () => {
		const filter = { conditions: [{ operator: 'in', field: 'ALERTSEVERITY', valueType: 'constant', values: 'HIGH, CRITICAL' }] };
		const [csv] = await runNode('smc alerts csv', { resource: 'monitoring', operation: 'runQuery', query: 'activeAlerts', filter, output: 'csv', fields: 'ALERTSEVERITY, SITUATION', fieldFormat: 'name' }, credentialId);
		const lines = String(csv.csv).trim().split('\r\n');
		expect(lines[0].split(',')).toEqual(expect.arrayContaining(['operation', 'delta_key', 'AlertSeverity', 'Situation']));
		expect(lines.slice(1).every((line) => /,(High|Critical),/.test(line))).toBe(true);
		expect(csv.records).toBe(lines.length - 1);
	});

	it('adds a block-list entry and deletes it through the href a query returned', async () => {
		const [added] = await runNode('smc block add', { resource: 'blockList', operation: 'add', engine: 'Helsinki Cluster', source: '198.51.100.23', destination: 'any', duration: 300 }, credentialId);
		expect(added).toMatchObject({ added: true, engine: 'Helsinki Cluster', source: '198.51.100.23' });
		const bySource = { conditions: [{ operator: 'in', field: 'BLOCK_LISTENTRYSOURCEIP', valueType: 'ip', values: '198.51.100.23' }] };
		const found = await runNode('smc block find', { resource: 'monitoring', operation: 'runQuery', query: 'blockList', engine: 'Helsinki Cluster', filter: bySource }, credentialId);
		expect(found).toHaveLength(1);
		const [deleted] = await runNode('smc block delete', { resource: 'blockList', operation: 'delete', href: found[0].block_list_href }, credentialId);
		expect(deleted).toEqual({ deleted: true, href: found[0].block_list_href });
		const after = await runNode('smc block after', { resource: 'monitoring', operation: 'runQuery', query: 'blockList', engine: 'Helsinki Cluster', filter: bySource, options: { snapshotWaitSeconds: 1 } }, credentialId);
		expect(after).toEqual([]);
	});

	it('names bad input: an unknown engine, a bad filter value, a foreign href', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ resource: 'monitoring', operation: 'runQuery', query: 'routes', engine: 'Nowhere FW' }, 'The SMC rejected the ROUTING query on Nowhere FW: Unknown target Nowhere FW'],
			[
				{ resource: 'monitoring', operation: 'runQuery', query: 'logs', filter: { conditions: [{ operator: 'in', field: 'SRC', valueType: 'ip', values: '10.0.0.300' }] } },
				'Filter condition 1: "10.0.0.300" is not an IP address',
			],
			[{ resource: 'blockList', operation: 'delete', href: 'https://elsewhere.example:8082/7.1/elements/single_fw/1/block_list/MQ==' }, 'is not on the SMC of the credential'],
		];
		for (const [parameters, message] of cases) {
			await expect(runNode('smc bad input', parameters, credentialId)).rejects.toThrow(message);
		}
		await waitFor('sessions to close', async () => ((await simState()).sessions === 0 ? true : undefined), 10_000, 100);
	});
});

describe('Forcepoint SMC Trigger in a real n8n', () => {
	it('delivers element changes across 20 forced disconnects with every subscription restored and a gap item each time; deactivation leaves nothing open', async () => {
		const credentialId = await credential('smc trigger');
		const workflowId = await client.createWorkflow(
			{
				name: 'smc element changes',
				nodes: [
					{
						name: 'SMC Trigger',
						type: 'n8n-nodes-netsec-events.forcepointSmcTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: { mode: 'elementChanges', entryPoints: ['host', 'network'], actions: [], options: { maxReconnectDelaySeconds: 2 } },
						credentials: { forcepointSmcApi: { id: credentialId, name: 'smc' } },
					},
				],
				connections: {},
			},
			{ forcepointSmcApi: credentialId },
		);
		await client.activate(workflowId);
		const ROUNDS = 20;
		const expected: string[] = [];
		try {
			for (let round = 0; round <= ROUNDS; round++) {
				await waitFor(`subscriptions restored (round ${round})`, async () => ((await simState()).subscriptions === 2 ? true : undefined), 30_000, 50);
				expected.push(sim.elementChange(round % 2 ? 'network' : 'host', 'create', `e2e-${round}`).path);
				if (round === 7) sim.expireAllSessions();
				if (round < ROUNDS) {
					// The change must be in before the drop, or it could be lost with the socket (that is what gap items say).
					await waitFor(`change ${round} delivered`, async () => ((await triggerItems(workflowId)).some((item) => String(item.element).endsWith(expected[round])) ? true : undefined), 30_000, 200);
					sim.dropSockets();
				}
			}
			const items = await waitFor('every change and gap', async () => {
				const seen = await triggerItems(workflowId);
				const changes = seen.filter((item) => item.action);
				return changes.length >= expected.length && seen.filter((item) => item.gap).length >= ROUNDS ? seen : undefined;
			}, 60_000, 500);
			const delivered = items.filter((item) => item.action).map((item) => String(item.element).replace(/^.*\/7\.1/, ''));
			expect(delivered.sort()).toEqual([...expected].sort());
			const gaps = items.filter((item) => item.gap).map((item) => item.gap as Record<string, unknown>);
			expect(gaps).toHaveLength(ROUNDS);
			for (const gap of gaps) expect(Date.parse(String(gap.from))).toBeLessThanOrEqual(Date.parse(String(gap.to)));
		} finally {
			await client.deactivate(workflowId);
		}
		await waitFor('no socket and no session left', async () => {
			const state = await simState();
			return state.sessions === 0 && Object.values(state.sockets).every((count) => count === 0) ? true : undefined;
		}, 20_000, 200);
	});
});

async function triggerItems(workflowId: string, nodeName = 'SMC Trigger'): Promise<Array<Record<string, unknown>>> {
	const executions = await client.listExecutions(workflowId);
	return executions.flatMap((execution) => {
		try {
			return nodeOutput(execution, nodeName);
		} catch {
			return [];
		}
	});
}

describe('the bundled Forcepoint SMC workflows in a real n8n', () => {
	const vrli = new LogInsightSimulator();
	beforeAll(() => vrli.start(0, { plainHttp: true }));
	afterAll(() => vrli.stop());

	it('element changes become email texts; live alerts reach vRLI as SMC-Record events', async () => {
		const ids: Record<string, string> = {
			'Forcepoint SMC': await credential('Forcepoint SMC'),
			// Nothing listens there: the email step fails after the text was made, which is what is checked.
			'SMTP sink': await client.createCredential('SMTP sink', 'smtp', { host: '127.0.0.1', port: 9, user: 'n8n', password: 'unused-smtp-pass', secure: false }),
			'Log Insight': await client.createCredential('Log Insight', 'logInsightApi', { host: '127.0.0.1', protocol: 'http', port: vrli.port, agentId: vrli.options.agentId }),
		};
		const changes = await client.createWorkflow(loadBundledWorkflow('smc-element-changes-to-notifications.json'), ids);
		const alerts = await client.createWorkflow(loadBundledWorkflow('smc-alerts-to-log-insight.json'), ids);
		await client.activate(changes);
		await client.activate(alerts);
		try {
			await waitFor('both triggers listening', async () => (sim.activity().subscriptions === 1 && sim.activity().fetches.current === 1 ? true : undefined), 60_000, 200);
			const created = sim.elementChange('network', 'create', 'e2e-bundled');
			const email = await waitFor('the email text', async () => (await triggerItems(changes, 'Email Text'))[0], 60_000, 500);
			expect(email).toMatchObject({ action: 'create', entryPoint: 'network', elementId: created.id });
			expect((email.email as { subject: string }).subject).toContain('network');
			const added = sim.addLogs(400);
			const alertIds = added.filter((record) => record.fields[34] === 3).map((record) => String(record.fields[2]));
			expect(alertIds.length).toBeGreaterThan(0);
			const ingested = await waitFor('the alerts in vRLI', async () => {
				const events = vrli.ingested().filter((event) => event.text.startsWith('SMC-Record: '));
				return events.length >= alertIds.length ? events : undefined;
			}, 60_000, 500);
			expect(ingested.map((event) => /LogId=(\d+)/.exec(event.text)?.[1]).sort()).toEqual([...alertIds].sort());
		} finally {
			await client.deactivate(changes);
			await client.deactivate(alerts);
		}
	});
});

describe('no Forcepoint SMC secret anywhere', () => {
	it('keeps the API key and session ids out of n8n log and messages', () => {
		const log = readN8nLog();
		for (const secret of secrets) {
			expect(log).not.toContain(secret);
			for (const message of messages) expect(message).not.toContain(secret);
		}
	});
});

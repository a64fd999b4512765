/**
 * Restarts of n8n with a sink that does not recognise repeats: the bundled "VeloCloud events to vRLI"
 * workflow in an n8n of its own (the shared e2e n8n is never restarted), stopped as an upgrade stops it
 * and killed as a crash would, each between polls. vRLI must hold every VCO event exactly once.
 *
 * n8n stores a poller's static data only when it starts an execution: before the trigger stored its
 * confirmations itself, the first poll after every restart sent the last batch to vRLI again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LogInsightSimulator } from '../simulators/logInsight';
import { VeloCloudSimulator } from '../simulators/velocloud';
import { vcoTokenCredentialData, vrliCredentialData } from '../support/n8n/credentialData';
import { findFreePortPair } from '../support/n8n/freePort';
import { installPackage, packPackage } from '../support/n8n/installPackage';
import { N8nClient, type ExecutionSummary } from '../support/n8n/n8nClient';
import { startN8n, type RunningN8n } from '../support/n8n/n8nProcess';
import { loadBundledWorkflow, waitFor, withNodeParameters } from '../support/n8n/workflows';

const MINUTE = 60_000;

describe('restarts of n8n between polls', () => {
	let root: string;
	let vco: VeloCloudSimulator;
	let vrli: LogInsightSimulator;
	let n8n: RunningN8n | undefined;
	let port: number;

	const start = async () => {
		n8n = await startN8n({ userFolder: join(root, 'n8n'), port, readyTimeoutMs: 5 * MINUTE });
		return await N8nClient.signIn(n8n.url);
	};

	beforeAll(async () => {
		root = mkdtempSync(join(tmpdir(), 'netsec-restart-'));
		installPackage(join(root, 'n8n'), packPackage(join(root, 'pack')));
		port = await findFreePortPair();
		// Half an hour of history for the token's enterprise, inside the trigger's look-back.
		vco = await new VeloCloudSimulator({ seed: 11, eventCount: 800, spanMs: 30 * MINUTE }).start();
		vrli = new LogInsightSimulator();
		await vrli.start(0);
	}, 5 * MINUTE);

	afterAll(async () => {
		await n8n?.stop();
		await Promise.allSettled([vco.stop(), vrli.stop()]);
		rmSync(root, { recursive: true, force: true });
	});

	it('sends every event to vRLI once through a graceful restart and a crash, each after a delivered batch', async () => {
		let client = await start();
		const vcoCredential = await client.createCredential('VeloCloud Orchestrator', 'veloCloudApi', vcoTokenCredentialData(vco));
		const vrliCredential = await client.createCredential('Log Insight', 'logInsightApi', vrliCredentialData(vrli));
		// As users get it, with a backfill of the simulator's history; n8n polls at each activation.
		const workflow = withNodeParameters(loadBundledWorkflow('velocloud-events-to-vrli.json'), 'VeloCloud Trigger', {
			options: { latenessMinutes: 15, lookbackMinutes: 60 },
		});
		const workflowId = await client.createWorkflow(workflow, { 'VeloCloud Orchestrator': vcoCredential, 'Log Insight': vrliCredential });

		const expectedIds = () => vco.eventsBetween(1, 0, Date.now() + MINUTE).map((event) => event.id).sort((a, b) => a - b);
		const idsInVrli = () =>
			vrli
				.ingested()
				.map((event) => Number(event.fields.flatMap((field) => (field.name === 'vco_event_id' && 'content' in field ? [field.content] : []))[0]))
				.sort((a, b) => a - b);
		const settled = async (what: string) => {
			const expected = expectedIds();
			await waitFor(
				what,
				async () => {
					if (idsInVrli().length < expected.length) return undefined;
					const executions = await client.api<{ data: ExecutionSummary[] }>('GET', `/executions?workflowId=${workflowId}&limit=250`);
					return executions.data.some((execution) => ['new', 'running'].includes(execution.status)) ? undefined : true;
				},
				3 * MINUTE,
				250,
			);
			expect(idsInVrli()).toEqual(expected);
			// What the next start reads: the trigger's cursor as n8n stored it, with no batch left in flight.
			await waitFor(
				'n8n to store that the last batch was delivered',
				async () => {
					const stored = await client.api<{ staticData?: Record<string, { eventCursor?: { inFlight?: unknown } } | undefined> | null }>('GET', `/workflows/${workflowId}`);
					const cursor = Object.values(stored.staticData ?? {}).find((node) => node?.eventCursor)?.eventCursor;
					return cursor && cursor.inFlight === undefined ? true : undefined;
				},
				MINUTE,
				250,
			);
		};

		await client.activate(workflowId);
		await settled('the backfill in vRLI');
		const backfilled = idsInVrli().length;
		expect(backfilled).toBeGreaterThan(100);

		// Stopped as an upgrade stops it; events arrive while it is down.
		await n8n!.stop();
		vco.addEvents({ enterpriseId: 1, count: 25 });
		client = await start();
		await settled('the events of the downtime after a graceful restart');
		expect(idsInVrli()).toHaveLength(backfilled + 25);

		// Killed as a crash would (no shutdown code), some events late.
		await n8n!.kill();
		vco.addEvents({ enterpriseId: 1, count: 10, backdateMs: 3 * MINUTE });
		client = await start();
		await settled('the events of the downtime after a crash');
		expect(idsInVrli()).toHaveLength(backfilled + 35);
	}, 15 * MINUTE);
});

/**
 * `npm run bench -- --n8n`: the bundled VeloCloud archiver inside a real n8n 2.41.1, in regular mode
 * (one n8n, its default SQLite) and in queue mode (main + 2 workers, Postgres, Redis), against the VCO
 * simulator holding 10^5 events of one enterprise in the trigger's first window (a backfill).
 *
 * Measured from the poll's start (the activation, which polls at once) to the execution's end: events/s,
 * peak RSS of main (and of the workers) with its growth over the idle instance, and how much the
 * database grew for the execution. Each mode runs the workflow three times with a fresh cursor (a new
 * copy of the workflow): once saving successful executions' data (n8n's default, to show what the
 * bundled settings save), then twice as bundled (the faster run is kept).
 *
 * Beside each bundled run, in the same instance, n8n's own floor (runN8nFloor): the same window read by
 * the bare floor's code in a trigger of its own, carried by n8n in executions of the same size into a
 * node that only counts. The archiver's time over it is what the package adds to n8n's own work.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FLOOR_DONE_TYPE, FLOOR_TRIGGER_TYPE, packFloorPackage } from './floor/floorPackage';
import { benchRow, type BenchRow } from './measure';
import { DEFAULT_MAX_EVENTS_PER_EXECUTION as ARCHIVER_EVENTS_PER_EXECUTION } from '../nodes/shared/trigger/pollTrigger';
import { archivedIds, lineCount } from '../test/support/n8n/archiveFiles';
import { findFreePortPair } from '../test/support/n8n/freePort';
import { installPackage, packPackage } from '../test/support/n8n/installPackage';
import { N8nClient, type ExecutionSummary, type WorkflowJson } from '../test/support/n8n/n8nClient';
import { startN8n, type RunningN8n } from '../test/support/n8n/n8nProcess';
import { startQueueCluster, type QueueCluster } from '../test/support/n8n/queueCluster';
import { ensureRuntime } from '../test/support/n8n/runtime';
import { startPostgres, startRedis } from '../test/support/n8n/services';
import { keepingSuccessfulExecutions, loadBundledWorkflow, withNodeParameters } from '../test/support/n8n/workflows';

/** A bench row whose `peakRssMb` is n8n main's (with its task runner). */
export interface InN8nResult extends BenchRow {
	/** in-n8n events/s over the package's pipeline outside n8n, same run (target ≥ 0.5) */
	shareOfPipeline: number;
	/** n8n's own floor for the same items (bare fetch and JSON.parse, a node that only counts them), same instance */
	n8nFloorSeconds: number;
	/** the archiver's time over n8n's floor's (target ≤ 1.5) */
	ratioToN8nFloor: number;
	/** n8n's floor's events/s over the package's pipeline outside n8n: the highest share any nodes could reach */
	n8nFloorShareOfPipeline: number;
	/** the busiest worker (n8n worker + its task runner), queue mode only */
	workerPeakRssMb?: number;
	/** largest growth of any instance over its idle size before the poll (target < 1024) */
	rssGrowthMb: number;
	/** database growth for one more execution with the bundled settings (steady state) */
	dbGrowthMb: number;
	/** the first such execution's growth: room the database keeps and later executions reuse */
	dbGrowthMbFirstExecution: number;
	/** the same if successful executions' data were saved (n8n's default) */
	dbGrowthMbSavingSuccessData: number;
}

export interface SimulatorHandle {
	url: string;
	token: string;
	enterprise1Events?: number;
	stop(): void;
}

interface Instances {
	main: RunningN8n;
	workers: RunningN8n[];
	client: N8nClient;
	filesFolder: string;
	databaseBytes(): number;
}

interface RunResult {
	events: number;
	seconds: number;
	peakRssMb: number;
	workerPeakRssMb?: number;
	rssGrowthMb: number;
	dbGrowthMb: number;
}

const HOUR = 3_600_000;
/** The trigger's first window: five hours cover the simulator's four hours of events, whenever the poll runs. */
const LOOKBACK_MINUTES = 300;

const MB = 1024 * 1024;

/** SQLite's database with its write-ahead log: what the regular instance's data takes on disk. */
function sqliteBytes(userFolder: string): number {
	return ['database.sqlite', 'database.sqlite-wal']
		.map((file) => join(userFolder, '.n8n', file))
		.reduce((total, path) => total + (existsSync(path) ? statSync(path).size : 0), 0);
}

async function listExecutions(client: N8nClient, workflowId: string): Promise<ExecutionSummary[]> {
	const result = await client.api<{ data: ExecutionSummary[] }>('GET', `/executions?workflowId=${workflowId}&limit=50&includeData=false`);
	return result.data;
}

/**
 * Activates a workflow whose first poll takes the whole window, then waits until `progress` (events
 * through) reaches `expectedEvents` and no execution of it runs any more (with the bundled settings a
 * successful execution is deleted when it ends, so it may simply vanish). Measured from the activation.
 */
async function timeWorkflow(
	instances: Instances,
	workflowId: string,
	expectedEvents: number,
	label: string,
	progress: () => number,
): Promise<Omit<RunResult, 'events'>> {
	const { client, main, workers } = instances;
	global.gc?.();
	await new Promise((resolve) => setTimeout(resolve, 2000));
	const rssBefore = [main, ...workers].map((instance) => instance.rssMb());
	for (const instance of [main, ...workers]) instance.resetPeakRss();
	const dbBefore = instances.databaseBytes();

	const started = process.hrtime.bigint();
	// Bounded; a failed execution ends the run at once (n8n would not finish it).
	const deadline = Date.now() + 30 * 60_000;
	// n8n answers the activation once the first poll (the whole 10^5-event window) is done.
	await client.activate(workflowId, 30 * 60_000);
	for (;;) {
		// A regular-mode n8n busy with the execution (or saving its data) may not answer for a minute:
		// that is "still running", not a failure.
		const executions = await listExecutions(client, workflowId).catch((error: Error) => {
			if (!/aborted/.test(error.message)) throw error;
			return [{ status: 'running' } as ExecutionSummary];
		});
		const failed = executions.find((execution) => !['new', 'running', 'success'].includes(execution.status));
		if (failed) {
			await client.deactivate(workflowId);
			const detail = await client.api<ExecutionSummary>('GET', `/executions/${failed.id}?includeData=true`).catch(() => undefined);
			const reason = detail?.data?.resultData.error?.message ?? '(no error message)';
			throw new Error(`${label}: execution ${failed.id} ended "${failed.status}" after ${progress()} of ${expectedEvents} events: ${reason}`);
		}
		// Files are read only while nothing runs, so that reading them does not slow n8n down.
		const running = executions.some((execution) => ['new', 'running'].includes(execution.status));
		if (!running && progress() >= expectedEvents) break;
		if (Date.now() > deadline) throw new Error(`${label}: not done after 30 minutes`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await client.deactivate(workflowId);
	const failed = (await listExecutions(client, workflowId)).filter((execution) => execution.status !== 'success');
	if (failed.length > 0) throw new Error(`${label}: ${failed.length} execution(s) did not succeed`);
	const peaks = [main, ...workers].map((instance) => instance.peakRssMb());
	const result: Omit<RunResult, 'events'> = {
		seconds,
		peakRssMb: peaks[0],
		rssGrowthMb: Math.max(...peaks.map((peak, index) => peak - rssBefore[index])),
		dbGrowthMb: Number(((instances.databaseBytes() - dbBefore) / MB).toFixed(1)),
	};
	if (workers.length > 0) result.workerPeakRssMb = Math.max(...peaks.slice(1));
	return result;
}

/** One backfill of the whole window by a fresh copy of the bundled archiver, every event checked once in the archive. */
async function runArchiver(
	instances: Instances,
	simulator: SimulatorHandle,
	expectedEvents: number,
	label: string,
	saveSuccessData: boolean,
): Promise<RunResult> {
	const credentialId = await instances.client.createCredential(`VCO ${label}`, 'veloCloudApi', {
		host: simulator.url,
		apiToken: simulator.token,
		accountType: 'enterprise',
		allowUnauthorizedCerts: false,
	});
	const archive = join(instances.filesFolder, label);
	let workflow = loadBundledWorkflow('velocloud-events-archiver.json');
	workflow = { ...workflow, name: `${workflow.name} ${label}` };
	workflow = withNodeParameters(workflow, 'VeloCloud Trigger', { options: { latenessMinutes: 15, lookbackMinutes: LOOKBACK_MINUTES } });
	workflow = withNodeParameters(workflow, 'Event Archive', { baseFolder: archive });
	if (saveSuccessData) workflow = keepingSuccessfulExecutions(workflow);
	const workflowId = await instances.client.createWorkflow(workflow, { 'VeloCloud Orchestrator': credentialId });

	const timed = await timeWorkflow(instances, workflowId, expectedEvents, label, () => lineCount(archive));
	const ids = archivedIds(archive);
	const events = new Set(ids).size;
	if (events !== expectedEvents || ids.length !== events) {
		throw new Error(`${label}: archived ${ids.length} lines for ${events} distinct events, expected ${expectedEvents} once each`);
	}
	rmSync(archive, { recursive: true, force: true });
	return { events, ...timed };
}

/**
 * n8n's own floor for the same work: the bare floor's requests and JSON.parse in a trigger that emits
 * the events as they came, in executions of the bundled archiver's size, into a node that only counts
 * them; the bundled workflow's settings. What n8n alone costs to carry these items.
 */
async function runN8nFloor(instances: Instances, simulator: SimulatorHandle, expectedEvents: number, label: string): Promise<RunResult> {
	const bundled = loadBundledWorkflow('velocloud-events-archiver.json');
	const archiverTrigger = bundled.nodes.find((node) => node.name === 'VeloCloud Trigger')!;
	const countFile = join(instances.filesFolder, `${label}.count`);
	writeFileSync(countFile, '');
	const now = Date.now();
	const workflow: WorkflowJson = {
		name: `n8n floor ${label}`,
		nodes: [
			{
				name: 'Floor Trigger',
				type: FLOOR_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: archiverTrigger.parameters.pollTimes,
					url: simulator.url,
					token: simulator.token,
					start: now - LOOKBACK_MINUTES * 60_000,
					end: now,
					perExecution: ARCHIVER_EVENTS_PER_EXECUTION,
				},
			},
			{ name: 'Floor Done', type: FLOOR_DONE_TYPE, typeVersion: 1, position: [300, 0], parameters: { countFile } },
		],
		connections: { 'Floor Trigger': { main: [[{ node: 'Floor Done', type: 'main', index: 0 }]] } },
		settings: bundled.settings,
	};
	const workflowId = await instances.client.createWorkflow(workflow);
	const counted = () =>
		readFileSync(countFile, 'utf8')
			.split('\n')
			.filter(Boolean)
			.reduce((total, line) => total + Number(line), 0);
	const timed = await timeWorkflow(instances, workflowId, expectedEvents, label, counted);
	const events = counted();
	if (events !== expectedEvents) throw new Error(`${label}: ${events} events went through, expected ${expectedEvents}`);
	return { events, ...timed };
}

async function benchMode(
	mode: 'regular' | 'queue',
	instances: Instances,
	simulator: SimulatorHandle,
	expectedEvents: number,
	reference: { floorEventsPerSec: number; eventsPerSec: number },
): Promise<InN8nResult> {
	// Saving first: its data stays; the bundled runs after it then show what they add (a deleted
	// execution's space is reused by the next one, so the last run shows the steady state). The n8n
	// floor and the archiver then take turns, so that neither has the warmer instance.
	const saving = await runArchiver(instances, simulator, expectedEvents, `${mode}-saving-success-data`, true);
	const runs: RunResult[] = [];
	const floors: RunResult[] = [];
	for (const turn of [1, 2]) {
		floors.push(await runN8nFloor(instances, simulator, expectedEvents, `${mode}-floor-${turn}`));
		runs.push(await runArchiver(instances, simulator, expectedEvents, `${mode}-${turn}`, false));
	}
	const fastest = (results: RunResult[]) => results.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
	const best = fastest(runs);
	const floor = fastest(floors);
	const result: InN8nResult = {
		...benchRow(`velocloud-archiver-in-n8n-${mode}`, best, reference.floorEventsPerSec, Math.max(...runs.map((run) => run.peakRssMb))),
		shareOfPipeline: Number((best.events / best.seconds / reference.eventsPerSec).toFixed(2)),
		n8nFloorSeconds: Number(floor.seconds.toFixed(2)),
		ratioToN8nFloor: Number((best.seconds / floor.seconds).toFixed(2)),
		n8nFloorShareOfPipeline: Number((floor.events / floor.seconds / reference.eventsPerSec).toFixed(2)),
		rssGrowthMb: Math.max(...runs.map((run) => run.rssGrowthMb)),
		dbGrowthMb: runs[runs.length - 1].dbGrowthMb,
		dbGrowthMbFirstExecution: runs[0].dbGrowthMb,
		dbGrowthMbSavingSuccessData: saving.dbGrowthMb,
	};
	if (mode === 'queue') result.workerPeakRssMb = Math.max(...runs.map((run) => run.workerPeakRssMb ?? 0));
	return result;
}

export async function benchInN8n(
	startSimulator: (eventCount: number, spanMs: number, anchorMs: number, extraArgs: string[]) => Promise<SimulatorHandle>,
	reference: { floorEventsPerSec: number; eventsPerSec: number },
	log: (line: string) => void,
	modes: Array<'regular' | 'queue'> = ['regular', 'queue'],
): Promise<InN8nResult[]> {
	ensureRuntime(log);
	log(`out of n8n, same run: ${JSON.stringify(reference)}`);
	// 4 × 10^5 events over 4 hours across the 4 enterprises: enterprise 1 (the token's) holds 10^5.
	const simulator = await startSimulator(400_000, 4 * HOUR, Date.now() - 60_000, ['count']);
	const expectedEvents = simulator.enterprise1Events;
	if (!expectedEvents) throw new Error('the simulator did not say how many events enterprise 1 holds');
	const root = mkdtempSync(join(tmpdir(), 'netsec-bench-n8n-'));
	const results: InN8nResult[] = [];
	try {
		const tarballs = [packPackage(join(root, 'pack')), packFloorPackage(join(root, 'floor-package'))];

		if (modes.includes('regular')) {
			log('regular mode: one n8n, SQLite');
			const regularFolder = join(root, 'regular');
			const regularFiles = join(root, 'regular-files');
			installPackage(regularFolder, ...tarballs);
			const regular = await startN8n({
				userFolder: regularFolder,
				port: await findFreePortPair(),
				env: { N8N_RESTRICT_FILE_ACCESS_TO: regularFiles },
			});
			try {
				const client = await N8nClient.connect(regular.url);
				const instances = { main: regular, workers: [], client, filesFolder: regularFiles, databaseBytes: () => sqliteBytes(regularFolder) };
				results.push(await benchMode('regular', instances, simulator, expectedEvents, reference));
				// said at once: a later mode that fails must not take this row with it
				log(JSON.stringify(results[results.length - 1]));
			} finally {
				await regular.stop();
			}
		}

		if (modes.includes('queue')) {
			log('queue mode: main + 2 workers, Postgres, Redis');
			const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
			let cluster: QueueCluster | undefined;
			try {
				const queueFiles = join(root, 'queue-files');
				cluster = await startQueueCluster({ root: join(root, 'queue'), tarballs, postgres, redis, database: 'n8n', workers: 2, filesFolder: queueFiles });
				const client = await N8nClient.connect(cluster.main.url);
				const instances = { main: cluster.main, workers: cluster.workers, client, filesFolder: queueFiles, databaseBytes: () => postgres.databaseBytes('n8n') };
				results.push(await benchMode('queue', instances, simulator, expectedEvents, reference));
				// said at once: a later mode that fails must not take this row with it
				log(JSON.stringify(results[results.length - 1]));
			} finally {
				await cluster?.stop();
				await Promise.all([postgres.stop(), redis.stop()]);
			}
		}
	} finally {
		simulator.stop();
		rmSync(root, { recursive: true, force: true });
	}
	return results;
}

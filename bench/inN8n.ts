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
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { benchRow, type BenchRow } from './measure';
import { archivedIds, lineCount } from '../test/support/n8n/archiveFiles';
import { findFreePortPair } from '../test/support/n8n/freePort';
import { installPackage, packPackage } from '../test/support/n8n/installPackage';
import { N8nClient, type ExecutionSummary } from '../test/support/n8n/n8nClient';
import { startN8n, type RunningN8n } from '../test/support/n8n/n8nProcess';
import { startQueueCluster, type QueueCluster } from '../test/support/n8n/queueCluster';
import { ensureRuntime } from '../test/support/n8n/runtime';
import { startPostgres, startRedis } from '../test/support/n8n/services';
import { keepingSuccessfulExecutions, loadBundledWorkflow, withNodeParameters } from '../test/support/n8n/workflows';

/** A bench row whose `peakRssMb` is n8n main's (with its task runner). */
export interface InN8nResult extends BenchRow {
	/** in-n8n events/s over the package's pipeline outside n8n, same run (target ≥ 0.5) */
	shareOfPipeline: number;
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
 * One backfill of the whole window by a fresh copy of the bundled workflow: activate (n8n polls at once),
 * then wait until the archive holds every event and no execution of the workflow runs any more (with
 * the bundled settings a successful execution is deleted when it ends, so it may simply vanish).
 */
async function runOnce(
	instances: Instances,
	simulator: SimulatorHandle,
	expectedEvents: number,
	label: string,
	saveSuccessData: boolean,
): Promise<RunResult> {
	const { client, main, workers } = instances;
	const credentialId = await client.createCredential(`VCO ${label}`, 'veloCloudApi', {
		host: simulator.url,
		apiToken: simulator.token,
		accountType: 'enterprise',
		allowUnauthorizedCerts: false,
	});
	const archive = join(instances.filesFolder, label);
	let workflow = loadBundledWorkflow('velocloud-events-archiver.json');
	workflow = { ...workflow, name: `${workflow.name} ${label}` };
	// Five hours of look-back cover the simulator's four hours of events, whenever the poll runs.
	workflow = withNodeParameters(workflow, 'VeloCloud Trigger', { options: { latenessMinutes: 15, lookbackMinutes: 300 } });
	workflow = withNodeParameters(workflow, 'Event Archive', { baseFolder: archive });
	if (saveSuccessData) workflow = keepingSuccessfulExecutions(workflow);
	const workflowId = await client.createWorkflow(workflow, { 'VeloCloud Orchestrator': credentialId });

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
			throw new Error(`${label}: execution ${failed.id} ended "${failed.status}" after ${lineCount(archive)} of ${expectedEvents} events: ${reason}`);
		}
		// Files are read only while nothing runs, so that reading them does not slow n8n down.
		const running = executions.some((execution) => ['new', 'running'].includes(execution.status));
		if (!running && lineCount(archive) >= expectedEvents) break;
		if (Date.now() > deadline) throw new Error(`${label}: not done after 30 minutes`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await client.deactivate(workflowId);
	const ids = archivedIds(archive);
	const events = new Set(ids).size;
	if (events !== expectedEvents || ids.length !== events) {
		throw new Error(`${label}: archived ${ids.length} lines for ${events} distinct events, expected ${expectedEvents} once each`);
	}
	const failed = (await listExecutions(client, workflowId)).filter((execution) => execution.status !== 'success');
	if (failed.length > 0) throw new Error(`${label}: ${failed.length} execution(s) did not succeed`);
	const peaks = [main, ...workers].map((instance) => instance.peakRssMb());
	const result: RunResult = {
		events,
		seconds,
		peakRssMb: peaks[0],
		rssGrowthMb: Math.max(...peaks.map((peak, index) => peak - rssBefore[index])),
		dbGrowthMb: Number(((instances.databaseBytes() - dbBefore) / MB).toFixed(1)),
	};
	if (workers.length > 0) result.workerPeakRssMb = Math.max(...peaks.slice(1));
	rmSync(archive, { recursive: true, force: true });
	return result;
}

async function benchMode(
	mode: 'regular' | 'queue',
	instances: Instances,
	simulator: SimulatorHandle,
	expectedEvents: number,
	reference: { floorEventsPerSec: number; eventsPerSec: number },
): Promise<InN8nResult> {
	// Saving first: its data stays; the bundled runs after it then show what they add (a deleted
	// execution's space is reused by the next one, so the last run shows the steady state).
	const saving = await runOnce(instances, simulator, expectedEvents, `${mode}-saving-success-data`, true);
	const runs = [await runOnce(instances, simulator, expectedEvents, `${mode}-1`, false), await runOnce(instances, simulator, expectedEvents, `${mode}-2`, false)];
	const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
	const result: InN8nResult = {
		...benchRow(`velocloud-archiver-in-n8n-${mode}`, best, reference.floorEventsPerSec, Math.max(...runs.map((run) => run.peakRssMb))),
		shareOfPipeline: Number((best.events / best.seconds / reference.eventsPerSec).toFixed(2)),
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
		const tarball = packPackage(join(root, 'pack'));

		if (modes.includes('regular')) {
			log('regular mode: one n8n, SQLite');
			const regularFolder = join(root, 'regular');
			const regularFiles = join(root, 'regular-files');
			installPackage(regularFolder, tarball);
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
				cluster = await startQueueCluster({ root: join(root, 'queue'), tarball, postgres, redis, database: 'n8n', workers: 2, filesFolder: queueFiles });
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

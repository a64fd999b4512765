/**
 * The bundled VeloCloud archiver in n8n queue mode (`npm run test:queue`): Postgres and Redis from
 * Debian's packages on loopback, one main instance and two `n8n worker` processes sharing them and one
 * archive folder, the package installed in every instance's user folder; beside them a regular-mode
 * n8n (its default SQLite) archiving the same simulated events.
 *
 * The scenario runs in order, each step starting from the state the previous one left:
 * 1. both modes archive the same polls → the same files, byte for byte; the bundled "VeloCloud events
 *    to vRLI" sends the same events to vRLI;
 * 2. main SIGKILLed between polls and restarted → the cursor (in Postgres) is kept;
 * 3. a worker SIGKILLed while it archives → n8n fails that execution (no retry); the next poll brings
 *    the events again and the archive ends with every event exactly once, with what a dead worker
 *    leaves behind put in place first (whole chunks, a chunk cut halfway, its lock file);
 * 4. every connection to the VCO came from a main instance: workers never poll.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appendBatch, lockName } from '../../nodes/EventArchive/transport/appendBatch';
import type { ArchiveFolder } from '../../nodes/EventArchive/transport/archiveFolder';
import { scriptCompatibleFolderName } from '../../nodes/EventArchive/folderNames';
import { jsonLine } from '../../nodes/shared/format/lineLayouts';
import { simulatorTls } from '../simulators/common';
import { LogInsightSimulator } from '../simulators/logInsight';
import { VeloCloudSimulator, type VcoEvent } from '../simulators/velocloud';
import { archivedIds, duplicateIds, readTree } from '../support/n8n/archiveFiles';
import { startOwnerTrackingProxy, type OwnerTrackingProxy } from '../support/n8n/connectionOwners';
import { findFreePortPair } from '../support/n8n/freePort';
import { installPackage, packPackage } from '../support/n8n/installPackage';
import { N8nClient, type ExecutionSummary } from '../support/n8n/n8nClient';
import { startN8n, type RunningN8n } from '../support/n8n/n8nProcess';
import { startQueueCluster, type QueueCluster } from '../support/n8n/queueCluster';
import { ensureRuntime } from '../support/n8n/runtime';
import { missingQueueServices, startPostgres, startRedis, type RunningPostgres, type RunningService } from '../support/n8n/services';
import { loadBundledWorkflow, waitFor, withNodeParameters } from '../support/n8n/workflows';

const MINUTE = 60_000;
const log = (line: string) => process.stdout.write(`[queue] ${line}\n`);

/**
 * Bull's defaults (a 60 s lock checked every 30 s) make a dead worker's job wait up to 90 s before n8n
 * gives up on it; the test shortens them so that step 3 takes less. Not below 30 s: a live worker
 * busy archiving (n8n evaluates the folder-key expression of every item synchronously) cannot renew
 * its lock, and Bull would fail its job as stalled too.
 */
const FAST_STALL_DETECTION = {
	QUEUE_WORKER_LOCK_DURATION: '30000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

interface Side {
	name: string;
	client: N8nClient;
	workflowId: string;
	archive: string;
}

let root: string;
let postgres: RunningPostgres;
let redis: RunningService;
let simulator: VeloCloudSimulator;
let proxy: OwnerTrackingProxy;
let regularN8n: RunningN8n;
let cluster: QueueCluster;
let regular: Side;
let queue: Side;
/** process groups of every main and worker process that ran (main and workers are restarted below) */
const mainGroups = new Set<number>();
const workerGroups = new Set<number>();
/** what n8n did when a worker died, for the run's summary */
const observed: Record<string, unknown> = {};

beforeAll(async () => {
	const missing = missingQueueServices();
	if (missing) throw new Error(missing);
	ensureRuntime(log);
	root = mkdtempSync(join(tmpdir(), 'netsec-queue-'));
	[postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	// An hour of history over the four enterprises; polls below add more.
	simulator = await new VeloCloudSimulator({ seed: 14, eventCount: 1200, spanMs: 60 * MINUTE }).start();
	proxy = await startOwnerTrackingProxy(simulator.port);

	const tarball = packPackage(join(root, 'pack'));
	installPackage(join(root, 'regular'), tarball);
	const regularFiles = join(root, 'regular-files');
	const queueFiles = join(root, 'queue-files');
	const started = Date.now();
	[regularN8n, cluster] = await Promise.all([
		findFreePortPair().then(
			async (port) =>
				await startN8n({ userFolder: join(root, 'regular'), port, env: { N8N_RESTRICT_FILE_ACCESS_TO: regularFiles }, readyTimeoutMs: 5 * MINUTE }),
		),
		startQueueCluster({
			root,
			tarball,
			postgres,
			redis,
			database: 'n8n_queue',
			workers: 2,
			filesFolder: queueFiles,
			env: FAST_STALL_DETECTION,
		}),
	]);
	log(`regular n8n and queue mode (main + 2 workers) ready in ${Math.round((Date.now() - started) / 1000)} s`);
	mainGroups.add(cluster.main.pid);
	for (const worker of cluster.workers) workerGroups.add(worker.pid);

	regular = await setUpSide('regular', regularN8n.url, join(regularFiles, 'velocloud-events'));
	queue = await setUpSide('queue', cluster.main.url, join(queueFiles, 'velocloud-events'));
}, 15 * MINUTE);

afterAll(async () => {
	await Promise.allSettled([regularN8n?.stop(), cluster?.stop()]);
	await Promise.allSettled([proxy?.close(), simulator?.stop(), postgres?.stop(), redis?.stop()]);
	log(JSON.stringify(observed));
	if (root && !process.env.KEEP_E2E_FOLDER) rmSync(root, { recursive: true, force: true });
}, 2 * MINUTE);

/** An operator account of the simulated VCO, reached through the proxy that tells who connects. */
function vcoCredentialData(): Record<string, unknown> {
	const sim = simulator.credentials();
	return {
		host: `${new URL(sim.url).protocol}//127.0.0.1:${proxy.port}`,
		username: sim.operatorUsername,
		password: sim.operatorPassword,
		accountType: 'operator',
		allowUnauthorizedCerts: false,
		caCertificate: simulatorTls().ca,
	};
}

/** The bundled workflow as users import it, with its credential, its archive folder and a backfill. */
async function setUpSide(name: string, url: string, archive: string): Promise<Side> {
	const client = await N8nClient.connect(url);
	const credentialId = await client.createCredential('VeloCloud Orchestrator', 'veloCloudApi', vcoCredentialData());
	let workflow = loadBundledWorkflow('velocloud-events-archiver.json');
	// The first activation backfills the simulator's hour of history.
	workflow = withNodeParameters(workflow, 'VeloCloud Trigger', { options: { latenessMinutes: 15, lookbackMinutes: 120 } });
	workflow = withNodeParameters(workflow, 'Event Archive', { baseFolder: archive });
	const workflowId = await client.createWorkflow(workflow, { 'VeloCloud Orchestrator': credentialId });
	return { name, client, workflowId, archive };
}

async function executions(side: Pick<Side, 'client' | 'workflowId'>): Promise<ExecutionSummary[]> {
	const result = await side.client.api<{ data: ExecutionSummary[] }>('GET', `/executions?workflowId=${side.workflowId}&limit=250&includeData=false`);
	return result.data;
}

async function noExecutionRunning(side: Pick<Side, 'client' | 'workflowId'>): Promise<boolean> {
	return (await executions(side)).every((execution) => !['new', 'running'].includes(execution.status));
}

/**
 * The bundled "VeloCloud events to vRLI" on one side, with the side's VCO credential and its own vRLI:
 * one backfill poll of everything the VCO holds; what that vRLI received, in a comparable order.
 */
async function forwardToVrli(side: Side, vrli: LogInsightSimulator, expected: number): Promise<Array<Record<string, unknown>>> {
	const vcoCredentialId = await side.client.createCredential('VeloCloud Orchestrator', 'veloCloudApi', vcoCredentialData());
	const vrliCredentialId = await side.client.createCredential('Log Insight', 'logInsightApi', {
		host: '127.0.0.1',
		protocol: 'https',
		port: vrli.port,
		agentId: vrli.options.agentId,
		caCertificate: vrli.ca ?? '',
		// a vRLI user: events keep their own timestamps
		username: vrli.options.username,
		password: vrli.options.password,
		provider: 'Local',
		allowUnauthorizedCerts: false,
	});
	const workflow = withNodeParameters(loadBundledWorkflow('velocloud-events-to-vrli.json'), 'VeloCloud Trigger', { options: { latenessMinutes: 15, lookbackMinutes: 240 } });
	const workflowId = await side.client.createWorkflow(workflow, { 'VeloCloud Orchestrator': vcoCredentialId, 'Log Insight': vrliCredentialId });
	await side.client.activate(workflowId);
	await waitFor(
		`${side.name}: every event in vRLI`,
		async () => (vrli.ingested().length >= expected && (await noExecutionRunning({ client: side.client, workflowId })) ? true : undefined),
		2 * MINUTE,
		250,
	);
	await side.client.deactivate(workflowId);
	return vrli
		.ingested()
		.map((event) => ({ text: event.text, timestamp: event.timestamp, authenticated: event.authenticated, fields: event.fields }))
		.sort((a, b) => a.timestamp - b.timestamp || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/**
 * One poll: n8n polls when a workflow is activated (its 15-minute schedule stays as users get it), and
 * the activation call returns once that poll has handed its events to an execution.
 */
async function pollAndSettle(side: Side, expectedTotal: number, what: string): Promise<void> {
	await side.client.activate(side.workflowId);
	await waitFor(
		`${side.name}: ${what}`,
		async () => (archivedIds(side.archive).length >= expectedTotal && (await noExecutionRunning(side)) ? true : undefined),
		2 * MINUTE,
		250,
	);
	await side.client.deactivate(side.workflowId);
}

function allEventIds(): number[] {
	return simulator.eventsBetween(undefined, 0, Date.now() + MINUTE).map((event) => event.id);
}

function expectEveryEventOnce(side: Side): void {
	const ids = archivedIds(side.archive);
	const expected = allEventIds();
	expect(duplicateIds(ids)).toEqual([]);
	const archived = new Set(ids);
	const missing = expected.filter((id) => !archived.has(id));
	expect({ missing: missing.length, of: expected.length }).toEqual({ missing: 0, of: expected.length });
	expect(ids).toHaveLength(expected.length);
}

/** Where each log has ended so far: later searches read only what was written after. */
function logOffsets(instances: RunningN8n[]): number[] {
	return instances.map((instance) => statSync(instance.logFile).size);
}

function logSince(instance: RunningN8n, offset: number): string {
	return readFileSync(instance.logFile).subarray(offset).toString('utf8');
}

/** The Event Archive's files over plain fs: what its transport needs to write as a worker would. */
function plainArchiveFolder(path: string): ArchiveFolder {
	mkdirSync(path, { recursive: true });
	const at = (name: string) => join(path, name);
	const ifPresent = async (operation: () => Promise<void>): Promise<boolean> => {
		try {
			await operation();
			return true;
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return false;
			throw error;
		}
	};
	return {
		path,
		open: async (name, flags) => await open(at(name), flags, 0o644),
		rename: async (from, to) => await rename(at(from), at(to)),
		renameIfPresent: async (from, to) => await ifPresent(async () => await rename(at(from), at(to))),
		unlink: async (name) => await unlink(at(name)),
		unlinkIfPresent: async (name) => void (await ifPresent(async () => await unlink(at(name)))),
		age: async (name) => {
			try {
				return Date.now() - (await stat(at(name))).mtimeMs;
			} catch {
				return undefined;
			}
		},
		size: async (name) => {
			try {
				return (await stat(at(name))).size;
			} catch {
				return 0;
			}
		},
		close: async () => {},
	};
}

/**
 * What a worker killed a moment later could have left in the archive, written with the Event Archive's
 * own append (journal record first, then the lines), as the bundled workflow configures it:
 * - enterprise A: its first 200 events written whole, and its lock file still there (aged past the
 *   minute after which a dead writer's lock is taken over: the next poll comes 15 minutes later);
 * - enterprise B: a chunk of 200 events cut halfway by the kill (the journal promises more bytes than
 *   the file holds).
 * The next execution must skip A's 200 lines, write B's 200 again, and cut B's half line.
 */
async function leaveWhatADeadWorkerLeaves(archive: string, batch: Array<{ enterpriseId: number; events: VcoEvent[] }>): Promise<{ lock: string }> {
	const node = { id: 'dead-worker', name: 'Event Archive', type: 'n8n-nodes-netsec-events.eventArchive', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const folders: string[] = [];
	for (const { enterpriseId, events } of batch.slice(0, 2)) {
		const enterpriseName = simulator.enterpriseNames.find((enterprise) => enterprise.id === enterpriseId)!.name;
		const folder = join(archive, scriptCompatibleFolderName(enterpriseName));
		const written = events.slice(0, 200);
		await appendBatch(
			plainArchiveFolder(folder),
			{
				fileName: 'events.json',
				stateName: 'events.json',
				lines: written.map((event) => jsonLine(event, 'veloCloudEvent', 'python')),
				// the bundled workflow's Event Key: {{ $json.enterpriseId }}:{{ $json.id }}
				keys: written.map((event) => `${enterpriseId}:${event.id}`),
			},
			{ node, now: Date.now(), windowMs: 60 * MINUTE },
		);
		folders.push(folder);
	}
	const [lockedFolder, cutFolder] = folders;
	const lock = join(lockedFolder, lockName('events.json'));
	writeFileSync(lock, '');
	const twoMinutesAgo = new Date(Date.now() - 2 * MINUTE);
	utimesSync(lock, twoMinutesAgo, twoMinutesAgo);
	const cutFile = join(cutFolder, 'events.json');
	const size = statSync(cutFile).size;
	const chunkBytes = batch[1].events.slice(0, 200).reduce((total, event) => total + Buffer.byteLength(jsonLine(event, 'veloCloudEvent', 'python')) + 1, 0);
	truncateSync(cutFile, size - Math.floor(chunkBytes / 2));
	return { lock };
}

describe('the bundled VeloCloud archiver in n8n queue mode (main + 2 workers, Postgres, Redis)', () => {
	it('writes the same files, byte for byte, as regular mode for the same polls', async () => {
		const history = allEventIds();
		expect(history).toHaveLength(1200);
		for (const side of [regular, queue]) await pollAndSettle(side, history.length, 'the backfill');

		// New events in two enterprises, and late ones (dated before the previous poll) in a third.
		simulator.addEvents({ enterpriseId: 1, count: 40 });
		simulator.addEvents({ enterpriseId: 2, count: 40 });
		simulator.addEvents({ enterpriseId: 3, count: 12, backdateMs: 5 * MINUTE });
		const total = history.length + 92;
		for (const side of [regular, queue]) await pollAndSettle(side, total, 'the new and late events');

		const regularFiles = readTree(regular.archive);
		const queueFiles = readTree(queue.archive);
		expect([...queueFiles.keys()]).toEqual([...regularFiles.keys()]);
		expect(queueFiles.size).toBe(4);
		for (const [path, bytes] of regularFiles) expect(queueFiles.get(path)!.equals(bytes)).toBe(true);
		expectEveryEventOnce(queue);

		// Every execution main started ran on a worker, none on main itself.
		const enqueued = [...cluster.main.logTail(100_000).matchAll(/Enqueued execution (\d+)/g)].map((match) => match[1]);
		expect(enqueued.length).toBeGreaterThanOrEqual(2);
		const workerLogs = cluster.workers.map((worker) => worker.logTail(100_000)).join('\n');
		for (const id of enqueued) expect(workerLogs).toContain(`Worker started execution ${id} `);
		expect((await executions(queue)).filter((execution) => execution.status !== 'success')).toEqual([]);
	}, 8 * MINUTE);

	it('forwards the same events to vRLI as regular mode (the bundled "VeloCloud events to vRLI")', async () => {
		const expected = allEventIds().length;
		const sinks = [new LogInsightSimulator(), new LogInsightSimulator()];
		await Promise.all(sinks.map(async (sink) => await sink.start(0)));
		try {
			const regularEvents = await forwardToVrli(regular, sinks[0], expected);
			const queueEvents = await forwardToVrli(queue, sinks[1], expected);
			expect(regularEvents).toHaveLength(expected);
			expect(queueEvents).toEqual(regularEvents);
		} finally {
			await Promise.all(sinks.map(async (sink) => await sink.stop()));
		}
	}, 6 * MINUTE);

	it('keeps the cursor when main is SIGKILLed between polls and restarted: nothing lost or repeated', async () => {
		const before = archivedIds(queue.archive).length;
		await queue.client.activate(queue.workflowId);
		await waitFor('the activation poll to settle', async () => ((await noExecutionRunning(queue)) ? true : undefined), MINUTE, 250);
		expect(archivedIds(queue.archive)).toHaveLength(before);

		await cluster.main.kill();
		// Events that arrive while main is down, some of them late.
		simulator.addEvents({ enterpriseId: 4, count: 30 });
		simulator.addEvents({ enterpriseId: 1, count: 8, backdateMs: 3 * MINUTE });
		await cluster.restartMain();
		mainGroups.add(cluster.main.pid);
		const restartedAt = Date.now();

		// The workflow is still active: the restarted main re-activates it and polls at once.
		await waitFor(
			'the restarted main to archive what arrived while it was down',
			async () => (archivedIds(queue.archive).length >= before + 38 && (await noExecutionRunning(queue)) ? true : undefined),
			2 * MINUTE,
			250,
		);
		log(`main restarted in ${Math.round(cluster.main.readySeconds)} s; what arrived meanwhile archived ${Math.round((Date.now() - restartedAt) / 1000)} s later`);
		await queue.client.deactivate(queue.workflowId);
		expectEveryEventOnce(queue);
	}, 8 * MINUTE);

	it('loses no event and writes no line twice when a worker is SIGKILLed in the middle of an archive execution', async () => {
		const before = archivedIds(queue.archive).length;
		const batch = [1, 2, 3, 4].map((enterpriseId) => ({ enterpriseId, events: simulator.addEvents({ enterpriseId, count: 500 }) }));
		const total = allEventIds().length;
		const offsets = logOffsets(cluster.workers);

		await queue.client.activate(queue.workflowId);
		const started = await waitFor(
			'a worker to start the execution',
			() => {
				for (const [index, worker] of cluster.workers.entries()) {
					const match = /Worker started execution (\d+)/.exec(logSince(worker, offsets[index]));
					if (match) return { index, executionId: match[1] };
				}
				return undefined;
			},
			2 * MINUTE,
			20,
		);
		await cluster.workers[started.index].kill();
		const killedAt = Date.now();
		const { lock } = await leaveWhatADeadWorkerLeaves(queue.archive, batch);

		// What n8n does: Bull sees the dead worker's job lock expire; n8n 2.x does not redeliver a stalled
		// job (maxStalledCount 0), and main records the execution as failed. Nothing retries it.
		const failed = await waitFor(
			"n8n to give up on the dead worker's execution",
			async () => {
				const execution = await queue.client.api<ExecutionSummary>('GET', `/executions/${started.executionId}?includeData=true`);
				return ['new', 'running'].includes(execution.status) ? undefined : execution;
			},
			3 * MINUTE,
			500,
		);
		const workerKill = {
			batch: total - before,
			executionStatus: failed.status,
			executionError: failed.data?.resultData.error?.message,
			secondsUntilN8nGaveUp: Math.round((Date.now() - killedAt) / 1000),
			archivedAfterNextPoll: 0,
		};
		observed.workerKill = workerKill;
		expect(failed.status).toBe('error');
		expect(workerKill.executionError).toMatch(/failed to be processed too many times/);

		// Back to two workers. The next poll must bring back the events the failed execution did not
		// archive, and the archive must not write again the lines already there.
		await cluster.restartWorker(started.index);
		workerGroups.add(cluster.workers[started.index].pid);
		await queue.client.deactivate(queue.workflowId);
		await queue.client.activate(queue.workflowId);
		// Bounded either way: the assertions below say what is missing or repeated.
		await waitFor('every event to be archived', () => (archivedIds(queue.archive).length >= total ? true : undefined), MINUTE, 500).catch(
			() => undefined,
		);
		await waitFor('no execution running', async () => ((await noExecutionRunning(queue)) ? true : undefined), 2 * MINUTE, 250);
		await queue.client.deactivate(queue.workflowId);
		workerKill.archivedAfterNextPoll = archivedIds(queue.archive).length - before;
		expectEveryEventOnce(queue);
		// the dead writer's lock was taken over and released
		expect(existsSync(lock)).toBe(false);
	}, 10 * MINUTE);

	it('polls only on main: no worker ever connected to the VCO', () => {
		const owners = proxy.connections;
		expect(owners.length).toBeGreaterThan(0);
		expect(owners.filter((owner) => owner.processGroup === undefined)).toEqual([]);
		const byQueueMain = owners.filter((owner) => mainGroups.has(owner.processGroup!));
		const byWorkers = owners.filter((owner) => workerGroups.has(owner.processGroup!));
		const byRegular = owners.filter((owner) => owner.processGroup === regularN8n.pid);
		expect(byWorkers).toEqual([]);
		expect(byQueueMain.length).toBeGreaterThan(0);
		expect(byQueueMain.length + byRegular.length).toBe(owners.length);
		Object.assign(observed, { vcoConnections: { queueMain: byQueueMain.length, workers: byWorkers.length, regular: byRegular.length } });
	});
});

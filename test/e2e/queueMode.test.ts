/**
 * The bundled workflows in n8n queue mode (`npm run test:queue`): Postgres and Redis from Debian's
 * packages on loopback, one main instance and two `n8n worker` processes sharing them and one archive
 * folder, the package installed in every instance's user folder; beside them a regular-mode n8n (its
 * default SQLite) running the same workflows on the same simulated input.
 *
 * The scenario runs in order, each step starting from the state the previous one left:
 * 1. both modes archive the same polls → the same files, byte for byte;
 * 2. the six other bundled workflows, all active at once in both modes, each side with its own sinks
 *    (syslog, mail, Slack-like webhook, vRLIs) → regular mode delivers every expected event exactly
 *    once, and queue mode delivers the very same messages;
 * 3. main SIGKILLed between polls and restarted → the cursor (in Postgres) is kept;
 * 4. a worker SIGKILLed while it archives → n8n fails that execution (no retry); the next poll brings
 *    the events again and the archive ends with every event exactly once, with what a dead worker
 *    leaves behind put in place first (whole chunks, a chunk cut halfway, its lock file);
 * 5. every connection to the VCO came from a main instance: workers never poll.
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
import { ForcepointSmcSimulator } from '../simulators/forcepointSmc';
import { IllumioSimulator } from '../simulators/illumio';
import { LogInsightSimulator } from '../simulators/logInsight';
import { NetworkInsightSimulator } from '../simulators/networkInsight';
import { startSinks, type SinkSet } from '../simulators/sinks';
import { VeloCloudSimulator, type VcoEvent } from '../simulators/velocloud';
import { archivedIds, duplicateIds, readTree } from '../support/n8n/archiveFiles';
import { startOwnerTrackingProxy, type OwnerTrackingProxy } from '../support/n8n/connectionOwners';
import { vrliCredentialData } from '../support/n8n/credentialData';
import { findFreePortPair } from '../support/n8n/freePort';
import { installPackage, packPackage } from '../support/n8n/installPackage';
import { N8nClient, type ExecutionSummary, type WorkflowJson } from '../support/n8n/n8nClient';
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

/**
 * A main killed seconds after an activation left that workflow's publication (n8n 2.41 activates
 * workflows through a publication outbox in Postgres) "in progress"; the restarted main re-activated the
 * workflow, and polled, only once that lease had expired: 120 s by default, which made step 3 wait
 * about 110 s after main was up (1 s with these). 30 s keeps well above what an activation here takes (n8n aborts a
 * publication after 70 % of the lease), and the outbox is looked at every 2 s instead of 15 s.
 */
const FAST_PUBLICATION_RECOVERY = {
	N8N_WORKFLOW_PUBLICATION_OUTBOX_LEASE_SECONDS: '30',
	N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '2000',
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
			tarballs: [tarball],
			postgres,
			redis,
			database: 'n8n_queue',
			workers: 2,
			filesFolder: queueFiles,
			env: { ...FAST_STALL_DETECTION, ...FAST_PUBLICATION_RECOVERY },
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

/** Where the other bundled workflows read from: one simulated appliance of each kind, shared by both modes. */
interface Sources {
	illumio: IllumioSimulator;
	smc: ForcepointSmcSimulator;
	vrni: NetworkInsightSimulator;
}

/** What one side's workflows deliver to: its own syslog, mail and Slack-like webhook sinks and vRLIs. */
interface Receivers {
	sinks: SinkSet;
	vrliForVco: LogInsightSimulator;
	vrliForSmc: LogInsightSimulator;
	vrliForVrni: LogInsightSimulator;
}

/** The bundled workflows of one side beside the archiver, by file name. */
type BundledIds = Record<string, string>;

async function startReceivers(): Promise<Receivers> {
	const vrli = async () => {
		const sim = new LogInsightSimulator();
		await sim.start(0);
		return sim;
	};
	const [sinks, vrliForVco, vrliForSmc, vrliForVrni] = await Promise.all([
		startSinks({ plainHttp: true, ports: { syslogUdp: 0, syslogTcp: 0, syslogTls: 0, smtp: 0, webhook: 0 } }),
		vrli(),
		vrli(),
		vrli(),
	]);
	return { sinks, vrliForVco, vrliForSmc, vrliForVrni };
}

async function stopReceivers(receivers: Receivers): Promise<void> {
	await Promise.allSettled([receivers.sinks.stop(), receivers.vrliForVco.stop(), receivers.vrliForSmc.stop(), receivers.vrliForVrni.stop()]);
}

/**
 * The daily vRNI flow archive fires at 00:30; here its schedule fires once, at `fireAt` (UTC, the
 * workflow's time zone), so that n8n's own schedule starts it in both modes (in queue mode: on a worker).
 */
function dailyFlowsFiringAt(fireAt: Date): WorkflowJson {
	const bundled = loadBundledWorkflow('vrni-flows-to-vrli-daily.json');
	const once = `${fireAt.getUTCSeconds()} ${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
	const workflow = withNodeParameters(bundled, 'Every Day at 00:30', { rule: { interval: [{ field: 'cronExpression', expression: once }] } });
	return { ...workflow, settings: { ...workflow.settings, timezone: 'UTC' } };
}

/**
 * The six bundled workflows other than the archiver, imported on one side with that side's receivers,
 * each changed only where a test must: the VeloCloud and Illumio triggers backfill what the simulators
 * hold, Slack's URL is the webhook sink's, Send Email accepts the mail sink's certificate; the daily
 * vRNI archive comes last (`importDailyFlows`), with its schedule firing once at `fireAt`.
 */
async function importBundledWorkflows(
	side: Side,
	sources: Sources,
	receivers: Receivers,
): Promise<{ ids: BundledIds; importDailyFlows: (fireAt: Date) => Promise<string> }> {
	const { client } = side;
	const { sinks } = receivers;
	const pce = sources.illumio.credentials();
	const smc = sources.smc.credentials();
	const smtp = sinks.credentials().smtp;
	const syslog = sinks.syslog.credentials();
	const credential = async (name: string, type: string, data: Record<string, unknown>) => await client.createCredential(name, type, data);
	const [vco, illumio, forcepoint, vrni, mail, syslogReceiver, vrliForVco, vrliForSmc, vrliForVrni] = await Promise.all([
		credential('VeloCloud Orchestrator', 'veloCloudApi', vcoCredentialData()),
		credential('Illumio PCE', 'illumioApi', {
			url: pce.url,
			authUsername: pce.apiKeyUser,
			apiKeySecret: pce.apiKeySecret,
			orgId: pce.orgId,
			allowUnauthorizedCerts: false,
			caCertificate: simulatorTls().ca,
		}),
		credential('Forcepoint SMC', 'forcepointSmcApi', {
			url: smc.url,
			apiKey: smc.apiKey,
			apiVersion: '',
			domain: smc.domain,
			allowUnauthorizedCerts: false,
			caCertificate: simulatorTls().ca,
		}),
		credential('Network Insight', 'networkInsightApi', {
			authType: 'onPrem',
			host: sources.vrni.url,
			username: sources.vrni.options.username,
			password: sources.vrni.options.password,
			domainType: 'LOCAL',
			caCertificate: sources.vrni.ca ?? '',
			allowUnauthorizedCerts: false,
		}),
		credential('SMTP', 'smtp', { host: smtp.host, port: smtp.port, user: smtp.user, password: smtp.password, secure: false, disableStartTls: false }),
		credential('Syslog Receiver', 'syslogReceiver', {
			host: syslog.host,
			port: syslog.tlsPort,
			transport: 'tls',
			framing: 'octetCounting',
			caCertificate: sinks.credentials().ca,
			allowUnauthorizedCerts: false,
		}),
		credential('Log Insight for VeloCloud', 'logInsightApi', vrliCredentialData(receivers.vrliForVco)),
		credential('Log Insight for SMC', 'logInsightApi', vrliCredentialData(receivers.vrliForSmc)),
		credential('Log Insight for vRNI', 'logInsightApi', vrliCredentialData(receivers.vrliForVrni)),
	]);
	// the mail sink's certificate comes from the simulators' CA, which n8n's mail node does not trust
	const trustingTheMailSink = (workflow: WorkflowJson) => withNodeParameters(workflow, 'Send Email', { options: { appendAttribution: false, allowUnauthorizedCerts: true } });
	const backfillingVco = (fileName: string) =>
		withNodeParameters(loadBundledWorkflow(fileName), 'VeloCloud Trigger', { options: { latenessMinutes: 15, lookbackMinutes: 240 } });
	let illumioWorkflow = withNodeParameters(loadBundledWorkflow('illumio-event-notifications.json'), 'Illumio Trigger', { options: { lookbackMinutes: 90 } });
	illumioWorkflow = withNodeParameters(trustingTheMailSink(illumioWorkflow), 'Post to Slack', { url: sinks.credentials().webhook.slackUrl });

	const create = async (workflow: WorkflowJson, ids: Record<string, string>) => await client.createWorkflow(workflow, ids);
	const ids: BundledIds = {};
	ids['velocloud-events-to-vrli'] = await create(backfillingVco('velocloud-events-to-vrli.json'), { 'VeloCloud Orchestrator': vco, 'Log Insight': vrliForVco });
	ids['velocloud-events-to-siem'] = await create(backfillingVco('velocloud-events-to-siem.json'), { 'VeloCloud Orchestrator': vco, 'Syslog Receiver': syslogReceiver });
	ids['illumio-event-notifications'] = await create(illumioWorkflow, { 'Illumio PCE': illumio, SMTP: mail, 'Syslog Receiver': syslogReceiver });
	ids['smc-element-changes-to-notifications'] = await create(trustingTheMailSink(loadBundledWorkflow('smc-element-changes-to-notifications.json')), {
		'Forcepoint SMC': forcepoint,
		'SMTP sink': mail,
	});
	ids['smc-alerts-to-log-insight'] = await create(loadBundledWorkflow('smc-alerts-to-log-insight.json'), { 'Forcepoint SMC': forcepoint, 'Log Insight': vrliForSmc });
	const importDailyFlows = async (fireAt: Date) =>
		(ids['vrni-flows-to-vrli-daily'] = await create(dailyFlowsFiringAt(fireAt), { 'Network Insight': vrni, 'Log Insight': vrliForVrni }));
	return { ids, importDailyFlows };
}

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/** What one side's receivers hold, each in an order that does not depend on which worker ran what. */
function delivered(receivers: Receivers) {
	const sorted = <T>(values: T[]) => values.map((value) => JSON.stringify(value)).sort();
	const syslog = receivers.sinks.syslog.messages.map((message) => message.message);
	const mails = receivers.sinks.smtp.mails.map(({ from, to, subject, text, html }) => ({ from, to, subject, text, html }));
	const vrli = (sim: LogInsightSimulator) => sim.ingested().map(({ text, timestamp, authenticated, fields }) => ({ text, timestamp, authenticated, fields }));
	return {
		cefLines: sorted(syslog.filter((message) => message.includes('CEF:0|'))),
		otherSyslogLines: sorted(syslog.filter((message) => !message.includes('CEF:0|'))),
		illumioMails: sorted(mails.filter((mail) => mail.from === 'n8n@example.com')),
		// An SMC element change carries no time of its own: the trigger stamps when this n8n received it.
		smcMails: sorted(mails.filter((mail) => mail.from !== 'n8n@example.com'))
			.map((mail) => mail.replace(ISO_TIME, '(received)'))
			.sort(),
		webhooks: sorted(receivers.sinks.webhook.received.map(({ service, path, status, error, body }) => ({ service, path, status, error, body }))),
		vcoInVrli: sorted(vrli(receivers.vrliForVco)),
		smcInVrli: sorted(vrli(receivers.vrliForSmc)),
		vrniInVrli: sorted(vrli(receivers.vrliForVrni)),
	};
}

type Delivered = ReturnType<typeof delivered>;

async function noExecutionRunningOn(client: N8nClient): Promise<boolean> {
	const result = await client.api<{ data: ExecutionSummary[] }>('GET', '/executions?limit=250&includeData=false');
	return result.data.every((execution) => !['new', 'running'].includes(execution.status));
}

/** How many times each of `needles` occurs in `haystacks` (one count per needle, each haystack counted once). */
function occurrences(haystacks: string[], needles: string[]): number[] {
	return needles.map((needle) => haystacks.filter((haystack) => haystack.includes(needle)).length);
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

describe('the bundled workflows in n8n queue mode (main + 2 workers, Postgres, Redis)', () => {
	it('writes the same files, byte for byte, as regular mode for the same polls', async () => {
		const history = allEventIds();
		expect(history).toHaveLength(1200);
		// The two modes side by side: each has its own archive, and both read the same simulator.
		await Promise.all([regular, queue].map(async (side) => await pollAndSettle(side, history.length, 'the backfill')));

		// New events in two enterprises, and late ones (dated before the previous poll) in a third.
		simulator.addEvents({ enterpriseId: 1, count: 40 });
		simulator.addEvents({ enterpriseId: 2, count: 40 });
		simulator.addEvents({ enterpriseId: 3, count: 12, backdateMs: 5 * MINUTE });
		const total = history.length + 92;
		await Promise.all([regular, queue].map(async (side) => await pollAndSettle(side, total, 'the new and late events')));

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

	it('gives the same output as regular mode for the six other bundled workflows, run side by side, every event exactly once', async () => {
		const DAY_S = 86_400;
		// Small volumes: an hour of PCE events, a few SMC changes and alerts, three days of vRNI flows.
		const illumio = new IllumioSimulator({ seed: 14, eventCount: 150, spanMs: 60 * MINUTE });
		const smc = new ForcepointSmcSimulator({ seed: 14, logCount: 50 });
		const vrni = new NetworkInsightSimulator({ seed: 14, flowCount: 600, spanMs: 3 * DAY_S * 1000 });
		const sources: Sources = { illumio, smc, vrni };
		const receivers: Receivers[] = [];
		const sides = [regular, queue];
		const bundled: BundledIds[] = [];
		try {
			await Promise.all([illumio.start(), smc.start(0), vrni.start(0)]);
			receivers.push(...(await Promise.all(sides.map(async () => await startReceivers()))));
			const logins = [...illumio.eventsBetween(0, Date.now() + MINUTE), ...illumio.addEvents(3, { event_type: 'user.login' })].filter(
				(event) => event.event_type === 'user.login',
			);
			// each event's uuid (the end of its href): the Slack message and the mail link to the event with it
			const loginUuids = logins.map((event) => event.href.slice(event.href.lastIndexOf('/') + 1));
			const vcoEventIds = allEventIds();

			const mainOffset = statSync(cluster.main.logFile).size;
			const workerOffsets = logOffsets(cluster.workers);
			const imported = await Promise.all(sides.map(async (side, index) => await importBundledWorkflows(side, sources, receivers[index])));
			bundled.push(...imported.map(({ ids }) => ids));
			await Promise.all(
				sides.map(async (side, index) => {
					for (const workflowId of Object.values(bundled[index])) await side.client.activate(workflowId);
				}),
			);
			// The daily schedule, once the others are active: it fires once, a little later, in both modes.
			// Activations that end too close to that moment (a loaded machine) are undone and tried again
			// with a later one, so the schedule never fires before both modes hold it.
			let fireAt = new Date(0);
			for (let attempt = 1; ; attempt++) {
				fireAt = new Date(Math.ceil((Date.now() + 15_000 * attempt) / 1000) * 1000);
				const dailyIds = await Promise.all(
					sides.map(async (side, index) => {
						const id = await imported[index].importDailyFlows(fireAt);
						await side.client.activate(id);
						return id;
					}),
				);
				if (Date.now() < fireAt.getTime() - 2000) break;
				await Promise.all(sides.map(async (side, index) => await side.client.deactivate(dailyIds[index])));
				if (attempt === 3) throw new Error('activating the daily vRNI workflow took longer than 43 s three times');
			}
			const midnight = Math.floor(fireAt.getTime() / 1000 / DAY_S) * DAY_S;
			const flowTimes = vrni
				.flowsBetween(midnight - DAY_S, midnight - 1)
				.filter((flow) => {
					const tags = vrni.flow(flow.entity_id)!.flow_tag as string[];
					return tags.includes('TAG_SRC_IP_VM') || tags.includes('TAG_DST_IP_VM');
				})
				.map((flow) => flow.time * 1000);
			expect(flowTimes.length).toBeGreaterThan(0);

			// Both SMC triggers listen (element changes: a subscription; alerts: a live log query): then the SMC changes.
			await waitFor('both modes listening to the SMC', () => {
				const activity = smc.activity();
				return activity.subscriptions === 2 && activity.fetches.current === 2 ? true : undefined;
			}, MINUTE, 100);
			const created = smc.elementChange('network', 'create', 'queue-mode-e2e');
			smc.elementChange('network', 'update', undefined, created.id);
			smc.elementChange('network', 'delete', undefined, created.id);
			const alertIds = smc
				.addLogs(150)
				.filter((record) => record.fields[34] === 3)
				.map((record) => String(record.fields[2]));
			expect(alertIds.length).toBeGreaterThan(0);

			const expectedCounts: Record<keyof Delivered, number> = {
				cefLines: vcoEventIds.length,
				otherSyslogLines: logins.length,
				illumioMails: logins.length,
				smcMails: 3,
				webhooks: logins.length,
				vcoInVrli: vcoEventIds.length,
				smcInVrli: alertIds.length,
				vrniInVrli: flowTimes.length,
			};
			const counts = (output: Delivered) => Object.fromEntries(Object.entries(output).map(([key, values]) => [key, values.length]));
			const everythingIn = (output: Delivered) => Object.entries(expectedCounts).every(([key, count]) => output[key as keyof Delivered].length >= count);
			await waitFor(
				'every workflow of both modes to deliver everything and finish',
				async () => {
					for (const [index, side] of sides.entries()) if (!everythingIn(delivered(receivers[index])) || !(await noExecutionRunningOn(side.client))) return undefined;
					return true;
				},
				3 * MINUTE,
				250,
			).catch((error: Error) => {
				throw new Error(`${error.message}; expected ${JSON.stringify(expectedCounts)}, got ${JSON.stringify(receivers.map((side) => counts(delivered(side))))}`);
			});
			await Promise.all(sides.map(async (side, index) => await Promise.all(Object.values(bundled[index]).map(async (id) => await side.client.deactivate(id)))));

			const [regularOutput, queueOutput] = receivers.map(delivered);
			// Regular mode delivered every expected event exactly once, and nothing else...
			expect(counts(regularOutput)).toEqual(expectedCounts);
			const numerically = (a: number, b: number) => a - b;
			const everyVcoEvent = [...vcoEventIds].sort(numerically);
			expect(regularOutput.cefLines.map((line) => Number(/externalId=(\d+)/.exec(line)?.[1])).sort(numerically)).toEqual(everyVcoEvent);
			const vcoEventIdField = (event: string) => (JSON.parse(event) as { fields: Array<{ name: string; content?: string }> }).fields.find((field) => field.name === 'vco_event_id')?.content;
			expect(regularOutput.vcoInVrli.map((event) => Number(vcoEventIdField(event))).sort(numerically)).toEqual(everyVcoEvent);
			for (const channel of [regularOutput.illumioMails, regularOutput.webhooks]) expect(occurrences(channel, loginUuids)).toEqual(loginUuids.map(() => 1));
			// a syslog line carries the event's own time (the three added events share one)
			const syslogTimes = regularOutput.otherSyslogLines.map((line) => /^"<\d+>1 (\S+) /.exec(line)?.[1]).sort();
			expect(syslogTimes).toEqual(logins.map((event) => event.timestamp).sort());
			const smcSubjects = regularOutput.smcMails.map((mail) => (JSON.parse(mail) as { subject: string }).subject);
			expect(occurrences(smcSubjects, ['create', 'update', 'delete'])).toEqual([1, 1, 1]);
			expect(regularOutput.smcInVrli.map((event) => /LogId=(\d+)/.exec(event)?.[1]).sort()).toEqual([...alertIds].sort());
			expect(regularOutput.vrniInVrli.map((event) => (JSON.parse(event) as { timestamp: number }).timestamp).sort(numerically)).toEqual(flowTimes);
			// ...and queue mode delivered the very same messages, byte for byte.
			expect(queueOutput).toEqual(regularOutput);

			// Every execution of these workflows main started ran on a worker, and none failed on either side.
			const enqueued = [...logSince(cluster.main, mainOffset).matchAll(/Enqueued execution (\d+)/g)].map((match) => match[1]);
			expect(enqueued.length).toBeGreaterThanOrEqual(Object.keys(bundled[1]).length);
			const workerLogs = cluster.workers.map((worker, index) => logSince(worker, workerOffsets[index])).join('\n');
			for (const id of enqueued) expect(workerLogs).toContain(`Worker started execution ${id} `);
			for (const [index, side] of sides.entries()) {
				for (const workflowId of Object.values(bundled[index])) {
					expect((await executions({ client: side.client, workflowId })).filter((execution) => execution.status !== 'success')).toEqual([]);
				}
			}
		} finally {
			await Promise.allSettled(sides.flatMap((side, index) => Object.values(bundled[index] ?? {}).map(async (id) => await side.client.deactivate(id))));
			await Promise.allSettled([...receivers.map(stopReceivers), illumio.stop(), smc.stop(), vrni.stop()]);
		}
	}, 8 * MINUTE);

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

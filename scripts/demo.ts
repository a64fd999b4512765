/**
 * `npm run demo`: the simulated appliances (a steady trickle of new events), a real n8n on
 * http://127.0.0.1:5678 with this package installed as a community package, a credential per simulated
 * appliance and every bundled workflow imported and active. Ctrl-C stops everything.
 *
 * What outlives a restart lives in .demo/: n8n's user folder (login, credentials, workflows, the
 * trigger's cursor), the simulators' CA, their history (simulators/: the same events, ids and times on
 * every start, new ids after the last one given out) and state.json (the API key, credential ids).
 * Delete .demo/ to start over.
 *
 * Ports and pace: `npm run demo -- --help` (flags, or DEMO_* environment variables).
 *
 * Run as `node --import tsx scripts/demo.ts`: one process. Under the tsx CLI a parent process relays
 * Ctrl-C and SIGKILLs the demo when the child does not confirm within 30 ms (a busy machine), which left
 * n8n running with nobody reading its log.
 *
 * A vendor adds ONE block to VENDORS below: its ports, how to start its simulator (journaled, so a
 * restart never reuses an id), and the credentials its nodes need, named as its bundled workflows name
 * them. test/unit/demo/appliances.test.ts restarts every block and checks ids, times and credential types.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { installPackage, packPackage } from '../test/support/n8n/installPackage';
import { N8nClient, type WorkflowJson } from '../test/support/n8n/n8nClient';
import { startN8n, type RunningN8n } from '../test/support/n8n/n8nProcess';
import { step } from '../test/support/n8n/progress';
import { ensureRuntime, FIRST_INSTALL_COST, PROJECT_ROOT, runtimeIsReady } from '../test/support/n8n/runtime';
import { demoSimulatorTls, n8nTrustingDemoCa } from '../test/support/n8n/trust';
import { simulatorCaFile } from '../test/simulators/common';
import { F as SMC_FIELD, ForcepointSmcSimulator, type SmcChangeRecord } from '../test/simulators/forcepointSmc';
import { IllumioSimulator, type IllumioAddedEventRecord } from '../test/simulators/illumio';
import { DEFAULT_PORTS } from '../test/simulators/index';
import { LogInsightSimulator } from '../test/simulators/logInsight';
import { NetworkInsightSimulator, type Position as NetworkInsightFlowRecord } from '../test/simulators/networkInsight';
import { DEFAULT_SINK_PORTS, startSinks } from '../test/simulators/sinks';
import { VeloCloudSimulator, type VcoAddedEventRecord } from '../test/simulators/velocloud';
import { journalFor, type ApplianceContext, type DemoAppliance, type DemoVendor } from './demo/appliances';
import { bootProgress, HARMLESS_N8N_LINES, meaningfulTail } from './demo/n8nLog';
import { N8N_PORT_KEY, parseDemoOptions, portOfError, portInUseLine, portProblems, RUNNER_PORT_KEY, usage, type DemoPort } from './demo/ports';
import { provisionDemo } from './demo/provision';

const DEMO_DIR = join(PROJECT_ROOT, '.demo');
const USER_FOLDER = join(DEMO_DIR, 'n8n');
const FILES_DIR = join(DEMO_DIR, 'files');

const log = (line: string) => console.log(`[demo] ${line}`);
const shown = (path: string) => relative(process.cwd(), path) || '.';

// -------------------------------------------------------------------------------------------------
// One block per vendor.
// -------------------------------------------------------------------------------------------------

/** TLS settings of every demo credential: verify, and trust the simulators' CA. */
const trusting = (context: ApplianceContext) => ({ allowUnauthorizedCerts: false, caCertificate: context.tls.ca });

export const VENDORS: DemoVendor[] = [
	{
		title: 'VeloCloud Orchestrator simulator',
		ports: [{ key: 'vco', what: 'VeloCloud Orchestrator simulator', defaultPort: DEFAULT_PORTS.vco }],
		async start(context) {
			const journal = journalFor<VcoAddedEventRecord>(context, 'vco');
			const vco = new VeloCloudSimulator({ trickleMs: context.trickleMs, anchorMs: journal.anchorMs });
			vco.restoreAddedEvents(journal.added);
			vco.onEventAdded = (record) => journal.append(record);
			await vco.start(context.port('vco'), { tls: context.tls });
			const login = vco.credentials();
			return {
				where: vco.url,
				credentials: [
					// The operator sees every simulated enterprise, so the archiver writes one folder per enterprise.
					{
						name: 'VeloCloud Orchestrator',
						type: 'veloCloudApi',
						data: { host: login.url, username: login.operatorUsername, password: login.operatorPassword, accountType: 'operator', ...trusting(context) },
					},
					{
						name: 'VeloCloud Orchestrator (enterprise token)',
						type: 'veloCloudApi',
						data: { host: login.url, apiToken: login.token, accountType: 'enterprise', ...trusting(context) },
					},
				],
				history: {
					addEvent: () => void vco.addEvents(),
					events: () => vco.eventsBetween(undefined, 0, Number.MAX_SAFE_INTEGER).map((event) => ({ id: event.id, timeMs: Date.parse(event.eventTime) })),
				},
				stop: () => vco.stop(),
			};
		},
	},
	{
		title: 'Illumio PCE simulator',
		ports: [{ key: 'illumio', what: 'Illumio PCE simulator', defaultPort: DEFAULT_PORTS.illumio }],
		async start(context) {
			const journal = journalFor<IllumioAddedEventRecord>(context, 'illumio');
			const pce = new IllumioSimulator({ trickleMs: context.trickleMs, anchorMs: journal.anchorMs });
			pce.restoreAddedEvents(journal.added);
			pce.onEventAdded = (record) => journal.append(record);
			await pce.start(context.port('illumio'), { tls: context.tls });
			const login = pce.credentials();
			return {
				where: pce.url,
				credentials: [
					{
						name: 'Illumio PCE',
						type: 'illumioApi',
						data: { url: login.url, authUsername: login.apiKeyUser, apiKeySecret: login.apiKeySecret, orgId: login.orgId, ...trusting(context) },
					},
				],
				history: {
					addEvent: () => void pce.addEvents(1),
					events: () => pce.eventsBetween(0, Number.MAX_SAFE_INTEGER).map((event) => ({ id: event.href, timeMs: Date.parse(event.timestamp) })),
				},
				stop: () => pce.stop(),
			};
		},
	},
	{
		title: 'Forcepoint SMC simulator',
		ports: [{ key: 'smc', what: 'Forcepoint SMC simulator', defaultPort: DEFAULT_PORTS.smc }],
		async start(context) {
			// Log records (alerts among them), element changes and session-table entries: a restart keeps
			// them and numbers what follows after them.
			const journal = journalFor<SmcChangeRecord>(context, 'smc');
			const smc = new ForcepointSmcSimulator({ trickleMs: context.trickleMs, anchorMs: journal.anchorMs });
			smc.restoreChanges(journal.added);
			smc.onChange = (record) => journal.append(record);
			await smc.start(context.port('smc'), { tls: context.tls });
			const login = smc.credentials();
			return {
				where: smc.url,
				credentials: [
					{
						name: 'Forcepoint SMC',
						type: 'forcepointSmcApi',
						data: { url: login.url, apiKey: login.apiKey, apiVersion: login.apiVersion, domain: login.domain, ...trusting(context) },
					},
				],
				history: {
					addEvent: () => void smc.addLogs(1),
					events: () => smc.storedLogs().map((record) => ({ id: record.fields[SMC_FIELD.LOGID] as number, timeMs: record.fields[SMC_FIELD.TIMESTAMP] as number })),
				},
				stop: () => smc.stop(),
			};
		},
	},
	{
		title: 'vRealize Network Insight simulator',
		ports: [{ key: 'vrni', what: 'Network Insight simulator', defaultPort: DEFAULT_PORTS.vrni }],
		async start(context) {
			const journal = journalFor<NetworkInsightFlowRecord>(context, 'vrni');
			const vrni = new NetworkInsightSimulator({ trickleMs: context.trickleMs, anchorMs: journal.anchorMs });
			vrni.restoreAddedFlows(journal.added);
			vrni.onFlowAdded = (flow) => journal.append(flow);
			await vrni.start(context.port('vrni'), { tls: context.tls });
			const login = vrni.credentials();
			return {
				where: vrni.url,
				credentials: [
					{
						name: 'Network Insight',
						type: 'networkInsightApi',
						data: { authType: 'onPrem', host: login.url, username: login.username, password: login.password, domainType: 'LOCAL', ...trusting(context) },
					},
				],
				history: {
					addEvent: () => void vrni.addFlows(1),
					events: () => vrni.flowsBetween(0, Number.MAX_SAFE_INTEGER).map((flow) => ({ id: flow.entity_id, timeMs: flow.time * 1000 })),
				},
				stop: () => vrni.stop(),
			};
		},
	},
	{
		title: 'vRealize Log Insight simulator (ingestion)',
		ports: [{ key: 'vrli', what: 'Log Insight simulator', defaultPort: DEFAULT_PORTS.vrli }],
		async start(context) {
			const vrli = new LogInsightSimulator();
			await vrli.start(context.port('vrli'), { tls: context.tls });
			const login = vrli.credentials();
			const url = new URL(login.url);
			return {
				where: vrli.url,
				credentials: [
					// With a vRLI user, the daily flow archive keeps each flow's own time.
					{
						name: 'Log Insight',
						type: 'logInsightApi',
						data: {
							host: url.hostname,
							protocol: 'https',
							port: Number(url.port),
							agentId: login.agentId,
							username: login.username,
							password: login.password,
							provider: 'Local',
							...trusting(context),
						},
					},
				],
				history: 'receives only',
				stop: () => vrli.stop(),
			};
		},
	},
	{
		title: 'local sinks (syslog, mail, chat webhooks)',
		ports: [
			{ key: 'syslog-udp', what: 'syslog sink (UDP)', defaultPort: DEFAULT_SINK_PORTS.syslogUdp, protocol: 'udp' },
			{ key: 'syslog-tcp', what: 'syslog sink (TCP)', defaultPort: DEFAULT_SINK_PORTS.syslogTcp },
			{ key: 'syslog-tls', what: 'syslog sink (TLS)', defaultPort: DEFAULT_SINK_PORTS.syslogTls },
			{ key: 'smtp', what: 'mail sink (SMTP)', defaultPort: DEFAULT_SINK_PORTS.smtp },
			{ key: 'webhook', what: 'chat webhook sink', defaultPort: DEFAULT_SINK_PORTS.webhook },
		],
		async start(context) {
			const sinks = await startSinks({
				tls: context.tls,
				ports: {
					syslogUdp: context.port('syslog-udp'),
					syslogTcp: context.port('syslog-tcp'),
					syslogTls: context.port('syslog-tls'),
					smtp: context.port('smtp'),
					webhook: context.port('webhook'),
				},
			});
			const { syslog, smtp, webhook } = sinks.credentials();
			return {
				where: `what they received: ${webhook.sinksUrl}`,
				credentials: [
					{
						name: 'Syslog sink (TLS)',
						type: 'syslogReceiver',
						data: { host: syslog.host, port: syslog.tlsPort, transport: 'tls', framing: 'octetCounting', ...trusting(context) },
					},
					{
						name: 'SMTP sink',
						type: 'smtp',
						data: { host: smtp.host, port: smtp.port, user: smtp.user, password: smtp.password, secure: false, disableStartTls: false },
					},
				],
				history: 'receives only',
				// The bundled workflows post to a Slack webhook placeholder: in the demo, to the sink. A
				// placeholder node shipped disabled ("put your URL here and enable the node") is enabled, as
				// a user does once the URL is theirs: otherwise n8n passes its input through and posts nothing.
				adaptWorkflow: (workflow) => ({
					...workflow,
					nodes: workflow.nodes.map((node) => {
						if (typeof node.parameters.url !== 'string' || !node.parameters.url.startsWith('https://hooks.slack.com/')) return node;
						const { disabled: _disabled, ...enabled } = node;
						return { ...enabled, parameters: { ...node.parameters, url: webhook.slackUrl } };
					}),
				}),
				stop: () => sinks.stop(),
			};
		},
	},
];

// -------------------------------------------------------------------------------------------------

/**
 * On its first activation the demo's archiver also archives this much of the simulator's history, so a
 * first start shows archive files at once rather than after the next quarter hour (a trigger that
 * starts from now finds nothing on its first poll). Later starts continue from the trigger's cursor.
 */
export const DEMO_ARCHIVE_BACKFILL_MINUTES = 60;

const EVENT_ARCHIVE_TYPE = 'n8n-nodes-netsec-events.eventArchive';
const VELOCLOUD_TRIGGER_TYPE = 'n8n-nodes-netsec-events.veloCloudTrigger';

/** Archive folders point into `filesFolder` (which the demo n8n may write); the archiver backfills on first start. */
function forDemo(workflow: WorkflowJson, filesFolder: string): WorkflowJson {
	const archives = workflow.nodes.some((node) => node.type === EVENT_ARCHIVE_TYPE);
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => {
			if (node.type === EVENT_ARCHIVE_TYPE) return { ...node, parameters: { ...node.parameters, baseFolder: join(filesFolder, 'velocloud-events') } };
			if (archives && node.type === VELOCLOUD_TRIGGER_TYPE) {
				const options = { ...(node.parameters.options as Record<string, unknown> | undefined), lookbackMinutes: DEMO_ARCHIVE_BACKFILL_MINUTES };
				return { ...node, parameters: { ...node.parameters, options } };
			}
			return node;
		}),
	};
}

/**
 * Every bundled workflow, fitted to the demo: archives under `filesFolder` (.demo/files), and as each
 * appliance needs it.
 */
export function demoWorkflows(appliances: readonly DemoAppliance[], filesFolder = FILES_DIR): WorkflowJson[] {
	const folder = join(PROJECT_ROOT, 'workflows');
	return readdirSync(folder)
		.filter((name) => name.endsWith('.json'))
		.map((name) => forDemo(JSON.parse(readFileSync(join(folder, name), 'utf8')) as WorkflowJson, filesFolder))
		.map((workflow) => appliances.reduce((adapted, appliance) => appliance.adaptWorkflow?.(adapted) ?? adapted, workflow));
}

/** `npm run build`, its output kept back unless it fails. */
function build(): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed:\n${output}`))));
	});
}

/** The ports' one-line summary, printed once everything listens. */
function portSummary(ports: readonly DemoPort[]): string {
	return ports.map((entry) => `${entry.port} ${entry.what} (${entry.flag})`).join(', ');
}

async function main(): Promise<void> {
	// Ctrl-C also ends whatever reads the demo's output (`npm run demo | tee demo.log`): writing to it then
	// fails, and that must not kill the demo before it has stopped n8n, whose log still flows through it.
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
	const specs = VENDORS.flatMap((vendor) => vendor.ports);
	if (process.argv.includes('--help')) {
		console.log(usage(specs));
		return;
	}
	const options = parseDemoOptions(process.argv.slice(2), process.env, specs);
	const ports = options.ports;
	const port = (key: string) => ports.find((entry) => entry.key === key)!.port;
	// Before anything long, and again once the long steps are done: one line per port something else holds.
	const refuseBusyPorts = async () => {
		const problems = await portProblems(ports);
		if (problems.length === 0) return;
		for (const problem of problems) console.error(`[demo] ${problem}`);
		process.exit(1);
	};
	await refuseBusyPorts();

	const firstRun = !runtimeIsReady();
	log(
		firstRun
			? `first run: installs the pinned n8n (${FIRST_INSTALL_COST}), then boots it for the first time (1-3 min). Later starts take 1-4 min.`
			: 'starting: build, simulators, n8n (1-4 min)',
	);
	await step(log, { what: 'building the package', expect: 'under a minute' }, build);
	ensureRuntime(log, '[demo]');
	await refuseBusyPorts();

	mkdirSync(FILES_DIR, { recursive: true });
	// One CA for the life of .demo: the credentials made on the first run keep trusting it.
	const tlsFolder = join(DEMO_DIR, 'simulator-tls');
	const tls = demoSimulatorTls(tlsFolder);

	const logFile = join(USER_FOLDER, 'n8n.log');
	let n8nStarted = false;
	const appliances: DemoAppliance[] = [];
	let n8n: RunningN8n | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping');
		await n8n?.stop();
		await Promise.all(appliances.map((appliance) => appliance.stop()));
		process.exit(code);
	};
	// `on`, not `once`: a second Ctrl-C (or the terminal's SIGINT and another one) must not end the demo
	// halfway through stopping n8n, whose log still flows through this process.
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	// Whatever ends the demo, n8n does not outlive it.
	process.once('exit', () => {
		if (n8n) {
			try {
				process.kill(n8n.pid, 'SIGTERM');
			} catch {
				// already stopped
			}
		}
	});

	try {
		for (const vendor of VENDORS) {
			const appliance = await vendor.start({
				port,
				tls,
				trickleMs: options.trickleMs,
				stateFolder: join(DEMO_DIR, 'simulators'),
			});
			appliances.push(appliance);
			log(`${vendor.title}: ${appliance.where}  (credentials ${appliance.credentials.map((credential) => `"${credential.name}"`).join(', ')})`);
		}
		log(`the simulators' CA: ${shown(simulatorCaFile(tlsFolder))} (the demo credentials trust it)`);

		await step(log, { what: 'installing this package into n8n\'s user folder', expect: '10-40 s' }, async () =>
			installPackage(USER_FOLDER, packPackage(join(DEMO_DIR, 'pack'))),
		);
		const firstBoot = !existsSync(join(USER_FOLDER, '.n8n', 'database.sqlite'));
		const logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
		log(`n8n's log: ${shown(logFile)}`);
		n8nStarted = true;
		n8n = await step(
			log,
			{
				what: 'starting n8n',
				expect: firstBoot ? 'a first start sets up its database: 1-3 min' : 'under a minute, up to 3 min on a busy machine',
				howFar: () => bootProgress(logFile, logOffset),
			},
			() =>
				startN8n({
					userFolder: USER_FOLDER,
					port: port(N8N_PORT_KEY),
					env: {
						N8N_RUNNERS_BROKER_PORT: String(port(RUNNER_PORT_KEY)),
						N8N_RESTRICT_FILE_ACCESS_TO: FILES_DIR,
						// n8n's own Send Email and HTTP Request nodes have no CA field: they reach the sinks through this.
						...n8nTrustingDemoCa(tlsFolder),
						// The values n8n uses today, set explicitly: its log stops warning that they will change.
						N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
						N8N_RUNNERS_TASK_TIMEOUT: '300',
						N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
						N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
					},
					ownProcessGroup: false,
				}),
		);

		await provisionDemo({
			url: n8n.url,
			demoFolder: DEMO_DIR,
			credentials: appliances.flatMap((appliance) => appliance.credentials),
			workflows: demoWorkflows(appliances),
			log,
		});
	} catch (error) {
		const busy = portOfError(error, ports);
		const message = error instanceof Error ? error.message : String(error);
		// n8n's own failures carry its whole log tail: the filtered one follows instead.
		if (busy) console.error(`[demo] ${portInUseLine(busy)}`);
		else console.error(`[demo] ${n8nStarted ? message.split('\n')[0] : message}`);
		if (n8nStarted) console.error(`[demo] the end of n8n's log (${shown(logFile)}), expected lines left out:\n${meaningfulTail(logFile)}`);
		await stop(1);
		return;
	}

	const owner = N8nClient.owner;
	log('');
	log(`n8n is ready on ${n8n.url}  (login ${owner.email} / ${owner.password})`);
	log(`archives are written under ${shown(FILES_DIR)}`);
	log(`ports: ${portSummary(ports)}; move any with its flag or DEMO_* variable (npm run demo -- --help)`);
	log(`n8n's log: ${shown(n8n.logFile)} (expected there and harmless: ${HARMLESS_N8N_LINES.map((harmless) => harmless.label).join(', ')}; see the README's demo section)`);
	log('credentials point at the simulated appliances; edit them to use a real one');
	log('Ctrl-C stops n8n and the simulators; a restart continues where this one stopped (delete .demo/ to start over)');
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}

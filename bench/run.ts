/**
 * `npm run bench [-- --json]`: throughput and memory of each pipeline against the simulators, beside a
 * floor measured in the same run (the same HTTP requests and JSON.parse, nothing else).
 *
 * VeloCloud pipeline: page through a window holding 10^5 events of one enterprise (the simulator
 * holds 10^6) with the package's transport, through n8n's own request helper (n8n-core), then write
 * them as NDJSON archive lines (the Event Archive's serialisation and whole-line chunks) to a file.
 * Each is run twice and the faster run is kept; peak RSS is sampled every 20 ms during the pipeline.
 *
 * vRNI → vRLI (vrni-flows-to-vrli): 10^4 flows searched, fetched in bulk, turned into the daily archive's
 * lines and fields and sent to vRLI in batches with a session, beside a floor of the same requests with
 * fetch and JSON only. vRLI ingestion (vrli-ingest): 10^5 events prepared by the package's rules and sent
 * in 500s, beside the same events sent raw. `--only=vrni` (or vrli, velocloud) runs some rows.
 * Syslog Send pipeline: 10^5 CEF lines through the Syslog Send node's execute (RFC 5424 header per
 * item, octet counting, one TCP connection, confirmed by the receiver's clean close) to the syslog
 * sink in its own process, beside a bare net.Socket writing the same number of frames of the same
 * size to the same sink and waiting for the same close.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { benchInN8n } from './inN8n';
import { benchRow, firstLine, timed, type BenchRow } from './measure';
import { benchIllumioTrigger } from './illumio';
import { veloCloudFloor as floor } from './floor/vcoFloor';
import { benchVeloCloudTriggerWindows } from './velocloudTrigger';
import { wholeLineChunks } from '../nodes/EventArchive/transport/appendBatch';
import { scriptCompatibleFolderName } from '../nodes/EventArchive/folderNames';
import { jsonLine } from '../nodes/shared/format/lineLayouts';
import { httpSendFromN8n } from '../nodes/shared/transport/http';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { execute as syslogSendExecute } from '../nodes/SyslogSend/actions/send.operation';
import { collectEvents, VeloCloudClient } from '../nodes/VeloCloud/transport';
import { n8nHttpRequest } from '../test/support/n8nHttp';
import { ingestBody, prepareEvent, sendSplittingRefusals, VRLI_BATCH_BYTES, type PreparedEvent } from '../nodes/LogInsight/events';
import { vrniFlowEvent } from '../nodes/LogInsight/presets/vrniFlow';
import { LogInsightClient, readLogInsightCredentials } from '../nodes/LogInsight/transport';
import { NetworkInsightClient, pageItems, readNetworkInsightCredentials, searchWithDetails } from '../nodes/NetworkInsight/transport';
import { chunkByCountAndBytes } from '../nodes/shared/node/batching';
import { benchSmcLiveLogs } from './smcLiveLogs';

const HOUR = 3_600_000;
const SIMULATOR_START_MS = 60_000;

async function startSimulator(eventCount: number, spanMs: number, anchorMs: number, extraArgs: string[] = []) {
	const { line, stop } = await firstLine('simulatorProcess.ts', [eventCount, spanMs, anchorMs, ...extraArgs], SIMULATOR_START_MS);
	const credentials = JSON.parse(line) as { url: string; token: string; enterprise1Events?: number };
	return { ...credentials, stop };
}

/** The pipeline: the package's transport and paging, then the archive's lines written in whole-line chunks. */
async function veloCloudPipeline(url: string, token: string, start: number, end: number, folder: string): Promise<number> {
	const client = new VeloCloudClient(httpSendFromN8n(n8nHttpRequest()), {
		baseUrl: url,
		apiToken: token,
		accountType: 'enterprise',
		tls: { skipVerification: false },
	});
	const events = await collectEvents(client, [], { start, end });
	const file = join(folder, `${scriptCompatibleFolderName(String(events[0]?.enterpriseName ?? 'none'))}.events.json`);
	for (const chunk of wholeLineChunks(
		events.map((event) => jsonLine(event, 'veloCloudEvent', 'python')),
		1024 * 1024,
	)) {
		appendFileSync(file, chunk.bytes);
	}
	if (statSync(file).size === 0) throw new Error('nothing archived');
	return events.length;
}

async function benchVeloCloud(): Promise<BenchRow> {
	// 10^6 events over 10 h across 4 enterprises: enterprise 1 holds 10^5 of them in the last 4 h.
	const anchor = Date.now() - 60_000;
	const simulator = await startSimulator(1_000_000, 10 * HOUR, anchor);
	const start = anchor - 4 * HOUR + 1;
	const end = anchor;
	const folder = mkdtempSync(join(tmpdir(), 'netsec-bench-'));
	try {
		return await floorAndPipeline(
			'velocloud-events-to-ndjson-archive',
			() => floor(simulator.url, simulator.token, start, end),
			() => veloCloudPipeline(simulator.url, simulator.token, start, end, folder),
			async () => undefined,
		);
	} finally {
		simulator.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// vRNI → vRLI and vRLI ingestion
// ---------------------------------------------------------------------------------------------

interface VrniVrliSimulators {
	vrni: { url: string; username: string; password: string };
	vrli: { url: string; port: number; agentId: string; username: string; password: string };
	stop: () => void;
}

async function startVrniVrli(flowCount: number, spanMs: number, anchorMs: number): Promise<VrniVrliSimulators> {
	const { line, stop } = await firstLine('vrniVrliSimulatorProcess.ts', [flowCount, spanMs, anchorMs], SIMULATOR_START_MS);
	return { ...(JSON.parse(line) as Omit<VrniVrliSimulators, 'stop'>), stop };
}

async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	const text = await response.text();
	if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
	return JSON.parse(text);
}

async function vrliSession(sims: VrniVrliSimulators): Promise<string> {
	const login = (await postJson(`${sims.vrli.url}/api/v1/sessions`, JSON.stringify({ username: sims.vrli.username, password: sims.vrli.password, provider: 'Local' }))) as { sessionId: string };
	return login.sessionId;
}

/** The floor: the same vRNI searches and bulk fetches, then the same number of vRLI requests, with fetch and JSON only. */
async function vrniFloor(sims: VrniVrliSimulators, start: number, end: number): Promise<number> {
	const { token } = (await postJson(`${sims.vrni.url}/api/ni/auth/token`, JSON.stringify({ username: sims.vrni.username, password: sims.vrni.password, domain: { domain_type: 'LOCAL' } }))) as { token: string };
	const auth = { authorization: `NetworkInsight ${token}` };
	const flows: Array<{ entity: Record<string, unknown>; time: number }> = [];
	const request: Record<string, unknown> = { entity_type: 'Flow', size: 1000, time_range: { start_time: Math.floor(start / 1000), end_time: Math.floor(end / 1000) } };
	for (;;) {
		const page = (await postJson(`${sims.vrni.url}/api/ni/search`, JSON.stringify(request), auth)) as { results: Array<{ entity_id: string; entity_type: string; time: number }>; cursor: string | null };
		const fetched = (await postJson(`${sims.vrni.url}/api/ni/entities/fetch`, JSON.stringify({ entity_ids: page.results }), auth)) as { results: Array<{ entity: Record<string, unknown>; time: number }> };
		for (const result of fetched.results) flows.push({ entity: result.entity, time: result.time });
		if (!page.cursor) break;
		request.cursor = page.cursor;
	}
	const session = await vrliSession(sims);
	for (let i = 0; i < flows.length; i += 500) {
		// As many fields as the archive's events carry, from the entity's first ten properties, as plain strings.
		const events = flows.slice(i, i + 500).map((flow) => ({
			text: `vRNI-Flow: ${String(flow.entity.name)}`,
			timestamp: flow.time * 1000,
			fields: Object.entries(flow.entity).slice(0, 10).map(([name, value]) => ({ name, content: String(value) })),
		}));
		await postJson(`${sims.vrli.url}/api/v1/events/ingest/${sims.vrli.agentId}`, JSON.stringify({ events }), { authorization: `Bearer ${session}` });
	}
	return flows.length;
}

/** The daily archive's work: search, bulk fetch, the script's line and fields, vRLI batches under its limits, with a session. */
async function vrniFlowsToVrli(sims: VrniVrliSimulators, start: number, end: number): Promise<number> {
	const send = httpSendFromN8n(n8nHttpRequest());
	const vrni = new NetworkInsightClient(send, readNetworkInsightCredentials({ authType: 'onPrem', host: sims.vrni.url, username: sims.vrni.username, password: sims.vrni.password, domainType: 'LOCAL' }));
	const vrli = new LogInsightClient(send, readLogInsightCredentials({ host: '127.0.0.1', protocol: 'http', port: sims.vrli.port, agentId: sims.vrli.agentId, username: sims.vrli.username, password: sims.vrli.password }));
	const now = Date.now();
	const prepared: PreparedEvent[] = [];
	try {
		for await (const page of searchWithDetails(vrni, { entityType: 'Flow', filter: '', window: { start, end }, pageSize: 1000, limit: Number.POSITIVE_INFINITY })) {
			for (const item of pageItems(page)) {
				const flow = vrniFlowEvent(item, { timeZone: 'UTC', pythonBytesName: false });
				if (!flow.ok) throw new Error(flow.message);
				const event = prepareEvent(flow.event, { authenticated: vrli.authenticated, now });
				if (!event.ok) throw new Error(event.message);
				prepared.push(event.event);
			}
		}
		return await ingestAll(vrli, prepared);
	} finally {
		await vrni.close();
		await vrli.close();
	}
}

async function ingestAll(vrli: LogInsightClient, prepared: PreparedEvent[]): Promise<number> {
	let ingested = 0;
	for (const batch of chunkByCountAndBytes(prepared, { maxCount: 500, ...VRLI_BATCH_BYTES })) {
		const outcomes = await sendSplittingRefusals(batch, async (part) => await vrli.ingest(ingestBody(part)));
		ingested += outcomes.filter((outcome) => outcome.ok).length;
	}
	return ingested;
}

function syntheticEvents(count: number, now: number): Array<{ text: string; timestamp: number; fields: Array<{ name: string; content: string }> }> {
	return Array.from({ length: count }, (_, i) => ({
		text: `VCO-Event: ${new Date(now - i * 1000).toISOString()} WARNING LINK_DEAD Edge-${i % 50} Link GE${i % 4} is no longer alive on edge ${i % 50}`,
		timestamp: now - i * 1000,
		fields: [
			{ name: 'vco_event', content: 'LINK_DEAD' },
			{ name: 'vco_edge_name', content: `Edge-${i % 50}` },
			{ name: 'vco_enterprise_id', content: String(1 + (i % 4)) },
		],
	}));
}

/** vRLI ingestion alone: prepared by the package's rules and sent in 500s, against the same bodies sent raw. */
async function vrliIngest(sims: VrniVrliSimulators, events: ReturnType<typeof syntheticEvents>, raw: boolean): Promise<number> {
	if (raw) {
		const session = await vrliSession(sims);
		for (let i = 0; i < events.length; i += 500) {
			await postJson(`${sims.vrli.url}/api/v1/events/ingest/${sims.vrli.agentId}`, JSON.stringify({ events: events.slice(i, i + 500) }), { authorization: `Bearer ${session}` });
		}
		return events.length;
	}
	const vrli = new LogInsightClient(httpSendFromN8n(n8nHttpRequest()), readLogInsightCredentials({ host: '127.0.0.1', protocol: 'http', port: sims.vrli.port, agentId: sims.vrli.agentId, username: sims.vrli.username, password: sims.vrli.password }));
	const now = Date.now();
	const prepared = events.map((event) => {
		const result = prepareEvent(event, { authenticated: vrli.authenticated, now });
		if (!result.ok) throw new Error(result.message);
		return result.event;
	});
	try {
		return await ingestAll(vrli, prepared);
	} finally {
		await vrli.close();
	}
}

/** Runs floor and pipeline twice each, keeps the faster runs, and checks both moved the same number of events. */
async function floorAndPipeline(name: string, floorRun: () => Promise<number>, pipelineRun: () => Promise<number>, between: () => Promise<void>): Promise<BenchRow> {
	const floors: number[] = [];
	const runs: Array<{ seconds: number; peakRssMb: number; events: number }> = [];
	for (let round = 0; round < 2; round++) {
		const floorResult = await timed(floorRun);
		floors.push(floorResult.value / floorResult.seconds);
		await between();
		global.gc?.();
		const run = await timed(pipelineRun);
		if (run.value !== floorResult.value) throw new Error(`${name}: pipeline moved ${run.value} events, floor ${floorResult.value}`);
		runs.push({ seconds: run.seconds, peakRssMb: run.peakRssMb, events: run.value });
		await between();
		global.gc?.();
	}
	const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
	return benchRow(name, best, Math.max(...floors), Math.max(...runs.map((run) => run.peakRssMb)));
}

async function benchVrni(): Promise<BenchRow[]> {
	// 10^4 flows in the hour before the anchor; vRLI keeps what it receives, so it is cleared between runs.
	const anchor = Date.now() - 60_000;
	const sims = await startVrniVrli(10_000, HOUR, anchor);
	const clear = async () => {
		await fetch(`${sims.vrli.url}/__sim/vrli/clear`, { method: 'POST' });
	};
	try {
		const flows = await floorAndPipeline(
			'vrni-flows-to-vrli',
			() => vrniFloor(sims, anchor - HOUR, anchor),
			() => vrniFlowsToVrli(sims, anchor - HOUR, anchor),
			clear,
		);
		if (flows.events !== 10_000) throw new Error(`vrni-flows-to-vrli moved ${flows.events} flows, not 10^4`);
		const events = syntheticEvents(100_000, Date.now());
		const ingest = await floorAndPipeline('vrli-ingest', () => vrliIngest(sims, events, true), () => vrliIngest(sims, events, false), clear);
		return [flows, ingest];
	} finally {
		sims.stop();
	}
}

/** The syslog sink's child process: its port, and how many messages it has received so far. */
async function startSyslogSink() {
	const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'syslogSinkProcess.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
	const lines = createInterface({ input: child.stdout });
	const nextLine = (what: string) =>
		new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`syslog sink: no ${what} within 60 s`)), 60_000);
			lines.once('line', (text) => {
				clearTimeout(timer);
				resolve(text);
			});
		});
	const { tcpPort } = JSON.parse(await nextLine('port')) as { tcpPort: number };
	return {
		tcpPort,
		count: async () => {
			child.stdin.write('count\n');
			return (JSON.parse(await nextLine('count')) as { count: number }).count;
		},
		stop: () => child.kill('SIGTERM'),
	};
}

/**
 * The floor: a bare socket writing ready-made frames in 64 KiB chunks, as the node does (backpressure
 * honoured), then end and the receiver's close. Only making the messages and the bookkeeping are left out.
 */
async function syslogFloor(port: number, frames: Buffer[]): Promise<number> {
	const socket = connect(port, '127.0.0.1');
	await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
	const perChunk = Math.max(1, Math.floor((64 * 1024) / frames[0].length));
	for (let start = 0; start < frames.length; start += perChunk) {
		if (!socket.write(Buffer.concat(frames.slice(start, start + perChunk)))) await new Promise((resolve) => socket.once('drain', resolve));
	}
	socket.end();
	await new Promise<void>((resolve, reject) => socket.once('close', (hadError) => (hadError ? reject(new Error('floor: reset')) : resolve())));
	return frames.length;
}

/** Syslog Send's own execute (what the node file delegates to), with the few context calls it makes answered from plain objects. */
async function syslogSendPipeline(port: number, items: INodeExecutionData[]): Promise<number> {
	const parameters: IDataObject = {
		receiverFrom: 'parameters',
		host: '127.0.0.1',
		port,
		transport: 'tcp',
		framing: 'octetCounting',
		customCa: '',
		allowUnauthorizedCerts: false,
		input: 'field',
		messageField: 'cef',
		header: 'rfc5424',
		facility: 16,
		severity: 4,
	};
	const context = {
		getInputData: () => items,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) =>
			name === 'options' ? { hostname: 'vco.example.com', appName: 'velocloud', msgId: items[itemIndex].json.event, timestamp: items[itemIndex].json.eventTime } : (parameters[name] ?? fallback),
		getNode: () => ({ name: 'Syslog Send', type: 'n8n-nodes-netsec-events.syslogSend', typeVersion: 1, parameters: {}, id: 'bench', position: [0, 0] }),
		getTimezone: () => 'UTC',
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
	const [results] = await syslogSendExecute.call(context);
	if (results.some((result) => result.json.sent !== true)) throw new Error('Syslog Send reported an item not sent');
	return results.length;
}

async function benchSyslogSend(): Promise<BenchRow> {
	const count = 100_000;
	const sink = await startSyslogSink();
	try {
		const start = Date.parse('2021-10-23T06:00:00.000Z');
		const items: INodeExecutionData[] = Array.from({ length: count }, (_, index) => ({
			json: {
				event: 'LINK_DEAD',
				eventTime: new Date(start + index * 1000).toISOString(),
				cef: `CEF:0|VMware|VeloCloud Orchestrator|5.0|LINK_DEAD|Link GE${index % 8} is no longer alive|7|dvchost=Edge-SIN-${String(index % 100).padStart(2, '0')} cs1=Global Segment`,
			},
		}));
		// the same number of frames, each the size the node writes for item 0 (header and all)
		const sample = `<132>1 2021-10-23T06:00:00.000Z vco.example.com velocloud - LINK_DEAD - ${items[0].json.cef as string}`;
		const frame = Buffer.from(`${Buffer.byteLength(sample)} ${sample}`);
		const frames = Array.from({ length: count }, () => Buffer.from(frame));
		const floors: number[] = [];
		const runs: Array<{ seconds: number; peakRssMb: number }> = [];
		let expected = 0;
		for (let round = 0; round < 2; round++) {
			const floorRun = await timed(() => syslogFloor(sink.tcpPort, frames));
			expected += count;
			floors.push(floorRun.value / floorRun.seconds);
			global.gc?.();
			const run = await timed(() => syslogSendPipeline(sink.tcpPort, items));
			expected += count;
			runs.push({ seconds: run.seconds, peakRssMb: run.peakRssMb });
			global.gc?.();
		}
		const received = await sink.count();
		if (received !== expected) throw new Error(`syslog sink received ${received} messages, expected ${expected}`);
		const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
		return benchRow('syslog-send', { events: count, seconds: best.seconds }, Math.max(...floors), Math.max(...runs.map((run) => run.peakRssMb)));
	} finally {
		sink.stop();
	}
}

async function main(): Promise<void> {
	// --only=<prefix> runs the rows whose name starts with it (velocloud, illumio, vrni, vrli...).
	const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	const wanted = (name: string) => !only || name.startsWith(only);
	const results = [
		...(wanted('velocloud') ? [await benchVeloCloud()] : []),
		...(wanted('velocloud') ? await benchVeloCloudTriggerWindows() : []),
		...(wanted('illumio') ? [await benchIllumioTrigger()] : []),
		...(wanted('vrni') || wanted('vrli') ? await benchVrni() : []),
		...(wanted('syslog') ? [await benchSyslogSend()] : []),
		...(wanted('smc') ? [await benchSmcLiveLogs()] : []),
	];
	if (process.argv.some((arg) => arg === '--n8n' || arg.startsWith('--n8n='))) {
		// The bundled archiver inside a real n8n, regular and queue mode, beside the rows above.
		const pipeline = results.find((result) => result.pipeline === 'velocloud-events-to-ndjson-archive');
		if (!pipeline) throw new Error('--n8n needs the velocloud rows (leave --only out, or --only=velocloud)');
		// --n8n=queue (or =regular) runs one mode only
		const modeArg = process.argv.find((arg) => arg.startsWith('--n8n='))?.slice('--n8n='.length);
		const modes: Array<'regular' | 'queue'> = modeArg === 'regular' || modeArg === 'queue' ? [modeArg] : ['regular', 'queue'];
		results.push(...(await benchInN8n(startSimulator, pipeline, (line) => process.stderr.write(`[bench] ${line}\n`), modes)));
	}
	if (process.argv.includes('--json')) {
		for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
		return;
	}
	console.table(results);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});

/**
 * `npm run bench [-- --json]`: throughput and memory of each pipeline against the simulators, beside a
 * floor measured in the same run (the same HTTP requests and JSON.parse, nothing else).
 *
 * VeloCloud pipeline: page through a window holding 10^5 events of one enterprise (the simulator
 * holds 10^6) with the package's transport, through n8n's own request helper (n8n-core), then write
 * them as NDJSON archive lines (the Event Archive's serialisation and whole-line chunks) to a file.
 * Each is run twice and the faster run is kept; peak RSS is sampled every 20 ms during the pipeline.
 *
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

import { veloCloudEventLine, wholeLineChunks } from '../nodes/EventArchive/lines';
import { safeFolderKey } from '../nodes/EventArchive/archivePath';
import { httpSendFromN8n } from '../nodes/shared/transport/http';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { execute as syslogSendExecute } from '../nodes/SyslogSend/actions/send.operation';
import { collectEvents, VeloCloudClient } from '../nodes/VeloCloud/transport';
import { n8nHttpRequest } from '../test/unit/helpers/n8nHttp';

interface Result {
	pipeline: string;
	events: number;
	seconds: number;
	eventsPerSec: number;
	floorEventsPerSec: number;
	ratioToFloor: number;
	peakRssMb: number;
}

const HOUR = 3_600_000;

async function startSimulator(eventCount: number, spanMs: number, anchorMs: number) {
	const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'simulatorProcess.ts'), String(eventCount), String(spanMs), String(anchorMs)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('simulator did not start within 60 s')), 60_000);
		createInterface({ input: child.stdout! }).once('line', (text) => {
			clearTimeout(timer);
			resolve(text);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
	});
	const credentials = JSON.parse(line) as { url: string; token: string };
	return { ...credentials, stop: () => child.kill('SIGTERM') };
}

/** The floor: the same paged requests with fetch and JSON.parse, nothing kept. */
async function floor(url: string, token: string, start: number, end: number): Promise<number> {
	let count = 0;
	let params: Record<string, unknown> = { interval: { start, end }, filter: { limit: 2048 } };
	for (;;) {
		const response = await fetch(`${url}/portal/rest/event/getEnterpriseEvents`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
			body: JSON.stringify(params),
		});
		const page = JSON.parse(await response.text()) as { data: unknown[]; metaData: { more: boolean; nextPageLink?: string } };
		count += page.data.length;
		if (!page.metaData.more || !page.metaData.nextPageLink) return count;
		params = { interval: { start, end }, filter: { limit: 2048 }, nextPageLink: page.metaData.nextPageLink, limit: 2048 };
	}
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
	const file = join(folder, `${safeFolderKey(events[0]?.enterpriseName ?? 'none')}.events.json`);
	for (const chunk of wholeLineChunks(events.map((event) => veloCloudEventLine(event, 'python')))) {
		appendFileSync(file, chunk);
	}
	if (statSync(file).size === 0) throw new Error('nothing archived');
	return events.length;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
	let peak = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const started = process.hrtime.bigint();
	try {
		const value = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: Math.round(peak / 1024 / 1024) };
	} finally {
		clearInterval(sampler);
	}
}

async function benchVeloCloud(): Promise<Result> {
	// 10^6 events over 10 h across 4 enterprises: enterprise 1 holds 10^5 of them in the last 4 h.
	const anchor = Date.now() - 60_000;
	const simulator = await startSimulator(1_000_000, 10 * HOUR, anchor);
	const start = anchor - 4 * HOUR + 1;
	const end = anchor;
	const folder = mkdtempSync(join(tmpdir(), 'netsec-bench-'));
	try {
		const floors: number[] = [];
		const runs: Array<{ seconds: number; peakRssMb: number; events: number }> = [];
		for (let round = 0; round < 2; round++) {
			const floorRun = await timed(() => floor(simulator.url, simulator.token, start, end));
			floors.push(floorRun.value / floorRun.seconds);
			global.gc?.();
			const run = await timed(() => veloCloudPipeline(simulator.url, simulator.token, start, end, folder));
			if (run.value !== floorRun.value) throw new Error(`pipeline saw ${run.value} events, floor ${floorRun.value}`);
			runs.push({ seconds: run.seconds, peakRssMb: run.peakRssMb, events: run.value });
			global.gc?.();
		}
		const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
		const floorEventsPerSec = Math.max(...floors);
		const eventsPerSec = best.events / best.seconds;
		return {
			pipeline: 'velocloud-events-to-ndjson-archive',
			events: best.events,
			seconds: Number(best.seconds.toFixed(2)),
			eventsPerSec: Math.round(eventsPerSec),
			floorEventsPerSec: Math.round(floorEventsPerSec),
			ratioToFloor: Number((floorEventsPerSec / eventsPerSec).toFixed(2)),
			peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
		};
	} finally {
		simulator.stop();
		rmSync(folder, { recursive: true, force: true });
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

async function benchSyslogSend(): Promise<Result> {
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
		const floorEventsPerSec = Math.max(...floors);
		const eventsPerSec = count / best.seconds;
		return {
			pipeline: 'syslog-send',
			events: count,
			seconds: Number(best.seconds.toFixed(2)),
			eventsPerSec: Math.round(eventsPerSec),
			floorEventsPerSec: Math.round(floorEventsPerSec),
			ratioToFloor: Number((floorEventsPerSec / eventsPerSec).toFixed(2)),
			peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
		};
	} finally {
		sink.stop();
	}
}

async function main(): Promise<void> {
	const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	const benches: Record<string, () => Promise<Result>> = { 'velocloud-events-to-ndjson-archive': benchVeloCloud, 'syslog-send': benchSyslogSend };
	const results: Result[] = [];
	for (const [name, bench] of Object.entries(benches)) if (!only || only === name) results.push(await bench());
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

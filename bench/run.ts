/**
 * `npm run bench [-- --json]`: throughput and memory of each pipeline against the simulators, beside a
 * floor measured in the same run (the same HTTP requests and JSON.parse, nothing else).
 *
 * VeloCloud pipeline: page through a window holding 10^5 events of one enterprise (the simulator
 * holds 10^6) with the package's transport, through n8n's own request helper (n8n-core), then write
 * them as NDJSON archive lines (the Event Archive's serialisation and whole-line chunks) to a file.
 * Each is run twice and the faster run is kept; peak RSS is sampled every 20 ms during the pipeline.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { benchInN8n } from './inN8n';
import { veloCloudEventLine, wholeLineChunks } from '../nodes/EventArchive/lines';
import { safeFolderKey } from '../nodes/EventArchive/archivePath';
import { httpSendFromN8n } from '../nodes/shared/transport/http';
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

async function startSimulator(eventCount: number, spanMs: number, anchorMs: number, extraArgs: string[] = []) {
	const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'simulatorProcess.ts'), String(eventCount), String(spanMs), String(anchorMs), ...extraArgs], {
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
	const credentials = JSON.parse(line) as { url: string; token: string; enterprise1Events?: number };
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

async function main(): Promise<void> {
	const results: object[] = [await benchVeloCloud()];
	if (process.argv.includes('--n8n')) {
		// The bundled archiver inside a real n8n, regular and queue mode, beside the rows above.
		const pipeline = results.find((result) => (result as Result).pipeline === 'velocloud-events-to-ndjson-archive') as Result;
		results.push(...(await benchInN8n(startSimulator, pipeline, (line) => process.stderr.write(`[bench] ${line}\n`))));
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

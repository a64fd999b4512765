/**
 * `smc-live-logs`: live log records through the Forcepoint SMC Trigger's transport and decoding (the
 * REST login, the `ws` socket with keep-alive and backpressure, the live query, records into items),
 * beside a floor in the same run: a bare `ws` client on the same socket that only JSON.parses. The
 * simulator runs in its own process and renders each burst before sending it; the clock runs from the
 * first record to the last.
 */
import { WebSocket } from 'ws';

import { ForcepointSmcClient } from '../nodes/ForcepointSmc/transport/client';
import { liveLogSource } from '../nodes/ForcepointSmc/trigger/sources';
import { logQueryRequest, type FormatSpec } from '../nodes/ForcepointSmc/transport/monitoring';
import { httpSendFromN8n } from '../nodes/shared/transport/http';
import { n8nHttpRequest } from '../test/support/n8nHttp';
import { benchRow, firstLine, type BenchRow } from './measure';

const RECORDS = 100_000;
const FORMAT: FormatSpec = { fieldFormat: 'name', fieldIds: [1, 2, 4, 7, 8, 9, 10, 14, 27] };

interface Simulator {
	url: string;
	apiKey: string;
	stop(): void;
}

async function startSimulator(): Promise<Simulator> {
	const { line, stop } = await firstLine('smcSimulatorProcess.ts', [], 60_000);
	return { ...(JSON.parse(line) as { url: string; apiKey: string }), stop };
}

async function control(simulator: Simulator, path: string, body: unknown): Promise<unknown> {
	const response = await fetch(`${simulator.url}/__sim/smc${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return await response.json();
}

/** Waits until the simulator runs exactly one live query, asks it for a burst and times `read` to the last record. */
async function burst(simulator: Simulator, read: (onFirst: () => void) => Promise<number>): Promise<{ records: number; seconds: number }> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const state = (await (await fetch(`${simulator.url}/__sim/smc/state`)).json()) as { fetches: { current: number } };
		if (state.fetches.current === 1) break;
		if (Date.now() > deadline) throw new Error('the live query did not start');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	let first = 0n;
	const reading = read(() => (first = process.hrtime.bigint()));
	await control(simulator, '/logs', { count: RECORDS });
	const records = await reading;
	return { records, seconds: Number(process.hrtime.bigint() - first) / 1e9 };
}

/** The floor: `ws` with the session cookie, JSON.parse of every frame, records counted. */
async function floor(simulator: Simulator): Promise<{ records: number; seconds: number }> {
	const login = await fetch(`${simulator.url}/7.1/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ domain: 'Shared Domain', authenticationkey: simulator.apiKey }),
	});
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const ws = new WebSocket(`${simulator.url.replace('http', 'ws')}/7.1/monitoring/log/socket`, { headers: { cookie }, perMessageDeflate: false });
	await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
	let count = 0;
	let onFirst = () => {};
	let done: (records: number) => void = () => {};
	ws.on('message', (data) => {
		const message = JSON.parse(data.toString()) as { records?: unknown[] };
		if (!Array.isArray(message.records)) return;
		if (count === 0) onFirst();
		count += message.records.length;
		if (count >= RECORDS) done(count);
	});
	ws.send(JSON.stringify(logQueryRequest({ mode: 'current', format: FORMAT })));
	try {
		return await burst(simulator, (first) => {
			onFirst = first;
			return new Promise<number>((resolve) => (done = resolve));
		});
	} finally {
		ws.terminate();
		await fetch(`${simulator.url}/7.1/logout`, { method: 'PUT', headers: { cookie } });
	}
}

/** The trigger's path: the package's client and socket, the live-log source's start and decoding into items. */
async function pipeline(simulator: Simulator): Promise<{ records: number; seconds: number }> {
	const client = new ForcepointSmcClient(httpSendFromN8n(n8nHttpRequest()), {
		baseUrl: simulator.url,
		apiKey: simulator.apiKey,
		apiVersion: '7.1',
		domain: 'Shared Domain',
		tls: { skipVerification: false },
	});
	const source = liveLogSource(client, { format: FORMAT, backfillGaps: false, backfillLimit: 0 });
	const controller = new AbortController();
	const started = await source.start(controller.signal);
	try {
		return await burst(simulator, async (onFirst) => {
			let count = 0;
			while (count < RECORDS) {
				const items = (await source.toItems(await started.socket.next(30_000))).map((json) => ({ json }));
				if (items.length > 0 && count === 0) onFirst();
				count += items.length;
			}
			return count;
		});
	} finally {
		await source.close(started.socket);
		await client.close();
	}
}

export async function benchSmcLiveLogs(): Promise<BenchRow> {
	const simulator = await startSimulator();
	try {
		const floors: number[] = [];
		const runs: Array<{ records: number; seconds: number }> = [];
		let peak = process.memoryUsage().rss;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		try {
			for (let round = 0; round < 2; round++) {
				const bare = await floor(simulator);
				floors.push(bare.records / bare.seconds);
				global.gc?.();
				const run = await pipeline(simulator);
				if (run.records !== bare.records) throw new Error(`pipeline saw ${run.records} records, floor ${bare.records}`);
				runs.push(run);
				global.gc?.();
			}
		} finally {
			clearInterval(sampler);
		}
		const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
		return benchRow('smc-live-logs', { events: best.records, seconds: best.seconds }, Math.max(...floors), Math.round(peak / 1024 / 1024));
	} finally {
		simulator.stop();
	}
}

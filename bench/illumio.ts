/**
 * The `illumio-events-trigger` row of `npm run bench`: what one Illumio Trigger poll does with a window
 * of 10^5 events (the simulator holds 10^6): the package's transport over n8n's own request helper
 * (count, async job, datafile), the shared cursor (select the new ones, commit), then watcher matching
 * with a throttled watcher. The floor, in the same run: the same HTTP requests (count, async request,
 * job polls after the same Retry-After, datafile) with a bare fetch + JSON.parse.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { IDataObject } from 'n8n-workflow';

import { httpSendFromN8n } from '../nodes/shared/transport/http';
import { PollCursor } from '../nodes/shared/trigger/cursor';
import { eventKey, eventTime, IllumioClient, listEvents, type IllumioEvent } from '../nodes/Illumio/transport';
import { routeEvents } from '../nodes/Illumio/trigger/route';
import { compileWatchers } from '../nodes/Illumio/trigger/watchers';
import { n8nHttpRequest } from '../test/unit/helpers/n8nHttp';

export interface BenchRow {
	pipeline: string;
	events: number;
	seconds: number;
	eventsPerSec: number;
	floorEventsPerSec: number;
	ratioToFloor: number;
	peakRssMb: number;
}

type Timed = <T>(work: () => Promise<T>) => Promise<{ value: T; seconds: number; peakRssMb: number }>;

const HOUR = 3_600_000;

interface PceAccess {
	url: string;
	orgId: number;
	apiKeyUser: string;
	apiKeySecret: string;
}

async function startSimulator(eventCount: number, spanMs: number, anchorMs: number): Promise<PceAccess & { stop: () => void }> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'illumioSimulatorProcess.ts'), String(eventCount), String(spanMs), String(anchorMs)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('Illumio simulator did not start within 60 s')), 60_000);
		createInterface({ input: child.stdout! }).once('line', (text) => {
			clearTimeout(timer);
			resolve(text);
		});
		child.once('exit', (code) => reject(new Error(`Illumio simulator exited (${code})`)));
	});
	return { ...(JSON.parse(line) as PceAccess), stop: () => child.kill('SIGTERM') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The floor: the same requests as the transport makes for this window, fetch + JSON.parse, nothing kept. */
async function floor(pce: PceAccess, start: number, end: number): Promise<number> {
	const headers = { authorization: `Basic ${Buffer.from(`${pce.apiKeyUser}:${pce.apiKeySecret}`).toString('base64')}`, accept: 'application/json' };
	const events = `${pce.url}/api/v2/orgs/${pce.orgId}/events?timestamp%5Bgte%5D=${encodeURIComponent(new Date(start).toISOString())}&timestamp%5Blte%5D=${encodeURIComponent(new Date(end).toISOString())}`;
	await (await fetch(`${events}&max_results=0`, { headers })).text();
	const accepted = await fetch(events, { headers: { ...headers, prefer: 'respond-async' } });
	await accepted.text();
	const job = `${pce.url}/api/v2${accepted.headers.get('location')}`;
	let delay = Number(accepted.headers.get('retry-after') ?? 1) * 1000;
	for (let poll = 0; poll < 100; poll++) {
		await sleep(delay);
		const state = JSON.parse(await (await fetch(job, { headers })).text()) as { status: string; result: { href: string } };
		if (state.status === 'done') return (JSON.parse(await (await fetch(`${pce.url}/api/v2${state.result.href}`, { headers })).text()) as unknown[]).length;
		delay *= 1.5;
	}
	throw new Error('the async job did not finish');
}

/** One trigger poll's work: transport, cursor, watchers (one of them throttled). */
async function pipeline(pce: PceAccess, start: number, end: number): Promise<number> {
	const client = new IllumioClient(httpSendFromN8n(n8nHttpRequest()), {
		baseUrl: pce.url,
		apiKeyUsername: pce.apiKeyUser,
		apiKeySecret: pce.apiKeySecret,
		orgId: pce.orgId,
		tls: { skipVerification: false },
	});
	const events = await listEvents(client, { start, end });
	const staticData: IDataObject = {};
	const cursor = PollCursor.load(staticData, { latenessMs: 5 * 60_000, lookbackMs: end - start, now: end });
	const fresh = cursor.select<IllumioEvent>(events, eventKey, eventTime);
	cursor.commit(fresh, eventKey, eventTime);
	const watchers = compileWatchers([
		{ name: 'Sign-ins', eventTypes: 'user.*' },
		{ name: 'Policy changes', eventTypes: 'sec_policy.*, rule_set.*, sec_rule.*, ip_list.*' },
		{ name: 'Tampering', eventTypes: 'agent.tampering', minSeverity: 'warning', throttleMinutes: 10 },
	]);
	const routed = routeEvents(fresh, watchers, { emitUnmatched: true, groupMin: 0 }, undefined, eventTime);
	if (routed.items.length + routed.counts.suppressed !== events.length) throw new Error('routing lost events');
	return fresh.length;
}

export async function benchIllumioTrigger(timed: Timed): Promise<BenchRow> {
	// 10^6 events over 10 h: the last hour holds 10^5 of them.
	const anchor = Date.now() - 60_000;
	const simulator = await startSimulator(1_000_000, 10 * HOUR, anchor);
	const start = anchor - HOUR + 1;
	const end = anchor;
	try {
		const floors: number[] = [];
		const runs: Array<{ seconds: number; peakRssMb: number; events: number }> = [];
		for (let round = 0; round < 2; round++) {
			const floorRun = await timed(() => floor(simulator, start, end));
			floors.push(floorRun.value / floorRun.seconds);
			global.gc?.();
			const run = await timed(() => pipeline(simulator, start, end));
			if (run.value !== floorRun.value) throw new Error(`pipeline saw ${run.value} events, floor ${floorRun.value}`);
			runs.push({ seconds: run.seconds, peakRssMb: run.peakRssMb, events: run.value });
			global.gc?.();
		}
		const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
		const floorEventsPerSec = Math.max(...floors);
		const eventsPerSec = best.events / best.seconds;
		return {
			pipeline: 'illumio-events-trigger',
			events: best.events,
			seconds: Number(best.seconds.toFixed(2)),
			eventsPerSec: Math.round(eventsPerSec),
			floorEventsPerSec: Math.round(floorEventsPerSec),
			ratioToFloor: Number((floorEventsPerSec / eventsPerSec).toFixed(2)),
			peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
		};
	} finally {
		simulator.stop();
	}
}

/**
 * The `illumio-events-trigger` row of `npm run bench`: one Illumio Trigger poll over a window of 10^5
 * events (the simulator holds 10^6) beside its floor, each run in a fresh process (bench/illumioWorker.ts)
 * so that every peak RSS is that run's own. Two rounds; the faster pipeline run and the faster floor count.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchRow {
	pipeline: string;
	events: number;
	seconds: number;
	eventsPerSec: number;
	floorEventsPerSec: number;
	ratioToFloor: number;
	peakRssMb: number;
}

interface Run {
	events: number;
	seconds: number;
	peakRssMb: number;
}

const HOUR = 3_600_000;

/** Runs a script with tsx and returns its first stdout line, bounded in time. */
export async function firstLine(script: string, args: string[], timeoutMs: number): Promise<{ line: string; stop: () => void }> {
	const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
	const line = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGTERM');
			reject(new Error(`${script} gave no answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		createInterface({ input: child.stdout! }).once('line', (text) => {
			clearTimeout(timer);
			resolve(text);
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${script} exited (${code})`));
		});
	});
	return { line, stop: () => child.kill('SIGTERM') };
}

export async function benchIllumioTrigger(): Promise<BenchRow> {
	// 10^6 events over 10 h: the last hour holds 10^5 of them.
	const anchor = Date.now() - 60_000;
	const simulator = await firstLine('illumioSimulatorProcess.ts', ['1000000', String(10 * HOUR), String(anchor)], 60_000);
	const pce = JSON.parse(simulator.line) as { url: string; orgId: number; apiKeyUser: string; apiKeySecret: string };
	const args = [pce.url, pce.apiKeyUser, pce.apiKeySecret, String(pce.orgId), String(anchor - HOUR + 1), String(anchor)];
	const measure = async (mode: 'floor' | 'pipeline') => JSON.parse((await firstLine('illumioWorker.ts', [mode, ...args], 600_000)).line) as Run;
	try {
		const floors: Run[] = [];
		const runs: Run[] = [];
		for (let round = 0; round < 2; round++) {
			floors.push(await measure('floor'));
			runs.push(await measure('pipeline'));
			if (runs[round].events !== floors[round].events) throw new Error(`pipeline saw ${runs[round].events} events, floor ${floors[round].events}`);
		}
		const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
		const floorEventsPerSec = Math.max(...floors.map((run) => run.events / run.seconds));
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

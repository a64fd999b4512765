/**
 * What every row of `npm run bench` is made of: a timed run with its peak RSS, helper processes
 * started from bench/, and the row itself (throughput beside the floor of the same run).
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

/** The row of a pipeline's best run beside the best floor throughput of the same run. */
export function benchRow(pipeline: string, best: { events: number; seconds: number }, floorEventsPerSec: number, peakRssMb: number): BenchRow {
	const eventsPerSec = best.events / best.seconds;
	return {
		pipeline,
		events: best.events,
		seconds: Number(best.seconds.toFixed(2)),
		eventsPerSec: Math.round(eventsPerSec),
		floorEventsPerSec: Math.round(floorEventsPerSec),
		ratioToFloor: Number((floorEventsPerSec / eventsPerSec).toFixed(2)),
		peakRssMb,
	};
}

/** Runs `work`, timing it and sampling this process's RSS every 20 ms. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
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

/** Runs a script of bench/ with tsx in its own process and returns its first stdout line, bounded in time. */
export async function firstLine(script: string, args: Array<string | number>, timeoutMs: number): Promise<{ line: string; stop: () => void }> {
	const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, script), ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/**
 * The `illumio-events-trigger` row of `npm run bench`: one Illumio Trigger poll over a window of 10^5
 * events (the simulator holds 10^6) beside its floor, each run in a fresh process (bench/illumioWorker.ts)
 * so that every peak RSS is that run's own. Two rounds; the faster pipeline run and the faster floor count.
 */
import { benchRow, firstLine, type BenchRow } from './measure';

interface Run {
	events: number;
	seconds: number;
	peakRssMb: number;
}

const HOUR = 3_600_000;

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
		return benchRow('illumio-events-trigger', best, floorEventsPerSec, Math.max(...runs.map((run) => run.peakRssMb)));
	} finally {
		simulator.stop();
	}
}

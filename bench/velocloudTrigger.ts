/**
 * The `velocloud-trigger-window-*` rows of `npm run bench`: one VeloCloud Trigger poll (the package's
 * node, as n8n calls it) over windows of 10^5 and 3×10^5 events with Max Events per Execution 50,000,
 * each execution "succeeding" as soon as it is emitted. Beside each, the floor: the same window read
 * with a bare fetch + JSON.parse. Every run is a fresh process (bench/velocloudTriggerWorker.ts), so its
 * peak RSS is its own. What the trigger holds must not grow with the window, only with the execution
 * size: `peakLiveHeapMb` is the live heap after a full collection as each execution starts (RSS also
 * counts garbage V8 has not returned yet, which grows with how much was read). A window over the
 * limit is read about twice (once whole, to keep its oldest events and count where the rest lie, then
 * range by range): the price of that bound, and why those rows read slower than their floor.
 */
import { benchRow, firstLine, type BenchRow } from './measure';

const HOUR = 3_600_000;
const MAX_EVENTS_PER_EXECUTION = 50_000;

interface Run {
	events: number;
	executions: number;
	seconds: number;
	peakRssMb: number;
	/** the live heap after a full collection when each execution starts: what the trigger holds */
	peakLiveHeapMb: number;
}

async function benchWindow(windowEvents: number): Promise<BenchRow & { executions: number; peakLiveHeapMb: number }> {
	// The enterprise token sees one enterprise of four: the simulator holds 4× the window, over 1 h.
	const anchor = Date.now() - 60_000;
	const simulator = await firstLine('simulatorProcess.ts', [String(4 * windowEvents), String(HOUR), String(anchor)], 120_000);
	const vco = JSON.parse(simulator.line) as { url: string; token: string };
	const measure = async (mode: 'floor' | 'trigger') =>
		JSON.parse(
			(await firstLine('velocloudTriggerWorker.ts', [mode, vco.url, vco.token, String(anchor - HOUR), String(MAX_EVENTS_PER_EXECUTION)], 900_000)).line,
		) as Run;
	try {
		const floor = await measure('floor');
		const trigger = await measure('trigger');
		if (trigger.events !== floor.events) throw new Error(`the trigger emitted ${trigger.events} events, the window holds ${floor.events}`);
		return {
			...benchRow(`velocloud-trigger-window-${windowEvents}`, trigger, floor.events / floor.seconds, trigger.peakRssMb),
			executions: trigger.executions,
			peakLiveHeapMb: trigger.peakLiveHeapMb,
		};
	} finally {
		simulator.stop();
	}
}

export async function benchVeloCloudTriggerWindows(): Promise<BenchRow[]> {
	return [await benchWindow(100_000), await benchWindow(300_000)];
}

/**
 * The VCO simulator in its own process for the benchmark, so its CPU and memory are not counted
 * against the pipeline. Prints its URL and token as one JSON line when ready.
 */
import { VeloCloudSimulator } from '../test/simulators/velocloud';

async function main(): Promise<void> {
	const eventCount = Number(process.argv[2] ?? 1_000_000);
	const spanMs = Number(process.argv[3] ?? 10 * 3_600_000);
	const anchorMs = Number(process.argv[4] ?? Date.now());
	// Plain HTTP keeps the figures comparable with earlier runs; TLS is exercised by the tests.
	const simulator = await new VeloCloudSimulator({ seed: 42, eventCount, spanMs, anchorMs }).start(0, { plainHttp: true });
	// On request, how many events enterprise 1 holds (the in-n8n benchmark checks the archive against it).
	const enterprise1Events = process.argv[5] === 'count' ? simulator.eventsBetween(1, 0, anchorMs).length : undefined;
	process.stdout.write(`${JSON.stringify({ ...simulator.credentials(), enterprise1Events })}\n`);
	process.once('SIGTERM', () => void simulator.stop().then(() => process.exit(0)));
}

void main();

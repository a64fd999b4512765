/**
 * The Illumio PCE simulator in its own process for the benchmark, so its CPU and memory are not counted
 * against the pipeline. Prints its URL and API key as one JSON line when ready.
 */
import { IllumioSimulator } from '../test/simulators/illumio';

async function main(): Promise<void> {
	const eventCount = Number(process.argv[2] ?? 1_000_000);
	const spanMs = Number(process.argv[3] ?? 10 * 3_600_000);
	const anchorMs = Number(process.argv[4] ?? Date.now());
	// Plain HTTP, as the other pipelines: TLS is exercised by the tests.
	const simulator = await new IllumioSimulator({ seed: 42, eventCount, spanMs, anchorMs }).start(0, { plainHttp: true });
	process.stdout.write(`${JSON.stringify(simulator.credentials())}\n`);
	process.once('SIGTERM', () => void simulator.stop().then(() => process.exit(0)));
}

void main();

/**
 * The Forcepoint SMC simulator in its own process for the benchmark, so rendering and sending records
 * is not counted against the reader. Prints its credentials as one JSON line when ready.
 */
import { ForcepointSmcSimulator } from '../test/simulators/forcepointSmc';

async function main(): Promise<void> {
	const simulator = await new ForcepointSmcSimulator({ seed: 42, logCount: 1000 }).start(0, { plainHttp: true });
	process.stdout.write(`${JSON.stringify(simulator.credentials())}\n`);
	process.once('SIGTERM', () => void simulator.stop().then(() => process.exit(0)));
}

void main();

/**
 * The vRNI and vRLI simulators in their own process for the benchmark, so their CPU and memory are not
 * counted against the pipeline; plain HTTP, like the other rows' simulators. Prints both URLs and credentials as one JSON line when ready.
 * Arguments: flow count, span (ms) and anchor (epoch ms) of the vRNI flows.
 */
import { LogInsightSimulator } from '../test/simulators/logInsight';
import { NetworkInsightSimulator } from '../test/simulators/networkInsight';

async function main(): Promise<void> {
	const flowCount = Number(process.argv[2] ?? 10_000);
	const spanMs = Number(process.argv[3] ?? 3_600_000);
	const anchorMs = Number(process.argv[4] ?? Date.now());
	const vrni = await new NetworkInsightSimulator({ seed: 42, flowCount, spanMs, anchorMs }).start(0, { plainHttp: true });
	// vRLI keeps counts, not every event: its memory would otherwise grow with every run of the benchmark.
	const vrli = await new LogInsightSimulator({ storeEvents: false }).start(0, { plainHttp: true });
	process.stdout.write(`${JSON.stringify({ vrni: vrni.credentials(), vrli: { ...vrli.credentials(), port: vrli.port } })}\n`);
	process.once('SIGTERM', () => void Promise.all([vrni.stop(), vrli.stop()]).then(() => process.exit(0)));
}

void main();

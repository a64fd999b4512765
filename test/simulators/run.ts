/**
 * `npm run simulators`: every simulated appliance in the foreground on 127.0.0.1, over HTTPS with a
 * throw-away CA. When ready it prints one JSON line: each vendor's base URL (https://127.0.0.1:<port>)
 * and test credentials, and `caFile`, the CA to trust (a credential's Custom CA Certificate, or
 * NODE_EXTRA_CA_CERTS for n8n); the file is removed on exit. Ctrl-C stops them.
 *
 * Flags (see cli.ts):
 *   --vco=18443 --illumio=18444 --smc=18082 --vrni=18445 --vrli=19000   ports (0 = any free port)
 *   --trickle-ms=5000       adds a new event on every appliance every 5 s (0 = none)
 *   --plain-http            plain HTTP instead of HTTPS (no caFile)
 *   --vco-rate-limit=<n>    turns on VCO's leaky-bucket rate limit at n requests per second: the bucket
 *                           holds n x 5 s of requests and an overflow earns a 5 s penalty of 429s with
 *                           Retry-After (VCO's documented default window and penalty; the rate itself is
 *                           not documented, so pick it). Off by default.
 *   --vco-penalty-ms=<ms>   another penalty period
 */
import { parseSimulatorArguments, portInUseMessage } from './cli';
import { startSimulators, type SimulatorSetOptions } from './index';

async function main(options: SimulatorSetOptions): Promise<void> {
	const simulators = await startSimulators(options);
	process.stdout.write(`${JSON.stringify({ ...simulators.credentials(), caFile: simulators.caFile })}\n`);
	const stop = async () => {
		await simulators.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
}

let options: SimulatorSetOptions = {};
try {
	options = parseSimulatorArguments(process.argv.slice(2));
} catch (error) {
	console.error((error as Error).message);
	process.exit(1);
}
main(options).catch((error: unknown) => {
	console.error(portInUseMessage(error, options) ?? (error instanceof Error ? error.message : error));
	process.exit(1);
});

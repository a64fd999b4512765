/**
 * `npm run simulators`: every simulated appliance in the foreground on 127.0.0.1. When ready it prints
 * one JSON line with each base URL and the test credentials. Ctrl-C stops them.
 *
 * Ports: --vco=18443 --illumio=18444 --smc=18082 --vrni=18445 --vrli=19000 (0 = any free port);
 * --trickle-ms=5000 adds a new event on every appliance every 5 s (0 = none).
 */
import { DEFAULT_PORTS, startSimulators, type Vendor } from './index';

function argument(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

async function main(): Promise<void> {
	const ports: Partial<Record<Vendor, number>> = {};
	for (const vendor of Object.keys(DEFAULT_PORTS) as Vendor[]) {
		const value = argument(vendor);
		if (value !== undefined) ports[vendor] = Number(value);
	}
	const simulators = await startSimulators({ ports, trickleMs: Number(argument('trickle-ms') ?? 0) });
	process.stdout.write(`${JSON.stringify(simulators.credentials())}\n`);
	const stop = async () => {
		await simulators.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});

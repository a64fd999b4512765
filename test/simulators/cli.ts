/** The flags of `npm run simulators` (run.ts), read into startSimulators' options. */
import { DEFAULT_PORTS, type SimulatorSetOptions, type Vendor } from './index';

export const USAGE = `npm run simulators -- [flags]
  --vco=18443 --illumio=18444 --smc=18082 --vrni=18445 --vrli=19000   ports (0 = any free port)
  --trickle-ms=5000        a new event on every appliance every 5 s (0 = none)
  --plain-http             serve plain HTTP instead of HTTPS
  --vco-rate-limit=<n>     VCO leaky bucket: n requests per second (bucket of n x 5 s, 5 s penalty: VCO's defaults)
  --vco-penalty-ms=<ms>    how long a throttled VCO client is refused (default 5000)`;

function number(flag: string, value: string): number {
	const parsed = Number(value);
	if (value === '' || !Number.isFinite(parsed) || parsed < 0) throw new Error(`--${flag} needs a number >= 0, got "${value}"`);
	return parsed;
}

export function parseSimulatorArguments(argv: readonly string[]): SimulatorSetOptions {
	const options: SimulatorSetOptions = { ports: {} };
	for (const arg of argv) {
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
		const [, flag, value] = match;
		if (flag === 'plain-http' && value === undefined) {
			options.plainHttp = true;
			continue;
		}
		if (value === undefined) throw new Error(`unknown flag --${flag}\n${USAGE}`);
		if (flag in DEFAULT_PORTS) options.ports![flag as Vendor] = number(flag, value);
		else if (flag === 'trickle-ms') options.trickleMs = number(flag, value);
		else if (flag === 'vco-rate-limit') options.vco = { ...options.vco, rateLimitPerSecond: number(flag, value) };
		else if (flag === 'vco-penalty-ms') options.vco = { ...options.vco, penaltyMs: number(flag, value) };
		else throw new Error(`unknown flag --${flag}\n${USAGE}`);
	}
	return options;
}

/**
 * One line for a simulator that could not listen because its port is taken, naming the flag that moves
 * it; undefined for any other failure.
 */
export function portInUseMessage(error: unknown, options: SimulatorSetOptions): string | undefined {
	const failure = error as NodeJS.ErrnoException & { port?: number };
	if (failure?.code !== 'EADDRINUSE' || failure.port === undefined) return undefined;
	const vendor = (Object.keys(DEFAULT_PORTS) as Vendor[]).find((name) => (options.ports?.[name] ?? DEFAULT_PORTS[name]) === failure.port);
	const which = vendor ? `the ${vendor} simulator's port ${failure.port}` : `port ${failure.port}`;
	return `${which} is in use: pick another with --${vendor ?? '<vendor>'}=<port> (0 = any free port)`;
}

/**
 * Every port the demo listens on (all on 127.0.0.1): n8n, its task-runner broker, and each simulated
 * appliance or local sink the vendor blocks declare. Each can be moved with a flag (`npm run demo --
 * --vco=28443`) or an environment variable (DEMO_VCO_PORT=28443); all are checked before anything
 * starts, and a busy one is named in one line with the option that moves it.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export interface PortSpec {
	/** the flag's name: `--vco=<port>`; the variable is DEMO_<KEY>_PORT (DEMO_PORT for n8n) */
	key: string;
	/** what listens there, as the demo names it */
	what: string;
	defaultPort: number;
	/** default tcp; a UDP port may share its number with a TCP one */
	protocol?: 'tcp' | 'udp';
}

export interface DemoPort extends PortSpec {
	port: number;
	flag: string;
	env: string;
}

export interface DemoOptions {
	ports: DemoPort[];
	/** ms between two new simulated events */
	trickleMs: number;
}

export const N8N_PORT_KEY = 'port';
export const RUNNER_PORT_KEY = 'runner-port';

export function envName(key: string): string {
	return key === N8N_PORT_KEY ? 'DEMO_PORT' : `DEMO_${key.toUpperCase().replace(/-/g, '_')}`.replace(/(_PORT)?$/, '_PORT');
}

export function usage(specs: readonly PortSpec[]): string {
	const lines = [
		'npm run demo -- [flags]     (each flag also reads from the environment variable shown)',
		`  --trickle-ms=5000${' '.repeat(11)}DEMO_TRICKLE_MS   ms between two new simulated events`,
	];
	for (const spec of [{ key: N8N_PORT_KEY, what: 'n8n (editor and API)', defaultPort: 5678 }, { key: RUNNER_PORT_KEY, what: "n8n's task-runner broker", defaultPort: 0 }, ...specs]) {
		const flag = `--${spec.key}=${spec.defaultPort || '<port>'}`;
		lines.push(`  ${flag.padEnd(28)}${envName(spec.key).padEnd(18)}${spec.what}${spec.key === RUNNER_PORT_KEY ? ' (default: n8n port + 1)' : ''}`);
	}
	return lines.join('\n');
}

function portNumber(source: string, value: string): number {
	const port = Number(value);
	if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new Error(`${source} needs a port number from 1 to 65535, got "${value}"`);
	return port;
}

/**
 * Reads flags (`--vco=28443`, `--trickle-ms=1000`) and, for what no flag sets, the environment; flags win.
 * Refuses an unknown flag, a bad number and two things on one port.
 */
export function parseDemoOptions(argv: readonly string[], env: NodeJS.ProcessEnv, specs: readonly PortSpec[]): DemoOptions {
	const flags = new Map<string, string>();
	for (const arg of argv) {
		const match = /^--([a-z][a-z-]*)=(.*)$/.exec(arg);
		if (!match) throw new Error(`unexpected argument "${arg}"\n${usage(specs)}`);
		flags.set(match[1], match[2]);
	}
	const known = new Set([N8N_PORT_KEY, RUNNER_PORT_KEY, 'trickle-ms', ...specs.map((spec) => spec.key)]);
	for (const flag of flags.keys()) if (!known.has(flag)) throw new Error(`unknown flag --${flag}\n${usage(specs)}`);

	const read = (key: string, variable: string): { value: string; source: string } | undefined => {
		if (flags.has(key)) return { value: flags.get(key)!, source: `--${key}` };
		const fromEnv = env[variable];
		return fromEnv === undefined || fromEnv === '' ? undefined : { value: fromEnv, source: variable };
	};
	const portOf = (spec: PortSpec): DemoPort => {
		const given = read(spec.key, envName(spec.key));
		return { ...spec, port: given ? portNumber(given.source, given.value) : spec.defaultPort, flag: `--${spec.key}`, env: envName(spec.key) };
	};
	const n8n = portOf({ key: N8N_PORT_KEY, what: 'n8n', defaultPort: 5678 });
	const runner = portOf({ key: RUNNER_PORT_KEY, what: "n8n's task-runner broker", defaultPort: n8n.port + 1 });
	const ports = [n8n, runner, ...specs.map(portOf)];

	const seen = new Map<string, DemoPort>();
	for (const entry of ports) {
		const slot = `${entry.protocol ?? 'tcp'}:${entry.port}`;
		const other = seen.get(slot);
		if (other) throw new Error(`port ${entry.port} is given to both ${other.what} and ${entry.what}: move one (${other.flag}=<port> or ${entry.flag}=<port>)`);
		seen.set(slot, entry);
	}

	const trickle = read('trickle-ms', 'DEMO_TRICKLE_MS');
	const trickleMs = trickle ? Number(trickle.value) : 5000;
	if (!trickle || (/^\d+$/.test(trickle.value) && trickleMs >= 0)) return { ports, trickleMs };
	throw new Error(`${trickle.source} needs a number of ms >= 0, got "${trickle.value}"`);
}

/** The one line a user sees for a port something else holds. */
export function portInUseLine(entry: DemoPort): string {
	return `port ${entry.port} (${entry.what}) is in use: move it with ${entry.flag}=<port> or ${entry.env}=<port> (npm run demo -- ${entry.flag}=<port>)`;
}

/** Whether 127.0.0.1:`port` can be listened on now: 'free', 'in use', or 'not allowed' (a port below 1024). */
export function probePort(port: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<'free' | 'in use' | 'not allowed'> {
	return new Promise((resolve, reject) => {
		const failed = (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE') resolve('in use');
			else if (error.code === 'EACCES') resolve('not allowed');
			else reject(error);
		};
		if (protocol === 'udp') {
			const socket = createSocket('udp4');
			socket.once('error', failed);
			socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => socket.close(() => resolve('free')));
			return;
		}
		const server = createServer();
		server.once('error', failed);
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve('free')));
	});
}

/** One line for each port of `ports` that cannot be listened on; empty when all are free. */
export async function portProblems(ports: readonly DemoPort[]): Promise<string[]> {
	const problems: string[] = [];
	for (const entry of ports) {
		const state = await probePort(entry.port, entry.protocol);
		if (state === 'in use') problems.push(portInUseLine(entry));
		if (state === 'not allowed') problems.push(`port ${entry.port} (${entry.what}) needs root: pick one above 1023 with ${entry.flag}=<port> or ${entry.env}=<port>`);
	}
	return problems;
}

/** The port entry an EADDRINUSE error is about, when it is one of the demo's. */
export function portOfError(error: unknown, ports: readonly DemoPort[]): DemoPort | undefined {
	const failure = error as NodeJS.ErrnoException & { port?: number };
	if (failure?.code !== 'EADDRINUSE') return undefined;
	// A UDP socket fails in bind(), a TCP server in listen().
	const protocol = failure.syscall === 'bind' ? 'udp' : 'tcp';
	return ports.find((entry) => entry.port === failure.port && (entry.protocol ?? 'tcp') === protocol);
}

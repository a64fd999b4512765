/**
 * The demo's ports: every one listed, movable by flag or environment, checked before anything starts,
 * and a busy one named in one line with the option that moves it (no EADDRINUSE stack).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

import { envName, parseDemoOptions, portOfError, portProblems, usage, type PortSpec } from '../../../scripts/demo/ports';
import { VENDORS } from '../../../scripts/demo';

const ROOT = join(__dirname, '..', '..', '..');
const SPECS: PortSpec[] = [
	{ key: 'vco', what: 'VeloCloud Orchestrator simulator', defaultPort: 18443 },
	{ key: 'syslog-tls', what: 'syslog sink (TLS)', defaultPort: 16514 },
];

function hold(): Promise<{ server: Server; port: number }> {
	return new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
		});
	});
}

async function freePort(): Promise<number> {
	const { server, port } = await hold();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe('demo ports', () => {
	it('lists n8n, its task-runner broker (n8n + 1) and every vendor port, with defaults', () => {
		const { ports, trickleMs } = parseDemoOptions([], {}, SPECS);
		expect(ports.map((entry) => [entry.port, entry.what, entry.flag, entry.env])).toEqual([
			[5678, 'n8n', '--port', 'DEMO_PORT'],
			[5679, "n8n's task-runner broker", '--runner-port', 'DEMO_RUNNER_PORT'],
			[18443, 'VeloCloud Orchestrator simulator', '--vco', 'DEMO_VCO_PORT'],
			[16514, 'syslog sink (TLS)', '--syslog-tls', 'DEMO_SYSLOG_TLS_PORT'],
		]);
		expect(trickleMs).toBe(5000);
	});

	it('moves every port by flag or environment; a flag wins; the broker follows DEMO_PORT unless given', () => {
		const fromEnv = parseDemoOptions([], { DEMO_PORT: '6000', DEMO_VCO_PORT: '28443', DEMO_TRICKLE_MS: '1000' }, SPECS);
		expect(fromEnv.ports.map((entry) => entry.port)).toEqual([6000, 6001, 28443, 16514]);
		expect(fromEnv.trickleMs).toBe(1000);
		const flags = parseDemoOptions(['--vco=38443', '--runner-port=7000', '--syslog-tls=26514'], { DEMO_VCO_PORT: '28443' }, SPECS);
		expect(flags.ports.map((entry) => entry.port)).toEqual([5678, 7000, 38443, 26514]);
	});

	it.each([
		[['--vco=0'], /--vco needs a port number from 1 to 65535/],
		[['--port=70000'], /--port needs a port number/],
		[['--vco=abc'], /--vco needs a port number/],
		[['--smtp=2525'], /unknown flag --smtp/],
		[['vco=1'], /unexpected argument/],
		[['--trickle-ms=-5'], /--trickle-ms needs a number of ms/],
		[['--vco=5679'], /port 5679 is given to both n8n's task-runner broker and VeloCloud Orchestrator simulator/],
	])('refuses %j', (argv, message) => {
		expect(() => parseDemoOptions(argv, {}, SPECS)).toThrow(message);
	});

	it('names the environment variable of each flag, and the usage lists them all', () => {
		expect(envName('port')).toBe('DEMO_PORT');
		expect(envName('runner-port')).toBe('DEMO_RUNNER_PORT');
		expect(envName('vco')).toBe('DEMO_VCO_PORT');
		const text = usage(SPECS);
		for (const name of ['--port=5678', 'DEMO_PORT', '--runner-port', 'DEMO_RUNNER_PORT', '--vco=18443', 'DEMO_VCO_PORT', '--syslog-tls=16514', 'DEMO_TRICKLE_MS']) {
			expect(text).toContain(name);
		}
	});

	it('names a busy port and the option that moves it, in one line; free ports pass', async () => {
		const held = await hold();
		try {
			const { ports } = parseDemoOptions([`--vco=${held.port}`, `--port=${await freePort()}`, `--runner-port=${await freePort()}`, `--syslog-tls=${await freePort()}`], {}, SPECS);
			const problems = await portProblems(ports);
			expect(problems).toEqual([
				`port ${held.port} (VeloCloud Orchestrator simulator) is in use: move it with --vco=<port> or DEMO_VCO_PORT=<port> (npm run demo -- --vco=<port>)`,
			]);
		} finally {
			held.server.close();
		}
	});

	it('recognises the EADDRINUSE of a port the demo planned', async () => {
		const held = await hold();
		try {
			const { ports } = parseDemoOptions([`--vco=${held.port}`], {}, SPECS);
			const error = await new Promise((resolve) => {
				const other = createServer();
				other.once('error', resolve);
				other.listen(held.port, '127.0.0.1');
			});
			expect(portOfError(error, ports)?.key).toBe('vco');
			expect(portOfError(new Error('other'), ports)).toBeUndefined();
		} finally {
			held.server.close();
		}
	});

	it('npm run demo with a busy port prints one line naming it and stops before installing or starting anything', async () => {
		const held = await hold();
		const runnerPort = await freePort();
		const vendorFlags = await Promise.all(VENDORS.flatMap((vendor) => vendor.ports).map(async (spec) => `--${spec.key}=${await freePort()}`));
		try {
			const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
				// as `npm run demo` runs it
				const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), `--port=${held.port}`, `--runner-port=${runnerPort}`, ...vendorFlags], {
					cwd: ROOT,
					stdio: ['ignore', 'pipe', 'pipe'],
				});
				let out = '';
				let err = '';
				child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
				child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
				// tsx compiles the demo first: slow on a loaded machine, still bounded.
				const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
				child.once('error', reject);
				child.once('close', (exitCode) => {
					clearTimeout(timer);
					resolve({ code: exitCode, stdout: out, stderr: err });
				});
			});
			expect(code).toBe(1);
			expect(stdout).toBe('');
			expect(stderr).toBe(`[demo] port ${held.port} (n8n) is in use: move it with --port=<port> or DEMO_PORT=<port> (npm run demo -- --port=<port>)\n`);
		} finally {
			held.server.close();
		}
	});
});

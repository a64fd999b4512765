/**
 * `npm run simulators` as a user runs it: HTTPS with the printed CA, plain HTTP on request, and the
 * VCO rate limit turned on from the command line.
 */
import axios from 'axios';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import { parseSimulatorArguments } from './cli';

const ROOT = join(__dirname, '..', '..');
const ANY_PORT = ['--vco=0', '--illumio=0', '--smc=0', '--vrni=0', '--vrli=0'];

interface Printed {
	vco: { url: string; token: string };
	illumio: { url: string };
	smc: { url: string };
	vrni: { url: string };
	vrli: { url: string };
	caFile?: string;
}

/** Starts run.ts and resolves with its JSON line; bounded by 120 s (tsx compiles on a loaded machine). */
function runSimulators(args: string[]): Promise<{ child: ChildProcess; printed: Printed }> {
	const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'test', 'simulators', 'run.ts'), ...args], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no JSON line within 120 s: ${err}`));
		}, 120_000);
		child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const newline = out.indexOf('\n');
			if (newline < 0) return;
			clearTimeout(timer);
			resolve({ child, printed: JSON.parse(out.slice(0, newline)) as Printed });
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`run.ts exited with ${code}: ${err}`));
		});
	});
}

/** SIGTERM and wait (bounded) for the exit. */
function stopSimulators(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
		child.kill('SIGTERM');
	});
}

describe('npm run simulators flags', () => {
	it('reads ports, trickle, plain HTTP and the VCO rate limit', () => {
		expect(parseSimulatorArguments(['--vco=0', '--smc=19082', '--trickle-ms=5000', '--plain-http', '--vco-rate-limit=2.5', '--vco-penalty-ms=800'])).toEqual({
			ports: { vco: 0, smc: 19082 },
			trickleMs: 5000,
			plainHttp: true,
			vco: { rateLimitPerSecond: 2.5, penaltyMs: 800 },
		});
		expect(parseSimulatorArguments([])).toEqual({ ports: {} });
	});

	it.each([['--vco-rate-limit=fast'], ['--vco-rate-limit='], ['--vco=-1'], ['--rate=5'], ['--plain-http=yes'], ['vco=1']])('refuses %s', (arg) => {
		expect(() => parseSimulatorArguments([arg])).toThrow();
	});
});

describe('npm run simulators', () => {
	it('serves HTTPS with the printed CA, limits VCO when asked, and removes the CA file on exit', async () => {
		const { child, printed } = await runSimulators([...ANY_PORT, '--vco-rate-limit=1']);
		try {
			for (const vendor of ['vco', 'illumio', 'smc', 'vrni', 'vrli'] as const) expect(printed[vendor].url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			expect(printed.caFile).toBeDefined();
			const trusting = new Agent({ ca: readFileSync(printed.caFile!, 'utf8') });
			const vco = axios.create({ baseURL: printed.vco.url, httpsAgent: trusting, validateStatus: () => true, timeout: 10_000 });
			const call = () => vco.post('/portal/rest/enterprise/getEnterprise', {}, { headers: { authorization: `Token ${printed.vco.token}` } });

			// Without the CA, verification fails: nothing is switched off.
			await expect(axios.get(`${printed.vco.url}/__sim/stats`, { httpsAgent: new Agent(), timeout: 10_000 })).rejects.toMatchObject({
				code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/),
			});
			expect((await call()).status).toBe(200);
			// 1 request/s with VCO's 5 s bucket: 30 requests at once overflow it on any machine.
			const burst = await Promise.all(Array.from({ length: 30 }, call));
			const throttled = burst.filter((response) => response.status === 429);
			expect(throttled.length).toBeGreaterThan(0);
			expect(burst.filter((response) => response.status !== 429).every((response) => response.status === 200)).toBe(true);
			expect(throttled[0].headers['retry-after']).toMatch(/^\d+$/);
		} finally {
			expect(await stopSimulators(child)).toBe(0);
		}
		expect(existsSync(printed.caFile!)).toBe(false);
	});

	it('names a simulator whose port is taken and the flag that moves it, in one line', async () => {
		const taken = createServer();
		await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
		const port = (taken.address() as AddressInfo).port;
		try {
			await expect(runSimulators([...ANY_PORT.filter((flag) => !flag.startsWith('--smc=')), `--smc=${port}`])).rejects.toThrow(
				new Error(`run.ts exited with 1: the smc simulator's port ${port} is in use: pick another with --smc=<port> (0 = any free port)\n`),
			);
		} finally {
			taken.close();
		}
	});

	it('serves plain HTTP with --plain-http and prints no CA file', async () => {
		const { child, printed } = await runSimulators([...ANY_PORT, '--plain-http']);
		try {
			expect(printed.vco.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(printed.caFile).toBeUndefined();
			expect((await axios.get(`${printed.illumio.url}/__sim/stats`, { timeout: 10_000 })).status).toBe(200);
		} finally {
			expect(await stopSimulators(child)).toBe(0);
		}
	});
});

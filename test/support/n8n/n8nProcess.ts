/**
 * Starts a real n8n in its own user folder on 127.0.0.1, waits (bounded) until it can be driven,
 * samples its memory, and stops it by process group. A failure to start shows the tail of its log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describeRuntime } from './runtime';

export interface N8nStartOptions {
	userFolder: string;
	port: number;
	/** extra environment (owner managed by env for the demo, a short poll interval...) */
	env?: Record<string, string>;
	/** how long n8n may take to boot (default N8N_BOOT_TIMEOUT_MS) */
	readyTimeoutMs?: number;
	/**
	 * Tests run n8n in its own process group and stop the group (n8n and its task runner) by PID.
	 * The demo keeps it in the terminal's group, so a Ctrl-C reaches n8n even if the demo dies first.
	 */
	ownProcessGroup?: boolean;
	/**
	 * `start` (the default) runs a main instance; `worker` runs `n8n worker` (queue mode), whose readiness is
	 * its health server on `port` (QUEUE_HEALTH_CHECK_PORT) answering /healthz/readiness once the
	 * database and Redis are connected.
	 */
	command?: 'start' | 'worker';
	/** extra command-line arguments (e.g. `--concurrency=5` for a worker) */
	args?: string[];
}

export interface RunningN8n {
	url: string;
	pid: number;
	logFile: string;
	readySeconds: number;
	/** peak resident memory of n8n and its task runner together, in MiB, sampled every 500 ms */
	peakRssMb(): number;
	/** resident memory of n8n and its task runner together now, in MiB */
	rssMb(): number;
	/** starts a new peak measurement (the benchmark measures one execution at a time) */
	resetPeakRss(): void;
	logTail(lines?: number): string;
	stop(): Promise<void>;
	/** SIGKILL to the whole process group at once, as a crash or an OOM kill would: no shutdown code runs */
	kill(): Promise<void>;
}

export const N8N_ENCRYPTION_KEY = 'netsec-events-e2e-encryption-key-0001';

/**
 * n8n's boot limit: generous, still bounded. A first boot runs ~270 database migrations; on a loaded
 * 2-core machine boots took 67-114 s, and 120 s was too tight.
 */
export const N8N_BOOT_TIMEOUT_MS = 5 * 60_000;

export async function startN8n(options: N8nStartOptions): Promise<RunningN8n> {
	const runtime = describeRuntime();
	mkdirSync(options.userFolder, { recursive: true });
	const logFile = join(options.userFolder, 'n8n.log');
	const log = createWriteStream(logFile, { flags: 'a' });
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PATH: runtime.path,
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(options.port + 1),
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		NODE_ENV: 'production',
		...(options.command === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(options.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }
			: {}),
		...options.env,
	};
	// Our own NODE_OPTIONS (tsx, --expose-gc) are not n8n's; BENCH_N8N_NODE_OPTIONS profiles n8n itself
	// (e.g. `--cpu-prof --cpu-prof-dir=/tmp/n8n-profiles`).
	if (process.env.BENCH_N8N_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_N8N_NODE_OPTIONS;
	else delete env.NODE_OPTIONS;
	const command = options.command ?? 'start';
	const child: ChildProcess = spawn(runtime.nodeBinary, [runtime.n8nEntry, command, ...(options.args ?? [])], {
		env,
		cwd: options.userFolder,
		detached: options.ownProcessGroup ?? true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);

	let peakKb = 0;
	const sampler = setInterval(() => {
		peakKb = Math.max(peakKb, processGroupRssKb(child.pid!));
	}, 500);
	sampler.unref();

	const url = `http://127.0.0.1:${options.port}`;
	const started = Date.now();
	let exited = false;
	child.once('exit', () => (exited = true));

	const tail = (lines = 60) =>
		existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';

	const stop = async () => {
		clearInterval(sampler);
		if (exited || child.pid === undefined) return;
		const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		const target = (options.ownProcessGroup ?? true) ? -child.pid : child.pid;
		try {
			process.kill(target, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(target, 'SIGKILL');
			} catch {
				// already gone
			}
		}, 15_000);
		await done;
		clearTimeout(timer);
		log.end();
	};

	const kill = async () => {
		clearInterval(sampler);
		if (exited || child.pid === undefined) return;
		const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		process.kill((options.ownProcessGroup ?? true) ? -child.pid : child.pid, 'SIGKILL');
		await done;
		log.end();
	};

	const deadline = started + (options.readyTimeoutMs ?? N8N_BOOT_TIMEOUT_MS);
	// /healthz answers before the migrations end, and while starting up /rest/settings answers 200 with
	// an HTML "n8n is starting up" page: only its JSON answer means n8n can be driven.
	const readyPath = command === 'worker' ? '/healthz/readiness' : '/rest/settings';
	while (Date.now() < deadline) {
		if (exited) throw new Error(`n8n ${command} exited while starting. Log tail:\n${tail()}`);
		try {
			const response = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2000) });
			const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
			await response.arrayBuffer();
			if (response.status === 200 && isJson) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	if (Date.now() >= deadline) {
		await stop();
		throw new Error(`n8n ${command} did not become ready in time. Log tail:\n${tail()}`);
	}
	return {
		url,
		pid: child.pid!,
		logFile,
		readySeconds: (Date.now() - started) / 1000,
		peakRssMb: () => Math.round(Math.max(peakKb, processGroupRssKb(child.pid!)) / 1024),
		rssMb: () => Math.round(processGroupRssKb(child.pid!) / 1024),
		resetPeakRss: () => {
			peakKb = processGroupRssKb(child.pid!);
		},
		logTail: tail,
		stop,
		kill,
	};
}

/** Sum of VmRSS over every process of the group (n8n main and its task runner). */
function processGroupRssKb(groupId: number): number {
	let total = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== groupId) continue; // field 5 of stat: process group id
			const status = readFileSync(`/proc/${entry}/status`, 'utf8');
			const match = /VmRSS:\s+(\d+) kB/.exec(status);
			if (match) total += Number(match[1]);
		} catch {
			// the process ended while we read it
		}
	}
	return total;
}

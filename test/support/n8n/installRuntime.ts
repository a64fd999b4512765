/**
 * Installs the pinned n8n runtime into `n8n-runtime/` with progress: `npm install --ignore-scripts`
 * (counting the packages unpacked against the lockfile), then sqlite3's build script for Node 24 (a
 * prebuilt binary from GitHub, or a compile from C). The build tools are checked first, so a machine
 * that would need to compile and cannot stops in seconds. npm's and the compiler's own output goes to
 * n8n-runtime/install.log; a failure shows its tail.
 *
 * Run by ensureRuntime() in a child process, or directly: `npx tsx test/support/n8n/installRuntime.ts`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { assertSqliteCanBeBuilt, buildToolsAdvice, missingBuildTools } from './buildTools';
import { formatDuration, step, type Log } from './progress';
import { describeRuntime, FIRST_INSTALL_COST, RUNTIME_DIR, RUNTIME_STAMP_FILE, runtimeStamp, SQLITE_BINDING } from './runtime';

const INSTALL_LOG = join(RUNTIME_DIR, 'install.log');
const SQLITE_DIR = join(RUNTIME_DIR, 'node_modules', 'sqlite3');

/** A lockfile entry's platform fields: a list, or (in some packages) one string. */
interface LockEntry {
	os?: string[] | string;
	cpu?: string[] | string;
	libc?: string[] | string;
}

/** Whether an os/cpu/libc field admits this machine (npm's rule: a `!name` entry excludes it). */
function admits(field: string[] | string | undefined, value: string): boolean {
	const list = typeof field === 'string' ? [field] : field;
	if (!list || list.length === 0) return true;
	if (list.includes(`!${value}`)) return false;
	return list.some((entry) => !entry.startsWith('!')) ? list.includes(value) : true;
}

/** Packages of the lockfile npm installs on this machine (the others are optional ones for other platforms). */
export function expectedPackageCount(lockfile = join(RUNTIME_DIR, 'package-lock.json')): number {
	const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, LockEntry> };
	return Object.entries(lock.packages).filter(
		([path, entry]) =>
			path !== '' && admits(entry.os, process.platform) && admits(entry.cpu, process.arch) && admits(entry.libc, 'glibc'),
	).length;
}

/** Packages unpacked so far under `nodeModules` (a folder with a package.json, nested ones included). */
export function unpackedPackageCount(nodeModules = join(RUNTIME_DIR, 'node_modules')): number {
	let count = 0;
	const visit = (folder: string) => {
		let entries: string[];
		try {
			entries = readdirSync(folder);
		} catch {
			return;
		}
		for (const entry of entries) {
			if (entry.startsWith('.')) continue;
			if (entry.startsWith('@')) {
				visit(join(folder, entry));
				continue;
			}
			const packageFolder = join(folder, entry);
			if (existsSync(join(packageFolder, 'package.json'))) count++;
			if (existsSync(join(packageFolder, 'node_modules'))) visit(join(packageFolder, 'node_modules'));
		}
	};
	visit(nodeModules);
	return count;
}

/** The sources sqlite3 5.1.7's build compiles: the C amalgamation (by far the longest) and the binding. */
const SQLITE_SOURCES = ['sqlite3', 'backup', 'database', 'node_sqlite3', 'statement'];

/** How far sqlite3's build got: before the compile, or how many of its sources are compiled. */
function sqliteCompileProgress(): string | undefined {
	const objects = join(SQLITE_DIR, 'build', 'Release', 'obj.target');
	if (!existsSync(objects)) return 'fetching the prebuilt binary, or preparing the compile';
	const compiled = new Set<string>();
	const visit = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			if (entry.isDirectory()) visit(join(folder, entry.name));
			else if (entry.name.endsWith('.o')) compiled.add(entry.name.slice(0, -'.o'.length));
		}
	};
	visit(objects);
	const done = SQLITE_SOURCES.filter((source) => compiled.has(source)).length;
	return `compiling from C: ${done} of ${SQLITE_SOURCES.length} sources done${compiled.has('sqlite3') ? '' : ' (sqlite3.c, 9 MB, takes most of the time)'}`;
}

/**
 * Tarballs npm has in hand, read from its `--loglevel=http` lines: `npm http fetch GET 200 <url>.tgz`
 * (downloaded) or `npm http cache <name>@<url>.tgz ... (cache hit)` (from its cache).
 */
export class TarballCounter {
	private readonly seen = new Set<string>();

	readLine(line: string): void {
		const url = /(https?:\/\/\S+\.tgz)\b/.exec(line)?.[1];
		if (url && (/ fetch GET 200 /.test(line) || /\(cache hit\)/.test(line))) this.seen.add(url);
	}

	get count(): number {
		return this.seen.size;
	}
}

/** Runs a command with its output appended to install.log; rejects with the log's tail on failure. */
function run(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; onLine?: (line: string) => void },
): Promise<void> {
	const output = createWriteStream(INSTALL_LOG, { flags: 'a' });
	output.write(`\n$ ${command} ${args.join(' ')}\n`);
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.pipe(output, { end: false });
		child.stderr.pipe(output, { end: false });
		if (options.onLine) {
			let partial = '';
			const read = (chunk: Buffer) => {
				const lines = (partial + chunk.toString()).split('\n');
				partial = lines.pop() ?? '';
				lines.forEach(options.onLine!);
			};
			child.stdout.on('data', read);
			child.stderr.on('data', read);
		}
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			output.end();
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			output.end(() => {
				if (code === 0) return resolve();
				const tail = readFileSync(INSTALL_LOG, 'utf8').split('\n').slice(-40).join('\n');
				reject(new Error(`${command} ${args[0]} failed (${signal ?? `exit ${code}`}); the end of ${INSTALL_LOG}:\n${tail}`));
			});
		});
	});
}

export async function installRuntime(log: Log): Promise<void> {
	const runtime = describeRuntime();
	writeFileSync(INSTALL_LOG, `n8n runtime install, ${new Date().toISOString()}\n`);
	const started = Date.now();

	// Fail in seconds, not after the download, when sqlite3 would have to be compiled without the tools.
	await assertSqliteCanBeBuilt();

	const expected = expectedPackageCount();
	const tarballs = new TarballCounter();
	const ofExpected = (count: number) => `${Math.min(count, expected).toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`;
	await step(
		log,
		{
			what: `installing n8n 2.41.1 and Node 24 into n8n-runtime/ (${expected.toLocaleString('en-US')} packages)`,
			expect: `first run only: ${FIRST_INSTALL_COST} in all`,
			howFar: () => `${ofExpected(tarballs.count)} packages downloaded, ${ofExpected(unpackedPackageCount())} unpacked`,
		},
		// `npm install`, not `npm ci`: the registry lacks some optional platform packages of the lockfile.
		// Its http log lines say which tarballs it has in hand. Bounded by an hour: it took 21 min on a
		// 2-core machine shared with three other such installs, and 20 min was too tight there.
		() =>
			run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'], {
				cwd: RUNTIME_DIR,
				timeoutMs: 60 * 60_000,
				onLine: (line) => tarballs.readLine(line),
			}),
	);

	await step(
		log,
		{
			what: 'building sqlite3 (n8n\'s database driver) for Node 24',
			expect: 'seconds with its prebuilt binary; 2-4 min when it is compiled from C',
			howFar: sqliteCompileProgress,
		},
		// Under `npm test` the project's `ignore-scripts=true` reaches child npm processes as
		// npm_config_ignore_scripts: the rebuild must say explicitly that it runs sqlite3's build script.
		async () => {
			try {
				await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'], {
					cwd: RUNTIME_DIR,
					timeoutMs: 30 * 60_000,
					env: { ...process.env, PATH: runtime.path, npm_config_nodedir: runtime.nodeDir, npm_config_ignore_scripts: 'false' },
				});
			} catch (error) {
				const stillMissing = missingBuildTools();
				throw stillMissing.length > 0 ? new Error(`${buildToolsAdvice(stillMissing)}\n\n${(error as Error).message}`) : error;
			}
		},
	);
	if (!existsSync(SQLITE_BINDING)) {
		throw new Error(`sqlite3 was not built for Node 24 (${SQLITE_BINDING} is missing); n8n cannot start without it`);
	}
	writeFileSync(RUNTIME_STAMP_FILE, runtimeStamp());
	log(`n8n runtime ready in ${formatDuration(Date.now() - started)}`);
}

if (require.main === module) {
	const prefixArgument = process.argv.find((arg) => arg.startsWith('--prefix='));
	const prefix = prefixArgument ? prefixArgument.slice('--prefix='.length) : '[n8n-runtime]';
	const log: Log = (line) => process.stdout.write(`${prefix} ${line}\n`);
	installRuntime(log).catch((error: unknown) => {
		process.stderr.write(`${prefix} ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}

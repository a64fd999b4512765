/**
 * PostgreSQL and Redis for queue mode, from Debian's packages (`postgresql`, `redis-server`), each started
 * by the test on a free loopback port with its data in a temporary folder, and stopped by process id.
 *
 * Postgres refuses to run as root: when the tests run as root (CI), the server runs as the `postgres`
 * user the Debian package creates (spawned with its uid/gid, so the pid we hold is the server's own).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findFreePortPair } from './freePort';

export interface RunningService {
	port: number;
	pid: number;
	logFile: string;
	logTail(lines?: number): string;
	stop(): Promise<void>;
}

export interface RunningPostgres extends RunningService {
	/** superuser of this throw-away cluster, trusted on loopback only */
	user: string;
	createDatabase(name: string): void;
	/** on-disk size of one database in bytes (pg_database_size) */
	databaseBytes(name: string): number;
	query(database: string, sql: string): string;
}

const POSTGRES_SUPERUSER = 'n8n';

/** Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((entry) => existsSync(join(root, entry, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length > 0 ? join(root, majors[0], 'bin') : undefined;
}

export function redisServerBinary(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

/** What is missing to run queue mode here, or undefined when Postgres and Redis are installed. */
export function missingQueueServices(): string | undefined {
	const missing = [postgresBinDir() ? '' : 'postgresql', redisServerBinary() ? '' : 'redis-server'].filter(Boolean);
	return missing.length > 0
		? `queue mode needs ${missing.join(' and ')}: apt-get install -y ${missing.join(' ')} (.ci/run does it)`
		: undefined;
}

/** The account Postgres runs as: ourselves, or the Debian `postgres` user when we are root. */
function postgresAccount(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const entry = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.map((line) => line.split(':'))
		.find((fields) => fields[0] === 'postgres');
	if (!entry) throw new Error('running as root and there is no "postgres" user to run PostgreSQL as (apt-get install postgresql creates it)');
	return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

function tail(logFile: string, lines = 40): string {
	return existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stops a server by its pid: `signal` first, SIGKILL if it is still there after `graceMs`. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

export interface PostgresOptions {
	/** Tests trade durability for speed (fsync off); the benchmark keeps Postgres' defaults. */
	durable?: boolean;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
	const binDir = postgresBinDir();
	if (!binDir) throw new Error(missingQueueServices());
	const account = postgresAccount();
	const folder = mkdtempSync(join(tmpdir(), 'netsec-postgres-'));
	const dataDir = join(folder, 'data');
	const socketDir = join(folder, 'socket');
	mkdirSync(dataDir, { mode: 0o700 });
	mkdirSync(socketDir);
	if (account) for (const path of [folder, dataDir, socketDir]) chownSync(path, account.uid, account.gid);
	const asAccount = account ? { uid: account.uid, gid: account.gid } : {};

	execFileSync(
		join(binDir, 'initdb'),
		['-D', dataDir, '-U', POSTGRES_SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
		{ ...asAccount, cwd: folder, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 },
	);
	const port = await findFreePortPair();
	const logFile = join(folder, 'postgres.log');
	const log = createWriteStream(logFile);
	const settings = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
	const child = spawn(
		join(binDir, 'postgres'),
		['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', socketDir, '-c', 'max_connections=200', ...settings],
		{ ...asAccount, cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);

	const psql = (database: string, args: string[]): string =>
		execFileSync(join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_SUPERUSER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-tA', ...args], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 60_000,
		}).trim();

	const stop = async () => {
		// SIGINT is Postgres' "fast" shutdown: it ends sessions and stops cleanly.
		await stopChild(child, 'SIGINT', 20_000);
		log.end();
		rmSync(folder, { recursive: true, force: true });
	};

	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`postgres exited while starting:\n${tail(logFile)}`);
		try {
			psql('postgres', ['-c', 'select 1']);
			break;
		} catch {
			if (Date.now() > deadline) {
				await stop();
				throw new Error(`postgres did not accept connections within 60 s:\n${tail(logFile)}`);
			}
			await sleep(200);
		}
	}

	return {
		port,
		pid: child.pid!,
		user: POSTGRES_SUPERUSER,
		logFile,
		logTail: (lines) => tail(logFile, lines),
		stop,
		query: (database, sql) => psql(database, ['-c', sql]),
		createDatabase: (name) => {
			psql('postgres', ['-c', `create database "${name}"`]);
		},
		databaseBytes: (name) => Number(psql('postgres', ['-c', `select pg_database_size('${name}')`])),
	};
}

export async function startRedis(): Promise<RunningService> {
	const binary = redisServerBinary();
	if (!binary) throw new Error(missingQueueServices());
	const folder = mkdtempSync(join(tmpdir(), 'netsec-redis-'));
	const port = await findFreePortPair();
	const logFile = join(folder, 'redis.log');
	const log = createWriteStream(logFile);
	// No persistence: the queue lives as long as the test.
	const child = spawn(
		binary,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		{ cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	const stop = async () => {
		await stopChild(child, 'SIGTERM', 10_000);
		log.end();
		rmSync(folder, { recursive: true, force: true });
	};
	const deadline = Date.now() + 30_000;
	while (!(await redisAnswersPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not start:\n${tail(logFile)}`);
		}
		await sleep(100);
	}
	return { port, pid: child.pid!, logFile, logTail: (lines) => tail(logFile, lines), stop };
}

function redisAnswersPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const done = (answer: boolean) => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
	});
}

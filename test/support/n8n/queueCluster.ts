/**
 * n8n in queue mode on one machine, as users run it on several: one main instance (UI, API, triggers and
 * pollers; it enqueues executions) and `n8n worker` processes (they run them), sharing one Postgres
 * database, one Redis and one archive folder. Every instance has its own user folder with the packed
 * package installed as a community package, as each server of a real deployment would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { findFreePortPair } from './freePort';
import { installPackage } from './installPackage';
import { startN8n, type RunningN8n } from './n8nProcess';
import type { RunningPostgres, RunningService } from './services';

export interface QueueClusterOptions {
	/** folder holding one user folder per instance (main, worker-1, worker-2...) */
	root: string;
	/** the packed package (installPackage's tarball), and any other community package to install with it */
	tarballs: string[];
	postgres: RunningPostgres;
	redis: RunningService;
	/** database name in `postgres`, created here */
	database: string;
	workers: number;
	/** the only folder file nodes may touch (N8N_RESTRICT_FILE_ACCESS_TO), shared by every instance */
	filesFolder: string;
	/** added to every instance's environment */
	env?: Record<string, string>;
}

export interface QueueCluster {
	main: RunningN8n;
	workers: RunningN8n[];
	/** starts main again in its user folder (after `main.kill()`); `main` then points to the new process */
	restartMain(): Promise<RunningN8n>;
	/** starts worker `index` again (after a kill); `workers[index]` then points to the new process */
	restartWorker(index: number): Promise<RunningN8n>;
	stop(): Promise<void>;
}

/** The environment a user sets on main and every worker for queue mode with Postgres and Redis. */
export function queueModeEnv(postgres: RunningPostgres, redis: RunningService, database: string): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
	};
}

export async function startQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	options.postgres.createDatabase(options.database);
	mkdirSync(options.filesFolder, { recursive: true });
	const sharedEnv: Record<string, string> = {
		...queueModeEnv(options.postgres, options.redis, options.database),
		N8N_RESTRICT_FILE_ACCESS_TO: options.filesFolder,
		...options.env,
	};
	const instances = ['main', ...Array.from({ length: options.workers }, (_, index) => `worker-${index + 1}`)];
	const userFolders = new Map(instances.map((name) => [name, join(options.root, name)]));
	for (const folder of userFolders.values()) installPackage(folder, ...options.tarballs);

	const ports = new Map<string, number>();
	const launch = async (name: string): Promise<RunningN8n> => {
		const port = ports.get(name) ?? (await findFreePortPair());
		ports.set(name, port);
		return await startN8n({
			userFolder: userFolders.get(name)!,
			port,
			command: name === 'main' ? 'start' : 'worker',
			env: sharedEnv,
			// a first boot runs n8n's migrations on Postgres (workers wait for them): slow on a busy machine
			readyTimeoutMs: 5 * 60_000,
		});
	};

	// All at once: workers wait for main's database migrations (a lock in the database) on their own.
	const launched = await Promise.allSettled(instances.map(async (name) => await launch(name)));
	const running = launched.flatMap((instance) => (instance.status === 'fulfilled' ? [instance.value] : []));
	const failed = launched.find((instance) => instance.status === 'rejected');
	if (failed) {
		await Promise.all(running.map(async (instance) => await instance.stop()));
		throw (failed as PromiseRejectedResult).reason;
	}
	const cluster: QueueCluster = {
		main: running[0],
		workers: running.slice(1),
		restartMain: async () => (cluster.main = await launch('main')),
		restartWorker: async (index) => (cluster.workers[index] = await launch(`worker-${index + 1}`)),
		stop: async () => {
			await Promise.all([cluster.main, ...cluster.workers].map(async (instance) => await instance.stop()));
		},
	};
	return cluster;
}

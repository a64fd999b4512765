/**
 * Installs the built package into an n8n user folder the way n8n installs a community package: the
 * packed tarball into `<userFolder>/.n8n/nodes`, so node types read `n8n-nodes-netsec-events.<node>`
 * and the runtime dependency (ws) resolves from there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from './runtime';

/** Packs dist (the build must have run) into `outDir` and returns the tarball path. */
export function packPackage(outDir: string): string {
	if (!existsSync(join(PROJECT_ROOT, 'dist', 'nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	mkdirSync(outDir, { recursive: true });
	const output = execFileSync('npm', ['pack', '--pack-destination', outDir, '--json', '--ignore-scripts'], {
		cwd: PROJECT_ROOT,
		encoding: 'utf8',
		timeout: 120_000,
	});
	const [packed] = JSON.parse(output) as Array<{ filename: string }>;
	return join(outDir, packed.filename);
}

/** Installs the packed package, and any other community package packed beside it (the benchmark's floor). */
export function installPackage(userFolder: string, ...tarballs: string[]): void {
	const nodesFolder = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesFolder, { recursive: true });
	if (!existsSync(join(nodesFolder, 'package.json'))) {
		writeFileSync(join(nodesFolder, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	}
	// As n8n does: production dependencies only, no scripts, peers (n8n-workflow) come from n8n itself.
	execFileSync(
		'npm',
		['install', ...tarballs, '--omit=dev', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
		{ cwd: nodesFolder, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 },
	);
}

/**
 * Packs the n8n floor's two nodes as a community package of their own (`n8n-nodes-bench-floor`),
 * transpiled from this folder, for the benchmark to install beside the package in every n8n instance.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import ts from 'typescript';

const NODES = ['BenchFloorTrigger', 'BenchFloorDone'];

export const FLOOR_TRIGGER_TYPE = 'n8n-nodes-bench-floor.benchFloorTrigger';
export const FLOOR_DONE_TYPE = 'n8n-nodes-bench-floor.benchFloorDone';

/** Writes the package into `folder`, packs it next to it and returns the tarball's path. */
export function packFloorPackage(folder: string): string {
	mkdirSync(folder, { recursive: true });
	const sources = [...NODES.map((node) => `${node}.node`), 'vcoFloor'];
	for (const source of sources) {
		const { outputText } = ts.transpileModule(readFileSync(join(__dirname, `${source}.ts`), 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		});
		writeFileSync(join(folder, `${source}.js`), outputText);
	}
	const manifest = {
		name: 'n8n-nodes-bench-floor',
		version: '1.0.0',
		private: true,
		keywords: ['n8n-community-node-package'],
		n8n: { n8nNodesApiVersion: 1, nodes: NODES.map((node) => `${node}.node.js`) },
	};
	writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', join(folder, '..')], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
	const [packed] = JSON.parse(output) as Array<{ filename: string }>;
	return join(folder, '..', packed.filename);
}

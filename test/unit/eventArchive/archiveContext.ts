/**
 * An IExecuteFunctions for Event Archive with n8n's own file-system helpers (n8n-core 2.41: access
 * rules, symlink refusal, descriptor pinning), in a throw-away user folder whose `files` sub-folder
 * is the one N8N_RESTRICT_FILE_ACCESS_TO allows. Call `archiveSandbox()` before anything asks n8n's
 * settings (they are read once per test file).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, IExecuteFunctions, INode, NodeExecutionHint } from 'n8n-workflow';

export interface ArchiveSandbox {
	/** the user folder (n8n's own files inside are off limits) */
	root: string;
	/** the folder nodes may write: N8N_RESTRICT_FILE_ACCESS_TO */
	files: string;
}

export function archiveSandbox(): ArchiveSandbox {
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'event-archive-unit-')));
	const files = join(root, 'files');
	mkdirSync(files);
	process.env.N8N_USER_FOLDER = root;
	process.env.N8N_RESTRICT_FILE_ACCESS_TO = files;
	process.env.N8N_ENCRYPTION_KEY = 'event-archive-unit-tests';
	afterAll(() => rmSync(root, { recursive: true, force: true }));
	return { root, files };
}

/** A parameter is a value, or a function of the item standing in for an n8n expression. */
export type Parameters = Record<string, unknown | ((item: IDataObject) => unknown)>;

export const NODE: INode = {
	id: 'archive',
	name: 'Event Archive',
	type: 'n8n-nodes-netsec-events.eventArchive',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** What the description's defaults give, before a test's own parameters. */
const DEFAULTS: Parameters = {
	baseFolder: 'netsec-archive',
	folderKey: (item: IDataObject) => item.enterpriseName,
	folderNaming: 'collisionFree',
	fileName: 'events.json',
	content: 'json',
	layout: 'asIs',
	jsonStyle: 'compact',
	rotation: 'none',
	skipWritten: false,
	eventKey: (item: IDataObject) => `${String(item.enterpriseId)}:${String(item.id)}`,
	recognizeWithinMinutes: 60,
	manualRuns: 'testFile',
};

export interface ArchiveRun {
	context: IExecuteFunctions;
	hints: NodeExecutionHint[];
}

export function archiveContext(
	items: IDataObject[],
	parameters: Parameters,
	options: { mode?: 'manual' | 'trigger'; continueOnFail?: boolean } = {},
): ArchiveRun {
	// Required here, not at the top: n8n reads its settings from the environment archiveSandbox() sets.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { getFileSystemHelperFunctions } = require('n8n-core/dist/execution-engine/node-execution-context/utils/file-system-helper-functions');
	const all = { ...DEFAULTS, ...parameters };
	const hints: NodeExecutionHint[] = [];
	const context = {
		getInputData: () => items.map((json) => ({ json })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = all[name];
			const resolved = typeof value === 'function' ? (value as (item: IDataObject) => unknown)(items[itemIndex]) : value;
			return resolved ?? fallback;
		},
		// Per-item values (functions here) are expressions to the node: it must read them item by item.
		getNode: () => ({
			...NODE,
			parameters: Object.fromEntries(Object.entries(all).map(([name, value]) => [name, typeof value === 'function' ? `={{ per-item ${name} }}` : value])),
		}),
		getMode: () => options.mode ?? 'trigger',
		continueOnFail: () => options.continueOnFail ?? false,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		helpers: getFileSystemHelperFunctions(NODE),
	} as unknown as IExecuteFunctions;
	return { context, hints };
}

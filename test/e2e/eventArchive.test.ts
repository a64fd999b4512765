/**
 * Event Archive in a real n8n: hostile folder keys stay inside the base folder, lines append across
 * runs, daily rotation names the file, a folder n8n may not write gets a clear error, a relative base
 * folder lands in n8n's files folder, manual runs keep out of the archive, a full disk leaves the file
 * on its last whole line, and a batch re-delivered after a read-only spell is written once.
 *
 * The full disk is a tiny tmpfs and the read-only folder a read-only bind mount (root ignores file
 * modes): the e2e machine runs as root, as CI does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodeOutput, type ExecutionSummary, type N8nClient, type WorkflowJson } from '../support/n8n/n8nClient';
import { connectToE2eN8n, type E2eState } from '../support/n8n/state';

let client: N8nClient;
let state: E2eState;
const mounts: string[] = [];

beforeAll(async () => {
	({ client, state } = await connectToE2eN8n());
});

afterAll(() => {
	for (const mountPoint of mounts.reverse()) unmount(mountPoint);
});

const ITEMS = [
	{ id: 1, eventTime: '2021-10-23T06:48:57.000Z', event: 'EDGE_UP', message: 'Zürich up', enterpriseName: 'Acme Retail Group' },
	{ id: 2, eventTime: '2021-10-23T06:49:57.000Z', event: 'EDGE_DOWN', message: 'down', enterpriseName: '../../../etc' },
	{ id: 3, eventTime: '2021-10-23T06:50:57.000Z', event: 'LINK_DEAD', message: 'dead', enterpriseName: '/absolute\u0000nul' },
];

function archiveWorkflow(name: string, parameters: Record<string, unknown>, items: object[] = ITEMS): WorkflowJson {
	return {
		name,
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: 'Events',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [300, 0],
				parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
			},
			{ name: 'Archive', type: 'n8n-nodes-netsec-events.eventArchive', typeVersion: 1, position: [600, 0], parameters },
		],
		connections: {
			Start: { main: [[{ node: 'Events', type: 'main', index: 0 }]] },
			Events: { main: [[{ node: 'Archive', type: 'main', index: 0 }]] },
		},
	};
}

async function runArchive(name: string, parameters: Record<string, unknown>, items: object[] = ITEMS): Promise<ExecutionSummary> {
	return await client.runManually(await client.createWorkflow(archiveWorkflow(name, parameters, items)), 'Start');
}

/** The output-pane hints the Archive node left in an execution. */
function archiveHints(execution: ExecutionSummary): string[] {
	const runs = execution.data?.resultData.runData.Archive as Array<{ hints?: Array<{ message: string }> }> | undefined;
	return (runs?.[0]?.hints ?? []).map((hint) => hint.message);
}

function requireRoot(what: string): void {
	if (process.getuid?.() !== 0) throw new Error(`${what} needs root (a mount); the e2e machine and CI run as root`);
}

function mountTmpfs(mountPoint: string, bytes: number): void {
	requireRoot('a full-disk test');
	mkdirSync(mountPoint, { recursive: true });
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', mountPoint], { timeout: 10_000 });
	mounts.push(mountPoint);
}

function bindReadOnly(folder: string): void {
	requireRoot('a read-only folder test');
	execFileSync('mount', ['--bind', folder, folder], { timeout: 10_000 });
	mounts.push(folder);
	execFileSync('mount', ['-o', 'remount,bind,ro', folder], { timeout: 10_000 });
}

function unmount(mountPoint: string): void {
	const index = mounts.lastIndexOf(mountPoint);
	if (index >= 0) mounts.splice(index, 1);
	execFileSync('umount', [mountPoint], { timeout: 10_000 });
}

const vcoEvent = (id: number) => ({
	enterpriseId: 7,
	enterpriseName: 'Zürich Retail AG',
	id,
	eventTime: new Date(Date.UTC(2026, 10, 29, 12, 0, id)).toISOString(),
	event: 'EDGE_DOWN',
	category: 'EDGE',
	severity: 'ERROR',
	message: `Edge ${id} down ${'x'.repeat(200)}`,
	detail: '{"edge": 1}',
	enterpriseUsername: null,
	edgeName: `edge-${id}`,
	segmentName: null,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const idsIn = (file: string) =>
	readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => (JSON.parse(line) as { id: number }).id);

/** The bundled archiver's Event Archive settings, writing where the test says, runs by hand included. */
const archiverSettings = (baseFolder: string) => ({
	baseFolder,
	folderNaming: 'scriptCompatible',
	content: 'json',
	layout: 'veloCloudEvent',
	jsonStyle: 'python',
	skipWritten: true,
	manualRuns: 'archive',
});

describe('Event Archive in a real n8n', () => {
	it('keeps every key inside the base folder and appends across runs', async () => {
		const base = join(state.userFolder, 'files', 'archive-keys');
		const id = await client.createWorkflow(
			archiveWorkflow('Archive keys', {
				baseFolder: base,
				folderNaming: 'scriptCompatible',
				content: 'json',
				layout: 'asIs',
				jsonStyle: 'compact',
				manualRuns: 'archive',
			}),
		);
		for (let run = 0; run < 2; run++) {
			const execution = await client.runManually(id, 'Start');
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Archive')).toEqual(ITEMS);
		}
		expect(readdirSync(base).sort()).toEqual(['---------etc', '-absolute-nul', 'Acme-Retail-Group']);
		expect(readFileSync(join(base, 'Acme-Retail-Group', 'events.json'), 'utf8')).toBe(`${JSON.stringify(ITEMS[0])}\n`.repeat(2));
		expect(readFileSync(join(base, '---------etc', 'events.json'), 'utf8')).toBe(`${JSON.stringify(ITEMS[1])}\n`.repeat(2));
		expect(existsSync(join(state.userFolder, 'etc'))).toBe(false);
	});

	it('rotates daily by the UTC day of writing', async () => {
		const base = join(state.userFolder, 'files', 'archive-daily');
		const before = new Date().toISOString().slice(0, 10);
		const execution = await runArchive('Archive daily', {
			baseFolder: base,
			folderKey: 'all',
			content: 'json',
			layout: 'asIs',
			jsonStyle: 'python',
			rotation: 'daily',
			manualRuns: 'archive',
		});
		expect(execution.status).toBe('success');
		const after = new Date().toISOString().slice(0, 10);
		const files = readdirSync(join(base, 'all'));
		expect([`events-${before}.json`, `events-${after}.json`]).toContain(files[0]);
		expect(readFileSync(join(base, 'all', files[0]), 'utf8').split('\n')[0]).toBe(
			'{"id": 1, "eventTime": "2021-10-23T06:48:57.000Z", "event": "EDGE_UP", "message": "Z\\u00fcrich up", "enterpriseName": "Acme Retail Group"}',
		);
	});

	it('refuses a folder outside what n8n allows, with a clear error', async () => {
		const execution = await runArchive('Archive forbidden', { baseFolder: join(state.userFolder, 'not-allowed') });
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData.error?.message).toMatch(
			/^Could not append to .*not-allowed\/Acme-Retail-Group\/events-manual-test\.json: n8n does not allow access to .* \(see N8N_RESTRICT_FILE_ACCESS_TO\)$/,
		);
		expect(existsSync(join(state.userFolder, 'not-allowed'))).toBe(false);
	});

	it('puts its default, relative base folder inside the folder n8n allows', async () => {
		const execution = await runArchive('Archive default folder', { manualRuns: 'archive' }, [ITEMS[0]]);
		expect(execution.status).toBe('success');
		const file = join(state.userFolder, 'files', 'netsec-archive', 'Acme-Retail-Group', 'events.json');
		expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(ITEMS[0])}\n`);
		expect(archiveHints(execution)).toEqual([`Written to: ${file} (key "Acme Retail Group"): 1 line(s)`]);
	});

	it('keeps a manual run out of the archive: its sample events go to a clearly named test file', async () => {
		const base = join(state.userFolder, 'files', 'archive-manual');
		const execution = await runArchive('Archive manual run', { ...archiverSettings(base), manualRuns: 'testFile' }, [vcoEvent(1)]);
		expect(execution.status).toBe('success');
		expect(readdirSync(join(base, 'Zürich-Retail-AG')).filter((name) => !name.startsWith('.'))).toEqual(['events-manual-test.json']);
		expect(archiveHints(execution)[0]).toMatch(/^Manual run: sample events went to a separate test file, not the archive/);
	});

	it('refuses a key folder that is a symbolic link, even to a folder n8n allows', async () => {
		const base = join(state.userFolder, 'files', 'archive-symlink');
		const elsewhere = join(state.userFolder, 'files', 'archive-symlink-target');
		mkdirSync(base, { recursive: true });
		mkdirSync(elsewhere, { recursive: true });
		symlinkSync(elsewhere, join(base, 'Acme-Retail-Group'));
		const execution = await runArchive('Archive symlink', { baseFolder: base, folderNaming: 'scriptCompatible', manualRuns: 'archive' }, [ITEMS[0]]);
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData.error?.message).toMatch(/Acme-Retail-Group is a symbolic link; the archive does not follow links below its base folder$/);
		expect(readdirSync(elsewhere)).toEqual([]);
	});

	it('leaves the file on its last whole line when the disk fills up, and writes the batch once when there is room', async () => {
		const base = join(state.userFolder, 'files', 'archive-full');
		mountTmpfs(base, 64 * 1024);
		const file = join(base, 'Zürich-Retail-AG', 'events.json');
		const first = await runArchive('Archive before the disk fills', archiverSettings(base), range(1, 10).map(vcoEvent));
		expect(first.status).toBe('success');
		const before = readFileSync(file);
		// Fill the disk but for a few lines: the next batch (about 100 kB) runs out midway.
		writeFileSync(join(base, 'filler'), Buffer.alloc(64 * 1024 - before.length - 8 * 1024));

		const full = await runArchive('Archive on a full disk', archiverSettings(base), range(5, 400).map(vcoEvent));
		expect(full.status).toBe('error');
		// The write ran out of room midway: the part that went in was cut away again.
		expect(full.data?.resultData.error?.message).toMatch(/ENOSPC.*; the \d+ bytes written were cut away, the file ends on its last whole line again$/);
		expect(readFileSync(file).equals(before)).toBe(true);
		expect(existsSync(join(base, 'Zürich-Retail-AG', '.events.json.lock'))).toBe(false);

		execFileSync('mount', ['-o', 'remount,size=4m', base], { timeout: 10_000 });
		const again = await runArchive('Archive with room again', archiverSettings(base), range(5, 400).map(vcoEvent));
		expect(again.status).toBe('success');
		expect(idsIn(file)).toEqual(range(1, 400));
		unmount(base);
	});

	it('writes every event once when a batch is re-delivered after the archive folder was read-only', async () => {
		const base = join(state.userFolder, 'files', 'archive-read-only');
		const folder = join(base, 'Zürich-Retail-AG');
		const file = join(folder, 'events.json');
		expect((await runArchive('Archive poll 1', archiverSettings(base), range(1, 5).map(vcoEvent))).status).toBe('success');
		const before = readFileSync(file);

		// Two polls while the folder is read-only: both fail, the file does not change.
		bindReadOnly(folder);
		for (const [poll, ids] of [
			[2, range(4, 8)],
			[3, range(4, 12)],
		] as const) {
			const execution = await runArchive(`Archive poll ${poll} (read-only)`, archiverSettings(base), ids.map(vcoEvent));
			expect(execution.status).toBe('error');
			expect(execution.data?.resultData.error?.message).toMatch(/^Could not append to .*Zürich-Retail-AG\/events\.json: .*(EROFS|read-only)/i);
		}
		expect(readFileSync(file).equals(before)).toBe(true);

		// Writable again: the trigger re-delivers everything since its last committed poll.
		unmount(folder);
		const execution = await runArchive('Archive poll 4', archiverSettings(base), range(4, 12).map(vcoEvent));
		expect(execution.status).toBe('success');
		expect(archiveHints(execution)[0]).toMatch(/: 7 line\(s\), 2 already written$/);
		expect(idsIn(file)).toEqual(range(1, 12));
	});
});

/**
 * Event Archive in a real n8n: hostile folder keys stay inside the base folder, lines append across
 * runs, daily rotation names the file, and a folder n8n may not write gets a clear error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodeOutput, type N8nClient, type WorkflowJson } from './harness/n8nClient';
import { connectToE2eN8n, type E2eState } from './harness/state';

let client: N8nClient;
let state: E2eState;

beforeAll(async () => {
	({ client, state } = await connectToE2eN8n());
});

const ITEMS = [
	{ id: 1, eventTime: '2021-10-23T06:48:57.000Z', event: 'EDGE_UP', message: 'Zürich up', enterpriseName: 'Acme Retail Group' },
	{ id: 2, eventTime: '2021-10-23T06:49:57.000Z', event: 'EDGE_DOWN', message: 'down', enterpriseName: '../../../etc' },
	{ id: 3, eventTime: '2021-10-23T06:50:57.000Z', event: 'LINK_DEAD', message: 'dead', enterpriseName: '/absolute\u0000nul' },
];

function archiveWorkflow(name: string, parameters: Record<string, unknown>): WorkflowJson {
	return {
		name,
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: 'Events',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [300, 0],
				parameters: { jsCode: `return ${JSON.stringify(ITEMS)}.map((json) => ({ json }));` },
			},
			{ name: 'Archive', type: 'n8n-nodes-netsec-events.eventArchive', typeVersion: 1, position: [600, 0], parameters },
		],
		connections: {
			Start: { main: [[{ node: 'Events', type: 'main', index: 0 }]] },
			Events: { main: [[{ node: 'Archive', type: 'main', index: 0 }]] },
		},
	};
}

describe('Event Archive in a real n8n', () => {
	it('keeps every key inside the base folder and appends across runs', async () => {
		const base = join(state.userFolder, 'files', 'archive-keys');
		const id = await client.createWorkflow(
			archiveWorkflow('Archive keys', { baseFolder: base, content: 'item', jsonStyle: 'compact', fileName: 'events.json', rotation: 'none' }),
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
		const id = await client.createWorkflow(
			archiveWorkflow('Archive daily', {
				baseFolder: base,
				folderKey: 'all',
				content: 'item',
				jsonStyle: 'python',
				fileName: 'events.json',
				rotation: 'daily',
			}),
		);
		const before = new Date().toISOString().slice(0, 10);
		expect((await client.runManually(id, 'Start')).status).toBe('success');
		const after = new Date().toISOString().slice(0, 10);
		const files = readdirSync(join(base, 'all'));
		expect([`events-${before}.json`, `events-${after}.json`]).toContain(files[0]);
		expect(readFileSync(join(base, 'all', files[0]), 'utf8').split('\n')[0]).toBe(
			'{"id": 1, "eventTime": "2021-10-23T06:48:57.000Z", "event": "EDGE_UP", "message": "Z\\u00fcrich up", "enterpriseName": "Acme Retail Group"}',
		);
	});

	it('refuses a folder outside what n8n allows, with a clear error', async () => {
		const id = await client.createWorkflow(archiveWorkflow('Archive forbidden', { baseFolder: join(state.userFolder, 'not-allowed') }));
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData.error?.message).toMatch(
			/^Could not append to .*not-allowed\/Acme-Retail-Group\/events\.json: n8n does not allow access to this path \(see N8N_RESTRICT_FILE_ACCESS_TO\)$/,
		);
		expect(existsSync(join(state.userFolder, 'not-allowed'))).toBe(false);
	});
});

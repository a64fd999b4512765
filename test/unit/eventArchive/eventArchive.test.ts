/**
 * Event Archive end to end through its execute function, on a real disk with n8n's own file helpers:
 * where lines go (relative base, manual runs, folder naming), what is refused (empty file name,
 * symbolic links below the base), what a line holds, and skipping what was already written.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { executeArchive } from '../../../nodes/EventArchive/execute';
import { archiveContext, archiveSandbox, type Parameters } from './archiveContext';

const sandbox = archiveSandbox();
let caseNumber = 0;
/** A fresh base folder (relative, so inside n8n's files folder) per test. */
const freshBase = () => `case-${++caseNumber}`;

const EVENT = {
	enterpriseName: 'Zürich Retail AG',
	enterpriseId: 7,
	id: 2913202,
	eventTime: '2021-10-23T06:48:57.000Z',
	event: 'VPN_DATACENTER_STATUS',
	category: 'SYSTEM',
	severity: 'NOTICE',
	message: 'Tunnel to [Azure-SIN] - Failed',
	detail: '{"enterpriseLogicalId": "24676352", "ikeState": "DOWN"}',
	enterpriseUsername: null,
	edgeName: null,
	segmentName: null,
};

async function run(items: IDataObject[], parameters: Parameters, options: { mode?: 'manual' | 'trigger'; continueOnFail?: boolean } = {}) {
	const { context, hints } = archiveContext(items, parameters, options);
	const [output] = await executeArchive.call(context);
	return { output: output.map((item) => item.json), hints };
}

const read = (...path: string[]) => readFileSync(join(sandbox.files, ...path), 'utf8');

describe('Event Archive', () => {
	it('puts a relative base folder inside the folder n8n allows, in the VCO archiver script layout', async () => {
		const base = freshBase();
		await run([EVENT], { baseFolder: base, folderNaming: 'scriptCompatible', layout: 'veloCloudEvent', jsonStyle: 'python' });
		expect(readdirSync(join(sandbox.files, base))).toEqual(['Zürich-Retail-AG']);
		expect(read(base, 'Zürich-Retail-AG', 'events.json')).toBe(
			'{"id": 2913202, "eventTime": "2021-10-23T06:48:57.000Z", "event": "VPN_DATACENTER_STATUS", "category": "SYSTEM", "severity": "NOTICE", "message": "Tunnel to [Azure-SIN] - Failed", "detail": "{\\"enterpriseLogicalId\\": \\"24676352\\", \\"ikeState\\": \\"DOWN\\"}", "enterpriseUsername": null, "edgeName": null, "segmentName": null}\n',
		);
	});

	it('names the folders it used in the output hints', async () => {
		const base = freshBase();
		const { hints } = await run([EVENT], { baseFolder: base });
		expect(hints).toEqual([
			expect.objectContaining({
				message: `Written to: ${join(sandbox.files, base, 'Zürich-Retail-AG', 'events.json')} (key "Zürich Retail AG"): 1 line(s)`,
			}),
		]);
	});

	it('keeps keys the script would merge apart with collision-free naming, and warns when they share a folder', async () => {
		const keys = ['東京 Networks', '大阪 Networks', 'A.B', 'A B'];
		const items = keys.map((enterpriseName, id) => ({ ...EVENT, id, enterpriseName }));
		const collisionFree = freshBase();
		await run(items, { baseFolder: collisionFree });
		expect(readdirSync(join(sandbox.files, collisionFree)).sort()).toEqual(['A-B', 'A_2e_B', '大阪-Networks', '東京-Networks'].sort());

		const script = freshBase();
		const { hints } = await run(items, { baseFolder: script, folderNaming: 'scriptCompatible' });
		expect(readdirSync(join(sandbox.files, script)).sort()).toEqual(['A-B', '大阪-Networks', '東京-Networks'].sort());
		expect(hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^Different keys share the folder .*\/A-B: "A.B", "A B"\./));
	});

	it('writes an object detail in full in Compact style', async () => {
		const base = freshBase();
		const event = { ...EVENT, detail: { ipAddress: '13.76.153.194', nested: { numberP2SA: 0 } } };
		await run([event], { baseFolder: base, layout: 'veloCloudEvent', jsonStyle: 'compact' });
		const line = JSON.parse(read(base, 'Zürich-Retail-AG', 'events.json')) as IDataObject;
		expect(line.detail).toEqual({ ipAddress: '13.76.153.194', nested: { numberP2SA: 0 } });
		expect(Object.keys(line)[0]).toBe('id');
		expect(line).not.toHaveProperty('enterpriseName');
	});

	it('refuses an empty file name instead of writing <base>/<key> as a file', async () => {
		const base = freshBase();
		for (const fileName of ['', '   ']) {
			await expect(run([EVENT], { baseFolder: base, fileName })).rejects.toThrow('The file name is empty');
		}
		expect(existsSync(join(sandbox.files, base))).toBe(false);
		const { output } = await run([EVENT], { baseFolder: base, fileName: '' }, { continueOnFail: true });
		expect(output).toEqual([{ error: 'The file name is empty' }]);
	});

	describe('symbolic links below the base folder are not followed', () => {
		it('refuses a key folder that links elsewhere, even inside the allowed folder', async () => {
			const base = freshBase();
			const elsewhere = join(sandbox.files, `${base}-elsewhere`);
			mkdirSync(elsewhere, { recursive: true });
			mkdirSync(join(sandbox.files, base));
			symlinkSync(elsewhere, join(sandbox.files, base, 'Zürich-Retail-AG'));
			await expect(run([EVENT], { baseFolder: base })).rejects.toThrow(/Zürich-Retail-AG is a symbolic link; the archive does not follow links below its base folder/);
			expect(readdirSync(elsewhere)).toEqual([]);
		});

		it('refuses an archive file that links elsewhere', async () => {
			const base = freshBase();
			const outside = join(sandbox.files, `${base}-outside.json`);
			writeFileSync(outside, 'precious\n');
			mkdirSync(join(sandbox.files, base, 'Zürich-Retail-AG'), { recursive: true });
			symlinkSync(outside, join(sandbox.files, base, 'Zürich-Retail-AG', 'events.json'));
			await expect(run([EVENT], { baseFolder: base })).rejects.toThrow(/events\.json is a symbolic link/);
			expect(readFileSync(outside, 'utf8')).toBe('precious\n');
		});
	});

	describe('manual runs', () => {
		it('write to a separate, clearly named test file and say so', async () => {
			const base = freshBase();
			const { hints } = await run([EVENT], { baseFolder: base }, { mode: 'manual' });
			expect(readdirSync(join(sandbox.files, base, 'Zürich-Retail-AG'))).toEqual(['events-manual-test.json']);
			expect(hints[0].message).toMatch(/^Manual run: sample events went to a separate test file, not the archive/);
		});

		it('write to the archive only when asked', async () => {
			const base = freshBase();
			await run([EVENT], { baseFolder: base, manualRuns: 'archive' }, { mode: 'manual' });
			expect(readdirSync(join(sandbox.files, base, 'Zürich-Retail-AG'))).toEqual(['events.json']);
		});
	});

	describe('events already written', () => {
		const batch = (ids: number[]) => ids.map((id) => ({ ...EVENT, id, message: `event ${id}` }));
		const linesOf = (base: string) =>
			read(base, 'Zürich-Retail-AG', 'events.json')
				.trimEnd()
				.split('\n')
				.map((line) => (JSON.parse(line) as { id: number }).id);

		it('are recognised by key across executions: a re-delivered batch writes no line twice', async () => {
			const base = freshBase();
			const parameters = { baseFolder: base, skipWritten: true };
			await run(batch([1, 2, 3]), parameters);
			const { hints } = await run(batch([2, 3, 4, 4, 5]), parameters);
			expect(linesOf(base)).toEqual([1, 2, 3, 4, 5]);
			expect(hints[0].message).toMatch(/: 2 line\(s\), 3 already written$/);
		});

		it('are written again when not recognised (the option is off)', async () => {
			const base = freshBase();
			await run(batch([1, 2]), { baseFolder: base });
			await run(batch([2, 3]), { baseFolder: base });
			expect(linesOf(base)).toEqual([1, 2, 2, 3]);
		});

		it('are recognised across daily rotation', async () => {
			const base = freshBase();
			const parameters = { baseFolder: base, skipWritten: true, rotation: 'daily' };
			await run(batch([1, 2]), parameters);
			await run(batch([1, 2, 3]), parameters);
			const files = readdirSync(join(sandbox.files, base, 'Zürich-Retail-AG')).filter((name) => !name.startsWith('.'));
			expect(files).toHaveLength(1);
			expect(read(base, 'Zürich-Retail-AG', files[0]).split('\n').filter(Boolean)).toHaveLength(3);
		});

		it('need a key for every item', async () => {
			const base = freshBase();
			await expect(run(batch([1]), { baseFolder: base, skipWritten: true, eventKey: () => '' })).rejects.toThrow('The event key is empty for this item');
		});
	});
});

/**
 * The archive file after faults: a write that fails midway (a full disk) leaves the file on its last
 * whole line and nothing of the batch in it; a crash between the journal and the write is repaired;
 * parallel writers take turns. Real files, n8n's own file helpers, a fake disk write where a fault is
 * needed.
 */
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { appendBatch, journalName, lockName, wholeLineChunks, type ChunkWriter } from '../../../nodes/EventArchive/transport/appendBatch';
import { openArchiveFolder, type ArchiveFolder } from '../../../nodes/EventArchive/transport/archiveFolder';
import { archiveContext, archiveSandbox, NODE } from './archiveContext';

const sandbox = archiveSandbox();
let caseNumber = 0;
const HOUR = 3_600_000;

async function freshFolder(): Promise<ArchiveFolder> {
	const { context } = archiveContext([], {});
	return await openArchiveFolder(context, join(sandbox.files, 'append'), `case-${++caseNumber}`, ['events.json']);
}

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `{"id":${from + index},"pad":"${'x'.repeat(40)}"}`);
const keysOf = (batchLines: string[]) => batchLines.map((line) => String((JSON.parse(line) as { id: number }).id));
const options = (writer?: ChunkWriter) => ({ node: NODE, now: Date.now(), windowMs: HOUR, chunkBytes: 256, writer });
const fileText = (folder: ArchiveFolder, name = 'events.json') => readFileSync(join(folder.path, name), 'utf8');

/** A disk that takes `okWrites` whole writes, then half of the next one, then fails it with ENOSPC. */
function diskFillingUp(okWrites: number, only?: (data: Buffer) => boolean): ChunkWriter {
	let writes = 0;
	return async (handle: FileHandle, data: Buffer) => {
		if (only && !only(data)) {
			await handle.write(data);
			return;
		}
		if (writes++ < okWrites) {
			await handle.write(data);
			return;
		}
		await handle.write(data.subarray(0, Math.floor(data.length / 2)));
		throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
	};
}

const isJournalRecord = (data: Buffer) => data.toString('utf8').trimStart().startsWith('{"at":');

describe('appending a batch', () => {
	it('cuts the file back to its last whole line when the disk fills up midway', async () => {
		const folder = await freshFolder();
		await appendBatch(folder, { fileName: 'events.json', stateName: 'events.json', lines: lines(1, 3) }, options());
		const before = fileText(folder);

		const batch = { fileName: 'events.json', stateName: 'events.json', lines: lines(4, 40) };
		expect([...wholeLineChunks(batch.lines, 256)].length).toBeGreaterThan(3);
		await expect(appendBatch(folder, batch, options(diskFillingUp(2)))).rejects.toThrow(
			/^ENOSPC: no space left on device, write; the \d+ bytes written were cut away, the file ends on its last whole line again$/,
		);
		// all or nothing: the chunks that did go in are cut too, so a retry writes each line once
		expect(fileText(folder)).toBe(before);

		await appendBatch(folder, batch, options());
		expect(fileText(folder)).toBe([...lines(1, 40), ''].join('\n'));
		await folder.close();
	});

	it('cuts the file back when the very first write fails halfway', async () => {
		const folder = await freshFolder();
		await expect(appendBatch(folder, { fileName: 'events.json', stateName: 'events.json', lines: lines(1, 2) }, options(diskFillingUp(0)))).rejects.toThrow(
			'ENOSPC',
		);
		expect(fileText(folder)).toBe('');
		await folder.close();
	});

	it('never glues a line onto a cut one it finds', async () => {
		const folder = await freshFolder();
		writeFileSync(join(folder.path, 'events.json'), '{"id":1}\n{"id":2,"cut');
		await appendBatch(folder, { fileName: 'events.json', stateName: 'events.json', lines: ['{"id":3}'] }, options());
		expect(fileText(folder)).toBe('{"id":1}\n{"id":2,"cut\n{"id":3}\n');
		await folder.close();
	});

	describe('with the journal of written keys', () => {
		const batch = (from: number, to: number) => {
			const batchLines = lines(from, to);
			return { fileName: 'events.json', stateName: 'events.json', lines: batchLines, keys: keysOf(batchLines) };
		};

		it('rolls the lines back when the journal cannot be written, and writes them once afterwards', async () => {
			const folder = await freshFolder();
			await appendBatch(folder, batch(1, 3), options());
			const before = fileText(folder);
			await expect(appendBatch(folder, batch(2, 20), options(diskFillingUp(1, isJournalRecord)))).rejects.toThrow('ENOSPC');
			expect(fileText(folder)).toBe(before);
			const outcomes = await appendBatch(folder, batch(2, 20), options());
			expect(outcomes.filter((outcome) => outcome === 'alreadyWritten')).toHaveLength(2);
			expect(fileText(folder)).toBe([...lines(1, 20), ''].join('\n'));
			await folder.close();
		});

		it('forgets nothing a failed write promised: its keys are written on the next attempt', async () => {
			const folder = await freshFolder();
			await expect(appendBatch(folder, batch(1, 30), options(diskFillingUp(1, (data) => !isJournalRecord(data))))).rejects.toThrow('ENOSPC');
			expect(fileText(folder)).toBe('');
			const outcomes = await appendBatch(folder, batch(1, 30), options());
			expect(outcomes.every((outcome) => outcome === 'written')).toBe(true);
			expect(fileText(folder)).toBe([...lines(1, 30), ''].join('\n'));
			await folder.close();
		});

		it('repairs a write a crash cut short, and writes its events once', async () => {
			const folder = await freshFolder();
			await appendBatch(folder, batch(1, 2), options());
			const whole = fileText(folder);
			// A crash after the journal record and half the chunk: the process never saw an error.
			const crashed = batch(3, 4);
			const chunk = Buffer.from(crashed.lines.map((line) => `${line}\n`).join(''));
			const start = Buffer.byteLength(whole);
			writeFileSync(
				join(folder.path, journalName('events.json')),
				`${JSON.stringify({ at: Date.now(), file: 'events.json', start, end: start + chunk.length, keys: crashed.keys })}\n`,
				{ flag: 'a' },
			);
			writeFileSync(join(folder.path, 'events.json'), chunk.subarray(0, 30), { flag: 'a' });

			await appendBatch(folder, batch(2, 5), options());
			expect(fileText(folder)).toBe([...lines(1, 5), ''].join('\n'));
			await folder.close();
		});

		it('recognises keys within the window before the last write, however long ago that was', async () => {
			const folder = await freshFolder();
			const at = (hoursAgo: number) => ({ ...options(), now: Date.now() - hoursAgo * HOUR });
			await appendBatch(folder, batch(1, 1), at(50));
			await appendBatch(folder, batch(2, 2), at(48));
			// an outage of two days: event 2 (written just before it) is recognised, event 1 is not
			const outcomes = await appendBatch(folder, batch(1, 3), options());
			expect(outcomes).toEqual(['written', 'alreadyWritten', 'written']);
			await folder.close();
		});

		it('keeps its journal bounded by the window', async () => {
			const folder = await freshFolder();
			for (let index = 0; index < 70; index++) await appendBatch(folder, batch(index, index), { ...options(), now: Date.now() - 10 * HOUR });
			await appendBatch(folder, batch(100, 100), options());
			const records = fileText(folder, journalName('events.json')).trim().split('\n');
			expect(records).toHaveLength(1);
			expect(await appendBatch(folder, batch(100, 101), options())).toEqual(['alreadyWritten', 'written']);
			await folder.close();
		});

		it('still reports the lines written when tidying the journal fails', async () => {
			const folder = await freshFolder();
			for (let index = 0; index < 70; index++) await appendBatch(folder, batch(index, index), { ...options(), now: Date.now() - 10 * HOUR });
			// the compaction's temporary file cannot be created: a folder is in its way
			mkdirSync(join(folder.path, `${journalName('events.json')}.compacting`));
			expect(await appendBatch(folder, batch(100, 100), options())).toEqual(['written']);
			expect(fileText(folder, journalName('events.json')).trim().split('\n')).toHaveLength(71);
			expect(await appendBatch(folder, batch(100, 100), options())).toEqual(['alreadyWritten']);
			await folder.close();
		});
	});

	describe('parallel writers', () => {
		it('take turns: each batch lands whole, not interleaved with another', async () => {
			const folder = await freshFolder();
			const writers = [1, 2, 3, 4].map(
				async (writer) => await appendBatch(folder, { fileName: 'events.json', stateName: 'events.json', lines: lines(writer * 1000, writer * 1000 + 200) }, options()),
			);
			await Promise.all(writers);
			const writerOfLine = fileText(folder)
				.trimEnd()
				.split('\n')
				.map((line) => Math.floor((JSON.parse(line) as { id: number }).id / 1000));
			expect(writerOfLine).toHaveLength(4 * 201);
			const runs = writerOfLine.filter((writer, index) => index === 0 || writer !== writerOfLine[index - 1]);
			expect(runs.sort()).toEqual([1, 2, 3, 4]);
			expect(existsSync(join(folder.path, lockName('events.json')))).toBe(false);
			await folder.close();
		});

		it('wait for a live lock within a bound, and take over a dead writer\'s lock', async () => {
			const folder = await freshFolder();
			const lock = join(folder.path, lockName('events.json'));
			mkdirSync(folder.path, { recursive: true });
			writeFileSync(lock, '{"host":"elsewhere"}');
			const batch = { fileName: 'events.json', stateName: 'events.json', lines: lines(1, 1) };
			await expect(appendBatch(folder, batch, { ...options(), lockWaitMs: 300 })).rejects.toThrow(/Another execution is still writing to .* \(lock file \.events\.json\.lock\)/);
			const longAgo = new Date(Date.now() - 5 * 60_000);
			utimesSync(lock, longAgo, longAgo);
			await appendBatch(folder, batch, { ...options(), lockWaitMs: 300 });
			expect(fileText(folder)).toBe(`${lines(1, 1)[0]}\n`);
			expect(existsSync(lock)).toBe(false);
			expect(statSync(folder.path).isDirectory()).toBe(true);
			await folder.close();
		});
	});
});

describe('whole-line chunks', () => {
	const decoded = (chunks: Array<{ bytes: Buffer }>) => Buffer.concat(chunks.map((chunk) => chunk.bytes)).toString('utf8');

	it('encodes every line once, in order, each followed by a newline, the prefix before the first', () => {
		const text = ['{"a":1}', 'plain', 'é and 漢字 and 😀', '', 'last'];
		const chunks = [...wholeLineChunks(text, 12, '\n')];
		expect(decoded(chunks)).toBe(`\n${text.join('\n')}\n`);
		expect(chunks.map((chunk) => [chunk.first, chunk.count])).toEqual(
			chunks.map((_, index) => [chunks.slice(0, index).reduce((total, chunk) => total + chunk.count, 0), chunks[index].count]),
		);
		expect(chunks.reduce((total, chunk) => total + chunk.count, 0)).toBe(text.length);
	});

	it('bounds chunks by UTF-8 bytes, not characters, and gives a longer line a chunk of its own', () => {
		// 10 two-byte characters: 21 bytes with the newline, though only 10 characters
		const wide = 'é'.repeat(10);
		const long = 'x'.repeat(100);
		const chunks = [...wholeLineChunks([wide, wide, long, 'y', 'z'], 40)];
		expect(chunks.map((chunk) => chunk.count)).toEqual([1, 1, 1, 2]);
		expect(chunks.map((chunk) => chunk.bytes.length)).toEqual([21, 21, 101, 4]);
		for (const chunk of chunks.filter((entry) => entry.count > 1)) expect(chunk.bytes.length).toBeLessThanOrEqual(40);
	});

	it('yields nothing for no lines, whatever the prefix', () => {
		expect([...wholeLineChunks([], 1024, '\n')]).toEqual([]);
	});
});

import { NodeOperationError, sleep, type INode } from 'n8n-workflow';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

import type { ArchiveFolder } from './archiveFolder';
import { compactJournal, journalLine, readJournal, storedKey, type JournalView } from './writtenKeys';

/** Writes bytes at the file's end; a seam for tests that make the disk fail midway. */
export type ChunkWriter = (handle: FileHandle, data: Buffer) => Promise<void>;

export interface ArchiveBatch {
	/** The file the lines go to this time (daily rotation applied). */
	fileName: string;
	/** The configured file name: the lock and the journal are named after it, across rotations. */
	stateName: string;
	lines: string[];
	/** Event keys, one per line, when the archive skips events it already wrote. */
	keys?: string[];
}

export interface AppendOptions {
	node: INode;
	now: number;
	/** Recognise keys written within this long before the last write (with `keys`). */
	windowMs: number;
	chunkBytes?: number;
	writer?: ChunkWriter;
	lockWaitMs?: number;
}

/** Per line: written now, or skipped because the archive already holds its event. */
export type LineOutcome = 'written' | 'alreadyWritten';

const CHUNK_BYTES = 1024 * 1024;
/** A lock older than this belongs to a writer that died; a live writer refreshes it every chunk. */
const STALE_LOCK_MS = 60_000;
const NEWLINE = 0x0a;

export const journalName = (stateName: string) => `.${stateName}.written`;
export const lockName = (stateName: string) => `.${stateName}.lock`;

/**
 * Appends a batch of lines to one archive file, all or nothing: on any failure (a full disk, an I/O
 * error) the file is cut back to the size it had before, so it ends on its last whole line and the
 * next append does not glue onto half a line. One writer at a time per file (a lock file beside it),
 * so executions running in parallel on queue-mode workers do not interleave or cut each other's lines.
 */
export async function appendBatch(folder: ArchiveFolder, batch: ArchiveBatch, options: AppendOptions): Promise<LineOutcome[]> {
	const writer = options.writer ?? writeFully;
	const lock = await acquireLock(folder, lockName(batch.stateName), options);
	try {
		const outcomes: LineOutcome[] = batch.lines.map(() => 'written');
		const keys = batch.keys?.map(storedKey);
		let journal: JournalView | undefined;
		if (keys) {
			journal = await readJournal(folder, journalName(batch.stateName), new Set(keys), options.windowMs, options.now);
			const seen = new Set<string>();
			keys.forEach((key, index) => {
				if (journal!.written.has(key) || seen.has(key)) outcomes[index] = 'alreadyWritten';
				seen.add(key);
			});
			await lock.refresh();
		}
		const lines: string[] = [];
		const lineKeys: string[] = [];
		outcomes.forEach((outcome, index) => {
			if (outcome !== 'written') return;
			lines.push(batch.lines[index]);
			if (keys) lineKeys.push(keys[index]);
		});
		if (lines.length === 0) return outcomes;

		const target = await folder.open(batch.fileName, fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_CREAT);
		let journalHandle: FileHandle | undefined;
		try {
			const stats = await target.stat();
			if (!stats.isFile()) throw new NodeOperationError(options.node, `${folder.path}/${batch.fileName} is not a regular file`);
			const sizeBefore = await repairInterruptedWrite(target, stats.size, journal?.lastChunk.get(batch.fileName));
			const prefix = sizeBefore > 0 && (await lastByte(target, sizeBefore)) !== NEWLINE ? '\n' : '';
			let journalPrefix = journal && !journal.endsWithNewline ? '\n' : '';
			if (journal) journalHandle = await folder.open(journalName(batch.stateName), fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT);
			let size = sizeBefore;
			try {
				for (const { bytes, ...chunk } of wholeLineChunks(lines, options.chunkBytes ?? CHUNK_BYTES, prefix)) {
					if (journalHandle) {
						const record = { at: options.now, file: batch.fileName, start: size, end: size + bytes.length, keys: lineKeys.slice(chunk.first, chunk.first + chunk.count) };
						await writer(journalHandle, Buffer.from(journalPrefix + journalLine(record), 'utf8'));
						journalPrefix = '';
					}
					await writer(target, bytes);
					size += bytes.length;
					await lock.refresh();
				}
			} catch (error) {
				throw await rollBack(error, target, sizeBefore, journalHandle, journal?.size, folder.path, batch.fileName);
			}
			if (journal?.needsCompaction) await compactJournal(folder, journalName(batch.stateName), options.windowMs);
		} finally {
			await journalHandle?.close();
			await target.close();
		}
		return outcomes;
	} finally {
		await lock.release();
	}
}

/**
 * A crash (not an error we saw) can leave the last chunk half written: its journal record promises
 * bytes the file does not reach. Those bytes are ours and incomplete: cut them.
 */
async function repairInterruptedWrite(target: FileHandle, size: number, last: { start: number; end: number } | undefined): Promise<number> {
	if (!last || size <= last.start || size >= last.end) return size;
	await target.truncate(last.start);
	return last.start;
}

async function rollBack(
	error: unknown,
	target: FileHandle,
	sizeBefore: number,
	journalHandle: FileHandle | undefined,
	journalSizeBefore: number | undefined,
	folderPath: string,
	fileName: string,
): Promise<Error> {
	const cause = error instanceof Error ? error : new Error(String(error));
	try {
		const reached = (await target.stat()).size;
		await target.truncate(sizeBefore);
		if (journalHandle && journalSizeBefore !== undefined) await journalHandle.truncate(journalSizeBefore);
		if (reached > sizeBefore) cause.message += `; the ${reached - sizeBefore} bytes written were cut away, the file ends on its last whole line again`;
	} catch (truncateError) {
		cause.message += ` (and ${folderPath}/${fileName} could not be cut back to its last whole line: ${(truncateError as Error).message})`;
	}
	return cause;
}

async function lastByte(handle: FileHandle, size: number): Promise<number> {
	const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
	return buffer[0];
}

async function writeFully(handle: FileHandle, data: Buffer): Promise<void> {
	let offset = 0;
	while (offset < data.length) {
		const { bytesWritten } = await handle.write(data, offset, data.length - offset);
		if (bytesWritten <= 0) throw new Error('the disk accepted no more bytes');
		offset += bytesWritten;
	}
}

/** Whole lines, UTF-8 encoded, as one journal record and one append. */
export interface LineChunk {
	bytes: Buffer;
	/** index of the chunk's first line */
	first: number;
	count: number;
}

/**
 * Whole lines in chunks of about `chunkBytes` (a longer line is a chunk of its own), each line followed
 * by a newline and `prefix` before the first. Each line is encoded straight into its chunk's buffer, one
 * chunk at a time: joining 10^5 lines into text first and encoding that cost ten times as much.
 */
export function* wholeLineChunks(lines: string[], chunkBytes: number, prefix = ''): Generator<LineChunk> {
	let first = 0;
	while (first < lines.length) {
		let size = Buffer.byteLength(prefix);
		let count = 0;
		while (first + count < lines.length) {
			const lineSize = Buffer.byteLength(lines[first + count]) + 1;
			if (count > 0 && size + lineSize > chunkBytes) break;
			size += lineSize;
			count++;
		}
		const bytes = Buffer.allocUnsafe(size);
		let used = bytes.write(prefix, 0);
		for (let index = first; index < first + count; index++) {
			used += bytes.write(lines[index], used);
			bytes[used++] = NEWLINE;
		}
		yield { bytes, first, count };
		first += count;
		prefix = '';
	}
}

interface HeldLock {
	refresh(): Promise<void>;
	release(): Promise<void>;
}

/**
 * An exclusive lock file created with O_EXCL (atomic on local disks and NFS), waited for within a
 * bound, taken over when its holder stopped refreshing it (it died).
 */
async function acquireLock(folder: ArchiveFolder, name: string, options: AppendOptions): Promise<HeldLock> {
	const deadline = Date.now() + (options.lockWaitMs ?? STALE_LOCK_MS + 10_000);
	for (let attempt = 0; ; attempt++) {
		try {
			// Empty on purpose: a full disk must not stop the lock from being taken (or leave one behind).
			const handle = await folder.open(name, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL);
			return {
				refresh: async () => {
					const now = new Date();
					await handle.utimes(now, now);
				},
				release: async () => {
					await handle.close();
					await folder.unlinkIfPresent(name);
				},
			};
		} catch (error) {
			if ((error as { code?: string }).code !== 'EEXIST') throw error;
		}
		const age = await folder.age(name);
		if (age !== undefined && age > STALE_LOCK_MS) {
			// Move the dead writer's lock aside, then look at what was moved: if another waiter took the
			// lock over in between, the moved lock is fresh and goes back.
			const aside = `${name}.stale-${randomBytes(6).toString('hex')}`;
			if (await folder.renameIfPresent(name, aside)) {
				const movedAge = await folder.age(aside);
				if (movedAge !== undefined && movedAge <= STALE_LOCK_MS) await folder.rename(aside, name);
				else await folder.unlink(aside);
			}
			continue;
		}
		if (Date.now() > deadline) {
			throw new NodeOperationError(options.node, `Another execution is still writing to ${folder.path} (lock file ${name})`, {
				description: `The archive waits for the writer before it. If no other execution is running, the lock is taken over once it is ${STALE_LOCK_MS / 1000} s old.`,
			});
		}
		await sleep(Math.min(50 * 2 ** Math.min(attempt, 4), 500));
	}
}

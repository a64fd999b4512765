import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';

import type { ArchiveFolder } from './archiveFolder';

/**
 * The journal of what the archive wrote, beside the archive file (`.events.json.written`): one line
 * per appended chunk, written *before* the chunk, naming the file, the byte range the chunk was to
 * take and the event keys in it. A chunk counts as written only if its file still reaches the end
 * of that range and no later chunk started inside it, so a write that failed, was rolled back or was
 * cut short by a crash never hides its events from the next attempt.
 *
 * Everything is read from disk on each execution (queue mode: any worker may run the next one), and
 * only the keys of the batch at hand are kept in memory.
 */
export interface JournalRecord {
	at: number;
	file: string;
	start: number;
	end: number;
	keys: string[];
}

export interface JournalView {
	/** Keys of the batch that a valid chunk within the window holds. */
	written: Set<string>;
	/** The last chunk recorded for each file: the one a crash may have cut short. */
	lastChunk: Map<string, { start: number; end: number }>;
	/** Whether the journal has enough old records to be rewritten without them. */
	needsCompaction: boolean;
	/** Journal bytes, and whether they end with a line break (a cut record must not glue onto the next). */
	size: number;
	endsWithNewline: boolean;
}

const LONGEST_STORED_KEY = 128;
/** Rewrite the journal once it holds this many records older than the window, and more old than new. */
const COMPACT_AFTER_STALE_RECORDS = 64;

/** Keys are stored as given when short (readable), else as a SHA-256 digest. */
export function storedKey(key: string): string {
	return key.length <= LONGEST_STORED_KEY ? key : `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

export function journalLine(record: JournalRecord): string {
	return `${JSON.stringify(record)}\n`;
}

interface ChunkSeen {
	at: number;
	file: string;
	start: number;
	end: number;
	matched: string[];
	superseded: boolean;
}

/**
 * Reads the journal once, line by line. `windowMs` counts back from the newest record, not from the
 * clock: after an outage of any length, what was written just before it is still recognised. `now`
 * is when the coming write happens: records it will leave behind the window make a compaction due.
 */
export async function readJournal(folder: ArchiveFolder, name: string, wanted: Set<string>, windowMs: number, now: number): Promise<JournalView> {
	const chunks: ChunkSeen[] = [];
	const openChunks = new Map<string, ChunkSeen[]>();
	let size = 0;
	let lastByte = 0x0a;
	let handle;
	try {
		handle = await folder.open(name, fsConstants.O_RDONLY);
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') {
			return { written: new Set(), lastChunk: new Map(), needsCompaction: false, size: 0, endsWithNewline: true };
		}
		throw error;
	}
	try {
		size = (await handle.stat()).size;
		if (size > 0) {
			const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
			lastByte = buffer[0];
		}
		for await (const line of handle.readLines({ start: 0, autoClose: false })) {
			const record = parseRecord(line);
			if (!record) continue; // a record cut by a crash or a full disk
			const seen: ChunkSeen = {
				at: record.at,
				file: record.file,
				start: record.start,
				end: record.end,
				matched: record.keys.filter((key) => wanted.has(key)),
				superseded: false,
			};
			// A chunk that starts inside an earlier one of the same file means the earlier one never
			// completed (it was rolled back or cut short) or the file was truncated since.
			const sameFile = openChunks.get(record.file) ?? [];
			while (sameFile.length > 0 && sameFile[sameFile.length - 1].end > record.start) sameFile.pop()!.superseded = true;
			sameFile.push(seen);
			openChunks.set(record.file, sameFile);
			chunks.push(seen);
		}
	} finally {
		await handle.close();
	}

	const newest = chunks.reduce((latest, chunk) => Math.max(latest, chunk.at), 0);
	const fileSizes = new Map<string, number>();
	for (const file of openChunks.keys()) fileSizes.set(file, await folder.size(file));
	const written = new Set<string>();
	const lastChunk = new Map<string, { start: number; end: number }>();
	let stale = 0;
	for (const chunk of chunks) {
		lastChunk.set(chunk.file, { start: chunk.start, end: chunk.end });
		if (chunk.at < Math.max(newest, now) - windowMs) stale++;
		if (chunk.at < newest - windowMs) continue;
		if (chunk.superseded || chunk.end > (fileSizes.get(chunk.file) ?? 0)) continue;
		for (const key of chunk.matched) written.add(key);
	}
	return {
		written,
		lastChunk,
		needsCompaction: stale >= COMPACT_AFTER_STALE_RECORDS && stale > chunks.length - stale,
		size,
		endsWithNewline: lastByte === 0x0a,
	};
}

/**
 * Rewrites the journal without the records older than the window (under the writer's lock). A
 * failure (a full disk) leaves the journal as it was: it is only tidying, the lines are written.
 */
export async function compactJournal(folder: ArchiveFolder, name: string, windowMs: number): Promise<boolean> {
	const temporary = `${name}.compacting`;
	try {
		const source = await folder.open(name, fsConstants.O_RDONLY);
		let newest = 0;
		try {
			for await (const line of source.readLines({ start: 0, autoClose: false })) newest = Math.max(newest, parseRecord(line)?.at ?? 0);
		} finally {
			await source.close();
		}
		const target = await folder.open(temporary, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC);
		const again = await folder.open(name, fsConstants.O_RDONLY);
		try {
			for await (const line of again.readLines({ start: 0, autoClose: false })) {
				const record = parseRecord(line);
				if (record && record.at >= newest - windowMs) await target.write(journalLine(record));
			}
			await target.sync();
		} finally {
			await again.close();
			await target.close();
		}
		await folder.rename(temporary, name);
		return true;
	} catch {
		// Tidying only: the lines and their keys are written. A temporary file left behind is
		// truncated by the next compaction.
		return false;
	}
}

function parseRecord(line: string): JournalRecord | undefined {
	if (!line.startsWith('{')) return undefined;
	try {
		const record = JSON.parse(line) as Partial<JournalRecord>;
		const valid =
			typeof record.at === 'number' &&
			typeof record.file === 'string' &&
			typeof record.start === 'number' &&
			typeof record.end === 'number' &&
			Array.isArray(record.keys);
		return valid ? (record as JournalRecord) : undefined;
	} catch {
		return undefined; // cut short by a crash or a full disk: its chunk was rolled back or is incomplete
	}
}

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every archive file under `folder`, by path relative to it, with its exact bytes. The Event Archive's
 * own dot files beside them (`.events.json.written`, its journal; `.events.json.lock`) are left out:
 * they are its bookkeeping, not archived lines, and the journal holds write times.
 */
export function readTree(folder: string): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	const walk = (current: string): void => {
		if (!existsSync(current)) return;
		for (const entry of readdirSync(current, { withFileTypes: true })) {
			const path = join(current, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (!entry.name.startsWith('.')) files.set(relative(folder, path), readFileSync(path));
		}
	};
	walk(folder);
	return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The VCO event ids of every archived line under `folder`, in file order. */
export function archivedIds(folder: string): number[] {
	const ids: number[] = [];
	for (const bytes of readTree(folder).values()) {
		for (const line of bytes.toString('utf8').split('\n')) if (line) ids.push((JSON.parse(line) as { id: number }).id);
	}
	return ids;
}

/** Ids seen more than once, with their counts. */
export function duplicateIds(ids: number[]): Array<[number, number]> {
	const counts = new Map<number, number>();
	for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
	return [...counts.entries()].filter(([, count]) => count > 1);
}

/** How many lines the files under `folder` hold, without parsing them (cheap enough to poll). */
export function lineCount(folder: string): number {
	let lines = 0;
	for (const bytes of readTree(folder).values()) {
		for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
	}
	return lines;
}

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `folder`, by path relative to it, with its exact bytes. */
export function readTree(folder: string): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	const walk = (current: string): void => {
		if (!existsSync(current)) return;
		for (const entry of readdirSync(current, { withFileTypes: true })) {
			const path = join(current, entry.name);
			if (entry.isDirectory()) walk(path);
			else files.set(relative(folder, path), readFileSync(path));
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

/** Total bytes under `folder` (cheap enough to sample every few milliseconds). */
export function treeBytes(folder: string): number {
	let total = 0;
	const walk = (current: string): void => {
		let entries;
		try {
			entries = readdirSync(current, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const path = join(current, entry.name);
			try {
				if (entry.isDirectory()) walk(path);
				else total += statSync(path).size;
			} catch {
				// appeared and went between the listing and the stat
			}
		}
	};
	walk(folder);
	return total;
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

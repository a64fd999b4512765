import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** Longest folder or file name we write: under every filesystem's 255-byte limit, with room for rotation. */
const MAX_NAME_LENGTH = 120;

/**
 * A folder key made safe the seed's way: every character outside A–Z, a–z, 0–9 becomes "-", so
 * "Globex Corp. (APAC)" → "Globex-Corp---APAC-" and "../x" → "---x". Over-long keys keep a readable
 * head plus a hash of the whole key, so two long names never collide.
 */
export function safeFolderKey(key: string): string {
	const safe = key.replace(/[^A-Za-z0-9]/g, '-');
	return capLength(safe, key);
}

/** A file name: letters, digits, ".", "_" and "-" stay; anything else, and a leading dot, becomes "-". */
export function safeFileName(name: string): string {
	const safe = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\./, '-');
	return capLength(safe, name);
}

function capLength(safe: string, original: string): string {
	if (safe.length <= MAX_NAME_LENGTH) return safe;
	const digest = createHash('sha256').update(original).digest('hex').slice(0, 12);
	return `${safe.slice(0, MAX_NAME_LENGTH - 13)}-${digest}`;
}

/** Adds the UTC day before the extension: events.json → events-2026-11-23.json. */
export function dailyFileName(fileName: string, now: Date): string {
	const day = now.toISOString().slice(0, 10);
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? `${fileName.slice(0, dot)}-${day}${fileName.slice(dot)}` : `${fileName}-${day}`;
}

/**
 * `<base>/<key>/<file>`, refusing anything that would land outside the base folder. The parts are
 * already safe; this is the second lock on the door.
 */
export function archiveFilePath(baseFolder: string, folderKey: string, fileName: string): string {
	if (!isAbsolute(baseFolder)) throw new Error(`The base folder "${baseFolder}" must be an absolute path`);
	if (baseFolder.includes('\0')) throw new Error('The base folder contains a NUL character');
	const base = resolve(baseFolder);
	const target = resolve(join(base, folderKey, fileName));
	const inside = relative(base, target);
	if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
		throw new Error(`Refusing to write outside the base folder: "${folderKey}/${fileName}"`);
	}
	return target;
}

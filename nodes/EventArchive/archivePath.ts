import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** n8n 2.x's own default for N8N_RESTRICT_FILE_ACCESS_TO. */
const N8N_DEFAULT_FILES_FOLDER = '~/.n8n-files';
const MAX_FILE_NAME_BYTES = 200;

/**
 * The folder n8n lets nodes write: the first entry of N8N_RESTRICT_FILE_ACCESS_TO (";"-separated, "~"
 * for the home folder, as n8n reads it), or n8n's default `~/.n8n-files`.
 */
export function n8nFilesFolder(restrictFileAccessTo: string | undefined, home = homedir()): string {
	const first = (restrictFileAccessTo ?? '')
		.split(';')
		.map((path) => path.trim())
		.find((path) => path !== '');
	const folder = first ?? N8N_DEFAULT_FILES_FOLDER;
	return folder.startsWith('~') ? folder.replace('~', home) : folder;
}

/** An absolute base folder as given; a relative one (the default) inside n8n's files folder. */
export function resolveBaseFolder(baseFolder: string, filesFolder: string): string {
	const trimmed = baseFolder.trim();
	if (trimmed.includes('\0')) throw new Error('The base folder contains a NUL character');
	if (isAbsolute(trimmed)) return resolve(trimmed);
	const inside = resolve(filesFolder, trimmed === '' ? '.' : trimmed);
	if (inside !== resolve(filesFolder) && !inside.startsWith(`${resolve(filesFolder)}/`)) {
		throw new Error(`The relative base folder "${baseFolder}" leads out of n8n's files folder ${filesFolder}`);
	}
	return inside;
}

/**
 * The file name as given, refused when empty (the archive would become `<base>/<key>` itself) and
 * made safe otherwise: letters, digits, ".", "_" and "-" stay; anything else, and a leading dot,
 * becomes "-".
 */
export function safeFileName(name: string): string {
	const trimmed = name.trim();
	if (trimmed === '') throw new Error('The file name is empty');
	const safe = trimmed.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\./, '-');
	if (Buffer.byteLength(safe) > MAX_FILE_NAME_BYTES) throw new Error(`The file name is longer than ${MAX_FILE_NAME_BYTES} characters`);
	return safe;
}

/** Adds a marker before the extension: events.json + "2026-11-23" → events-2026-11-23.json. */
function withSuffix(fileName: string, suffix: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? `${fileName.slice(0, dot)}-${suffix}${fileName.slice(dot)}` : `${fileName}-${suffix}`;
}

/** Daily rotation by the UTC day of writing: events.json → events-2026-11-23.json. */
export function dailyFileName(fileName: string, now: Date): string {
	return withSuffix(fileName, now.toISOString().slice(0, 10));
}

/** Where manual runs write unless told otherwise: events.json → events-manual-test.json. */
export function manualRunFileName(fileName: string): string {
	return withSuffix(fileName, 'manual-test');
}

/** `<base>/<folder>`: the folder name is one safe path component, never "", "." or "..". */
export function archiveFolderPath(baseFolder: string, folder: string): string {
	if (folder === '' || folder === '.' || folder === '..' || folder.includes('/') || folder.includes('\0')) {
		throw new Error(`Refusing the folder name "${folder}": it would leave the base folder`);
	}
	return join(baseFolder, folder);
}

import { createHash } from 'node:crypto';

export type FolderNaming = 'scriptCompatible' | 'collisionFree';

/**
 * Python's `str.isalnum()` for one code point: `isalpha()` (categories Lu, Ll, Lt, Lm, Lo) or
 * `isdecimal()`/`isdigit()`/`isnumeric()` (a Numeric_Type, which every Nd, Nl and No character has
 * and no other does). Checked against CPython over every assigned code point
 * (test/unit/eventArchive/pythonIsalnum.test.ts). Marks (Mn, Mc, Me) are not alphanumeric.
 */
const PYTHON_ALNUM = /^[\p{L}\p{N}]$/u;

/** Longest folder name, in UTF-8 bytes: filesystems allow 255. */
const MAX_NAME_BYTES = 200;
const HASH_HEX_DIGITS = 32;

/**
 * The VCO archiver script's folder: `''.join(c if c.isalnum() else '-' for c in name)`, code point by
 * code point, so `Zürich Retail AG` → `Zürich-Retail-AG` and `../x` → `---x`. Different names can
 * share a folder (`A.B` and `A B` both give `A-B`).
 */
export function scriptCompatibleFolderName(key: string): string {
	let name = '';
	for (const char of key) name += PYTHON_ALNUM.test(char) ? char : '-';
	return capBytes(name, key, '-');
}

/**
 * A folder no other key can get: alphanumerics (as the script counts them) stay, a space becomes
 * `-`, and every other character is written as `_<hex code point>_` (`A.B` → `A_2e_B`, `A-B` →
 * `A_2d_B`). Names of letters, digits and spaces come out as the script names them.
 */
export function collisionFreeFolderName(key: string): string {
	let name = '';
	for (const char of key) {
		if (PYTHON_ALNUM.test(char)) name += char;
		else if (char === ' ') name += '-';
		else name += `_${char.codePointAt(0)!.toString(16)}_`;
	}
	// "~" never appears in an uncapped name (it is escaped), so a capped name cannot meet one.
	return capBytes(name, key, '~');
}

export function folderName(key: string, naming: FolderNaming): string {
	return naming === 'collisionFree' ? collisionFreeFolderName(key) : scriptCompatibleFolderName(key);
}

/** Over-long names keep a readable head and a hash of the whole key, cut on a character boundary. */
function capBytes(name: string, key: string, separator: string): string {
	if (Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) return name;
	const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, HASH_HEX_DIGITS);
	const budget = MAX_NAME_BYTES - separator.length - HASH_HEX_DIGITS;
	let head = '';
	let bytes = 0;
	for (const char of name) {
		bytes += Buffer.byteLength(char, 'utf8');
		if (bytes > budget) break;
		head += char;
	}
	return `${head}${separator}${digest}`;
}

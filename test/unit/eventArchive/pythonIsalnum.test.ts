/**
 * Folder names follow CPython's str.isalnum() exactly: the table in fixtures/pythonIsalnum.json was
 * written by Debian's python3 (fixtures/pythonIsalnum.py) for every code point its Unicode database
 * assigns, across every script: letters, marks, digits and numerics included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { collisionFreeFolderName, scriptCompatibleFolderName } from '../../../nodes/EventArchive/folderNames';

interface PythonTable {
	python: string;
	unicode: string;
	alnum: Array<[number, number]>;
	assigned: Array<[number, number]>;
	names: Record<string, string>;
}

const table = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'pythonIsalnum.json'), 'utf8')) as PythonTable;

function inRanges(ranges: Array<[number, number]>): (codePoint: number) => boolean {
	return (codePoint) => {
		let low = 0;
		let high = ranges.length - 1;
		while (low <= high) {
			const middle = (low + high) >> 1;
			if (codePoint < ranges[middle][0]) high = middle - 1;
			else if (codePoint > ranges[middle][1]) low = middle + 1;
			else return true;
		}
		return false;
	};
}

describe(`folder names follow Python ${table.python}'s str.isalnum() (Unicode ${table.unicode})`, () => {
	it('agrees on every assigned code point outside the surrogates', () => {
		const isAlnum = inRanges(table.alnum);
		const isAssigned = inRanges(table.assigned);
		const disagreements: string[] = [];
		let compared = 0;
		for (let codePoint = 0; codePoint < 0x110000; codePoint++) {
			if (!isAssigned(codePoint) || (codePoint >= 0xd800 && codePoint <= 0xdfff)) continue;
			compared++;
			const char = String.fromCodePoint(codePoint);
			const python = isAlnum(codePoint) ? char : '-';
			if (scriptCompatibleFolderName(char) !== python) disagreements.push(`U+${codePoint.toString(16).toUpperCase()} python=${isAlnum(codePoint)}`);
		}
		expect(compared).toBeGreaterThan(280_000);
		expect(disagreements).toEqual([]);
	});

	it.each(Object.entries(table.names))('names %j as the VCO archiver script does: %j', (name, pythonFolder) => {
		expect(scriptCompatibleFolderName(name)).toBe(pythonFolder);
	});

	it('keeps the cases the issue met apart', () => {
		expect(scriptCompatibleFolderName('Zürich Retail AG')).toBe('Zürich-Retail-AG');
		expect(scriptCompatibleFolderName('東京 Networks')).not.toBe(scriptCompatibleFolderName('大阪 Networks'));
		// a lone surrogate is not a letter to Python either
		expect(scriptCompatibleFolderName('a\ud800b')).toBe('a-b');
	});
});

describe('collision-free folder names', () => {
	it('name letters, digits and spaces as the script does', () => {
		for (const name of ['Zürich Retail AG', '東京 Networks', 'Acme Retail Group', 'Ελληνικά 2']) {
			expect(collisionFreeFolderName(name)).toBe(scriptCompatibleFolderName(name));
		}
	});

	it('give different keys different folders where the script merges them', () => {
		const keys = ['A.B', 'A B', 'A-B', 'A_B', 'A_2e_B', 'A~B', 'A/B', 'A\u00a0B', 'A\tB', 'AB', 'A..B', '../x', '..', '.', ''];
		const names = keys.map(collisionFreeFolderName);
		expect(new Set(names).size).toBe(keys.length);
		expect(collisionFreeFolderName('A.B')).toBe('A_2e_B');
		expect(collisionFreeFolderName('A-B')).toBe('A_2d_B');
		expect(collisionFreeFolderName('Globex Corp. (APAC)')).toBe('Globex-Corp_2e_-_28_APAC_29_');
		expect(collisionFreeFolderName('😀 x')).toBe('_1f600_-x');
		for (const name of names) expect(name).toMatch(/^[^/\\.\0]*$/u);
	});

	it('cap long names by UTF-8 bytes on a character boundary and keep them apart', () => {
		for (const name of [scriptCompatibleFolderName, collisionFreeFolderName]) {
			const long = name('東'.repeat(300));
			const other = name(`${'東'.repeat(299)}西`);
			expect(Buffer.byteLength(long, 'utf8')).toBeLessThanOrEqual(200);
			expect(long).not.toBe(other);
			expect(long).not.toContain('\ufffd');
			const astral = name('𝐀'.repeat(300));
			expect(Buffer.byteLength(astral, 'utf8')).toBeLessThanOrEqual(200);
			expect(astral.startsWith('𝐀'.repeat(10))).toBe(true);
			expect(Buffer.from(astral, 'utf8').toString('utf8')).toBe(astral);
		}
	});
});

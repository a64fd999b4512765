import { archiveFilePath, dailyFileName, safeFileName, safeFolderKey } from '../../../nodes/EventArchive/archivePath';

describe('archive paths never leave the base folder', () => {
	const base = '/var/archive';

	it.each([
		['Acme Corp', 'Acme-Corp'],
		['Globex Corp. (APAC)', 'Globex-Corp---APAC-'],
		['../x', '---x'],
		['../../etc/passwd', '------etc-passwd'],
		['/etc', '-etc'],
		['a\0b', 'a-b'],
		['Zürich', 'Z-rich'],
		['..', '--'],
		['.', '-'],
		['C:\\Windows', 'C--Windows'],
	])('folder key %j becomes %j', (key, safe) => {
		expect(safeFolderKey(key)).toBe(safe);
		expect(archiveFilePath(base, safeFolderKey(key), 'events.json')).toBe(`${base}/${safe}/events.json`);
	});

	it('keeps very long keys under the name limit and apart from each other', () => {
		const long = 'A'.repeat(5000);
		const other = `${'A'.repeat(4999)}B`;
		expect(safeFolderKey(long).length).toBeLessThanOrEqual(120);
		expect(safeFolderKey(long)).not.toBe(safeFolderKey(other));
		expect(safeFolderKey(long)).toMatch(/^A+-[0-9a-f]{12}$/);
	});

	it.each([
		['events.json', 'events.json'],
		['../events.json', '-.-events.json'],
		['.hidden', '-hidden'],
		['a/b', 'a-b'],
		['x\0.json', 'x-.json'],
	])('file name %j becomes %j', (name, safe) => {
		expect(safeFileName(name)).toBe(safe);
	});

	it('refuses a relative base folder and anything that resolves outside it', () => {
		expect(() => archiveFilePath('relative/dir', 'a', 'events.json')).toThrow('must be an absolute path');
		expect(() => archiveFilePath(base, '..', 'x')).toThrow('outside the base folder');
		expect(() => archiveFilePath(base, '.', '.')).toThrow('outside the base folder');
		expect(() => archiveFilePath('/var/\0archive', 'a', 'b')).toThrow('NUL');
	});

	it('adds the UTC day for daily rotation', () => {
		const day = new Date('2026-11-23T23:59:59.999Z');
		expect(dailyFileName('events.json', day)).toBe('events-2026-11-23.json');
		expect(dailyFileName('events', day)).toBe('events-2026-11-23');
	});
});

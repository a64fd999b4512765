import { archiveFolderPath, dailyFileName, manualRunFileName, n8nFilesFolder, resolveBaseFolder, safeFileName } from '../../../nodes/EventArchive/archivePath';
import { collisionFreeFolderName, scriptCompatibleFolderName } from '../../../nodes/EventArchive/folderNames';

describe('archive paths never leave the base folder', () => {
	const base = '/var/archive';

	it.each([
		['Acme Corp', 'Acme-Corp', 'Acme-Corp'],
		['Globex Corp. (APAC)', 'Globex-Corp---APAC-', 'Globex-Corp_2e_-_28_APAC_29_'],
		['../x', '---x', '_2e__2e__2f_x'],
		['../../etc/passwd', '------etc-passwd', '_2e__2e__2f__2e__2e__2f_etc_2f_passwd'],
		['/etc', '-etc', '_2f_etc'],
		['a\0b', 'a-b', 'a_0_b'],
		['..', '--', '_2e__2e_'],
		['.', '-', '_2e_'],
		['C:\\Windows', 'C--Windows', 'C_3a__5c_Windows'],
	])('folder key %j becomes %j (script compatible) or %j (collision-free)', (key, script, collisionFree) => {
		expect(scriptCompatibleFolderName(key)).toBe(script);
		expect(collisionFreeFolderName(key)).toBe(collisionFree);
		expect(archiveFolderPath(base, script)).toBe(`${base}/${script}`);
		expect(archiveFolderPath(base, collisionFree)).toBe(`${base}/${collisionFree}`);
	});

	it('refuses folder names that would leave the base folder', () => {
		for (const name of ['', '.', '..', 'a/b', 'a\0']) expect(() => archiveFolderPath(base, name)).toThrow('would leave the base folder');
	});

	it.each([
		['events.json', 'events.json'],
		['../events.json', '-.-events.json'],
		['.hidden', '-hidden'],
		['a/b', 'a-b'],
		['x\0.json', 'x-.json'],
		['  events.json ', 'events.json'],
	])('file name %j becomes %j', (name, safe) => {
		expect(safeFileName(name)).toBe(safe);
	});

	it('refuses an empty file name', () => {
		expect(() => safeFileName('')).toThrow('The file name is empty');
		expect(() => safeFileName(' \t')).toThrow('The file name is empty');
	});

	it('adds the UTC day for daily rotation and a marker for manual runs', () => {
		const day = new Date('2026-11-23T23:59:59.999Z');
		expect(dailyFileName('events.json', day)).toBe('events-2026-11-23.json');
		expect(dailyFileName('events', day)).toBe('events-2026-11-23');
		expect(manualRunFileName('events.json')).toBe('events-manual-test.json');
		expect(dailyFileName(manualRunFileName('events.json'), day)).toBe('events-manual-test-2026-11-23.json');
	});
});

describe('the base folder', () => {
	it('defaults to the folder n8n lets nodes write', () => {
		expect(n8nFilesFolder(undefined, '/home/node')).toBe('/home/node/.n8n-files');
		expect(n8nFilesFolder('', '/home/node')).toBe('/home/node/.n8n-files');
		expect(n8nFilesFolder(' ~/data ; /srv/other', '/home/node')).toBe('/home/node/data');
		expect(n8nFilesFolder('/srv/files;/tmp', '/home/node')).toBe('/srv/files');
	});

	it('is resolved inside that folder when relative, as given when absolute', () => {
		expect(resolveBaseFolder('netsec-archive', '/home/node/.n8n-files')).toBe('/home/node/.n8n-files/netsec-archive');
		expect(resolveBaseFolder('velocloud/events/', '/srv/files')).toBe('/srv/files/velocloud/events');
		expect(resolveBaseFolder('', '/srv/files')).toBe('/srv/files');
		expect(resolveBaseFolder('/data/archive/../archive', '/srv/files')).toBe('/data/archive');
	});

	it('refuses a relative folder that climbs out, and NUL', () => {
		expect(() => resolveBaseFolder('../elsewhere', '/srv/files')).toThrow("leads out of n8n's files folder");
		expect(() => resolveBaseFolder('/data/\0x', '/srv/files')).toThrow('NUL');
	});
});

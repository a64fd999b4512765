/**
 * Before the runtime install: a machine that would have to compile sqlite3 without python3, make or a
 * C++ compiler is told, in seconds, exactly what to install.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { assertSqliteCanBeBuilt, missingBuildTools } from '../../support/n8n/buildTools';
import { expectedPackageCount, TarballCounter, unpackedPackageCount } from '../../support/n8n/installRuntime';
import { RUNTIME_DIR } from '../../support/n8n/runtime';
import { useTempFolder } from '../helpers/tempFolder';

describe('sqlite3 build tools', () => {
	const folder = useTempFolder('netsec-tools');

	/** A PATH of one folder holding executables with these names. */
	function pathWith(...commands: string[]): string {
		const bin = mkdtempSync(join(folder(), 'bin-'));
		for (const command of commands) {
			writeFileSync(join(bin, command), '#!/bin/sh\n');
			chmodSync(join(bin, command), 0o755);
		}
		return bin;
	}

	it('finds what is missing from PATH (any C++ compiler will do)', () => {
		expect(missingBuildTools(pathWith('python3', 'make', 'g++'))).toEqual([]);
		expect(missingBuildTools(pathWith('python3', 'make', 'clang++'))).toEqual([]);
		expect(missingBuildTools(pathWith('python3')).map((tool) => tool.name)).toEqual(['make', 'a C++ compiler']);
		expect(missingBuildTools('').map((tool) => tool.debianPackage)).toEqual(['python3', 'make', 'g++']);
	});

	it('stops with the exact install command when the prebuilt binary is out of reach', async () => {
		const path = pathWith('python3');
		await expect(assertSqliteCanBeBuilt(path, async () => false)).rejects.toThrow('sudo apt-get install -y make g++');
		await expect(assertSqliteCanBeBuilt(path, async () => false)).rejects.toThrow(/needs make, a C\+\+ compiler/);
		// A downloadable prebuilt binary needs no compiler; a complete toolchain needs no download.
		await expect(assertSqliteCanBeBuilt(path, async () => true)).resolves.toBeUndefined();
		await expect(assertSqliteCanBeBuilt(pathWith('python3', 'make', 'c++'), async () => false)).resolves.toBeUndefined();
	});
});

describe('runtime install progress', () => {
	const folder = useTempFolder('netsec-install');

	it('counts the packages the lockfile installs on this machine', () => {
		const lockfile = join(folder(), 'package-lock.json');
		const other = process.platform === 'linux' ? 'darwin' : 'linux';
		writeFileSync(
			lockfile,
			JSON.stringify({
				packages: {
					'': {},
					'node_modules/a': {},
					'node_modules/@scope/b': {},
					'node_modules/a/node_modules/c': {},
					'node_modules/native-here': { optional: true, os: [process.platform], cpu: [process.arch] },
					'node_modules/native-elsewhere': { optional: true, os: [other] },
					'node_modules/not-here': { optional: true, os: [`!${process.platform}`] },
					// some packages name one platform as a plain string
					'node_modules/string-here': { optional: true, os: process.platform, cpu: process.arch },
					'node_modules/string-elsewhere': { optional: true, os: other },
				},
			}),
		);
		expect(expectedPackageCount(lockfile)).toBe(5);
	});

	it("reads the runtime's own lockfile", () => {
		const count = expectedPackageCount();
		expect(count).toBeGreaterThan(1000);
		expect(count).toBeLessThanOrEqual(Object.keys((JSON.parse(readFileSync(join(RUNTIME_DIR, 'package-lock.json'), 'utf8')) as { packages: object }).packages).length);
	});

	it("counts the tarballs npm has in hand from its http log, downloaded or cached, each once", () => {
		const counter = new TarballCounter();
		for (const line of [
			// npm 11, a first install: a cache line, then the download of the same tarball
			'npm http cache is-number@https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz 0ms (cache hit)',
			'npm http fetch GET 200 https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz 284ms (cache miss)',
			'npm http fetch GET 200 https://registry.npmjs.org/@n8n/db/-/db-1.2.3.tgz 1200ms (cache miss)',
			'npm http fetch GET 200 https://registry.npmjs.org/is-number 798ms (cache miss)',
			'npm http fetch GET 404 https://registry.npmjs.org/gone/-/gone-1.0.0.tgz 30ms',
			'npm warn deprecated something',
		]) {
			counter.readLine(line);
		}
		expect(counter.count).toBe(2);
	});

	it('counts the packages unpacked so far, scoped and nested ones too, folders without package.json not yet', () => {
		const modules = join(folder(), 'node_modules');
		for (const path of ['a', '@scope/b', 'a/node_modules/c', 'empty-yet', '.bin']) mkdirSync(join(modules, path), { recursive: true });
		for (const path of ['a', '@scope/b', 'a/node_modules/c']) writeFileSync(join(modules, path, 'package.json'), '{}');
		expect(unpackedPackageCount(modules)).toBe(3);
		expect(unpackedPackageCount(join(folder(), 'missing'))).toBe(0);
	});
});

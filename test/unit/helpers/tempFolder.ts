import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for each test of the calling describe block, removed after it; call the result for its path. */
export function useTempFolder(prefix: string): () => string {
	let folder = '';
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
	});
	afterEach(() => rmSync(folder, { recursive: true, force: true }));
	return () => folder;
}

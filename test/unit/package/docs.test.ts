/** Every documentation link the package shows in n8n (codex files, credentials) lands on a README heading. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const README_URL = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#';

/** GitHub's heading anchors: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function anchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function files(folder: string, suffix: string): string[] {
	return readdirSync(folder, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
		.map((entry) => join(entry.parentPath, entry.name));
}

describe('documentation links', () => {
	const anchors = new Set(
		readFileSync(join(ROOT, 'README.md'), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) => anchor(line.replace(/^#+ /, ''))),
	);
	const links = [
		...files(join(ROOT, 'nodes'), '.node.json').flatMap((file) => readFileSync(file, 'utf8').match(/https:\/\/[^"]+/g) ?? []),
		...files(join(ROOT, 'credentials'), '.credentials.ts').flatMap((file) => readFileSync(file, 'utf8').match(/https:\/\/github\.com[^'"]+/g) ?? []),
		...files(join(ROOT, 'nodes'), '.node.ts').flatMap((file) => readFileSync(file, 'utf8').match(/https:\/\/github\.com[^'"]+/g) ?? []),
	].filter((url) => url.startsWith(README_URL));

	it('exist', () => expect(links.length).toBeGreaterThan(3));

	// The panel's Docs link: n8n appends tracking parameters after a codex link's #anchor, which then
	// lands on the top of the README; a node's own documentationUrl is used as it is.
	it.each(files(join(ROOT, 'nodes'), '.node.ts').map((file) => [file.slice(ROOT.length + 1)]))('%s names its README heading', (file) => {
		expect(readFileSync(join(ROOT, file), 'utf8')).toMatch(/documentationUrl: 'https:\/\/github\.com\/n8n-nodes-netsec-events\/n8n-nodes-netsec-events#/);
	});

	it.each(links.map((url) => [url]))('%s points at a README heading', (url) => {
		expect(anchors).toContain(url.slice(README_URL.length));
	});
});

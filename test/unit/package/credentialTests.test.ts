/**
 * n8n runs a credential's test through the first node of the package that names the credential, so
 * every node that names `testedBy` must register that method itself (a trigger listed before the
 * action node would otherwise make "Test" throw a TypeError).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeType } from 'n8n-workflow';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

function loadNode(distPath: string): INodeType {
	const source = join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the manifest names the files at run time
	const module = require(source) as Record<string, new () => INodeType>;
	const [NodeClass] = Object.values(module).filter((value) => typeof value === 'function');
	return new NodeClass();
}

describe('package manifest', () => {
	const nodes = manifest.n8n.nodes.map((path) => ({ path, node: loadNode(path) }));

	it.each(nodes.map(({ path, node }) => [path, node]))('%s registers every credential test it names', (_path, node) => {
		for (const credential of node.description.credentials ?? []) {
			if (!credential.testedBy) continue;
			const registered = (node.methods?.credentialTest ?? {}) as Record<string, unknown>;
			expect(typeof registered[credential.testedBy as string]).toBe('function');
		}
	});

	it('lists every credential a node uses', () => {
		const listed = new Set(
			manifest.n8n.credentials.map((path) => {
				const source = join(ROOT, path.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
				// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
				const module = require(source) as Record<string, new () => { name: string }>;
				const [CredentialClass] = Object.values(module);
				return new CredentialClass().name;
			}),
		);
		for (const { node } of nodes) {
			for (const credential of node.description.credentials ?? []) expect(listed).toContain(credential.name);
		}
	});
});

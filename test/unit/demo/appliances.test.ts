/**
 * Every vendor block of the demo: a restart (same .demo state folder) keeps every event with its id and
 * time, and the events after it take new ids at later times, as a real appliance would; n8n's cursor,
 * kept across restarts, then stays right. And everything the demo prints has nodes and credentials in n8n.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { VENDORS } from '../../../scripts/demo';
import type { ApplianceContext, DemoAppliance, HeldEvent } from '../../../scripts/demo/appliances';
import { missingCredentials } from '../../../scripts/demo/provision';
import type { WorkflowJson } from '../../support/n8n/n8nClient';
import { simulatorTls } from '../../simulators/common';

const ROOT = join(__dirname, '..', '..', '..');

/** The credential types the package registers, and the ones its nodes accept. */
function packageCredentials(): { registered: Set<string>; usedByNodes: Set<string> } {
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[]; nodes: string[] } };
	const source = (distPath: string) => join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const instance = (distPath: string): unknown => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require(source(distPath)) as Record<string, new () => unknown>;
		return new (Object.values(loaded)[0])();
	};
	const registered = new Set(manifest.n8n.credentials.map((path) => (instance(path) as { name: string }).name));
	const usedByNodes = new Set<string>();
	for (const path of manifest.n8n.nodes) {
		const node = instance(path) as { description?: { credentials?: Array<{ name: string }> }; nodeVersions?: Record<string, { description: { credentials?: Array<{ name: string }> } }> };
		const descriptions = node.description ? [node.description] : Object.values(node.nodeVersions ?? {}).map((version) => version.description);
		for (const description of descriptions) for (const credential of description.credentials ?? []) usedByNodes.add(credential.name);
	}
	return { registered, usedByNodes };
}

/** Credential types of n8n itself a demo block may use (e.g. Send Email's), checked by n8n when the demo creates them. */
const N8N_OWN_CREDENTIAL_TYPES = new Set(['smtp']);

describe.each(VENDORS.map((vendor) => [vendor.title, vendor] as const))('demo block %s', (_title, vendor) => {
	let stateFolder: string;
	const running: DemoAppliance[] = [];
	const context = (): ApplianceContext => ({ port: () => 0, tls: simulatorTls(), trickleMs: 0, stateFolder });

	beforeEach(() => {
		stateFolder = mkdtempSync(join(tmpdir(), 'netsec-demo-state-'));
	});
	afterEach(async () => {
		await Promise.all(running.splice(0).map((appliance) => appliance.stop()));
		rmSync(stateFolder, { recursive: true, force: true });
	});

	async function start(): Promise<DemoAppliance> {
		const appliance = await vendor.start(context());
		running.push(appliance);
		return appliance;
	}

	it('keeps every event, id and time across a restart, and never gives an id out twice or goes back in time', async () => {
		const first = await start();
		if (first.history === 'receives only') return;
		for (let n = 0; n < 5; n++) first.history.addEvent();
		const before = first.history.events();
		await first.stop();

		const second = await start();
		if (second.history === 'receives only') throw new Error('history changed kind across a restart');
		expect(second.history.events()).toEqual(before);
		for (let n = 0; n < 5; n++) second.history.addEvent();
		const after = second.history.events();
		const oldIds = new Set(before.map((event) => event.id));
		const added: HeldEvent[] = after.filter((event) => !oldIds.has(event.id));
		expect(added).toHaveLength(5);
		expect(after).toHaveLength(before.length + 5);
		// no id twice
		expect(new Set(after.map((event) => event.id)).size).toBe(after.length);
		// nothing new older than what was there: a cursor past the old events sees every new one
		const newestBefore = Math.max(...before.map((event) => event.timeMs));
		for (const event of added) expect(event.timeMs).toBeGreaterThanOrEqual(newestBefore);
		const numericIds = before.every((event) => typeof event.id === 'number') && added.every((event) => typeof event.id === 'number');
		if (numericIds) {
			const largestBefore = Math.max(...before.map((event) => event.id as number));
			for (const event of added) expect(event.id as number).toBeGreaterThan(largestBefore);
		}

		// and a third start still agrees with the second
		await second.stop();
		const third = await start();
		if (third.history === 'receives only') throw new Error('history changed kind across a restart');
		expect(third.history.events()).toEqual(after);
	});

	it('gives n8n credentials of types the package registers and its nodes use (or n8n\'s own)', async () => {
		const appliance = await start();
		const { registered, usedByNodes } = packageCredentials();
		expect(appliance.credentials.length).toBeGreaterThan(0);
		for (const credential of appliance.credentials) {
			if (N8N_OWN_CREDENTIAL_TYPES.has(credential.type)) continue;
			expect({ name: credential.name, registered: registered.has(credential.type), usedByNodes: usedByNodes.has(credential.type) }).toEqual({
				name: credential.name,
				registered: true,
				usedByNodes: true,
			});
		}
	});
});

describe('demo blocks together', () => {
	it('declare distinct flags, and distinct default ports per protocol', () => {
		const specs = VENDORS.flatMap((vendor) => vendor.ports);
		expect(new Set(specs.map((spec) => spec.key)).size).toBe(specs.length);
		expect(new Set(specs.map((spec) => `${spec.protocol ?? 'tcp'}:${spec.defaultPort}`)).size).toBe(specs.length);
	});

	it('make every credential the bundled workflows name (by name, or one of its type)', async () => {
		const stateFolder = mkdtempSync(join(tmpdir(), 'netsec-demo-state-'));
		const appliances: DemoAppliance[] = [];
		try {
			for (const vendor of VENDORS) appliances.push(await vendor.start({ port: () => 0, tls: simulatorTls(), trickleMs: 0, stateFolder }));
			const ids: Record<string, string> = {};
			for (const credential of appliances.flatMap((appliance) => appliance.credentials)) ids[credential.name] = ids[credential.type] = credential.name;
			const folder = join(ROOT, 'workflows');
			const workflows = readdirSync(folder)
				.filter((name) => name.endsWith('.json'))
				.map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as WorkflowJson);
			expect(workflows.filter((workflow) => workflow.name.startsWith('Forcepoint SMC'))).toHaveLength(2);
			expect(workflows.map((workflow) => [workflow.name, missingCredentials(workflow, ids)]).filter(([, missing]) => missing.length > 0)).toEqual([]);
		} finally {
			await Promise.all(appliances.map((appliance) => appliance.stop()));
			rmSync(stateFolder, { recursive: true, force: true });
		}
	});
});

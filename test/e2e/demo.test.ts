/**
 * The demo's setup of its n8n, against the real n8n of the e2e run, start after start: one API key kept
 * and reused (never one more per start), credentials made once and written again only when a simulator
 * moved (and then working at its new address), and a refused key replaced, still one. Also: a request
 * after more than n8n's 5 s keep-alive goes through (the client pools no connection n8n could close).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { VENDORS } from '../../scripts/demo';
import type { DemoAppliance } from '../../scripts/demo/appliances';
import { DEMO_API_KEY_LABEL, provisionDemo, type Provisioned } from '../../scripts/demo/provision';
import { simulatorTls } from '../simulators/common';
import { loadState } from './harness/state';

const VCO = VENDORS.find((vendor) => vendor.title.startsWith('VeloCloud'))!;

describe('demo setup across restarts', () => {
	let demoFolder: string;
	let appliance: DemoAppliance | undefined;
	let last: Provisioned | undefined;
	const lines: string[] = [];

	const startVco = async () => {
		appliance = await VCO.start({ port: () => 0, tls: simulatorTls(), trickleMs: 0, stateFolder: join(demoFolder, 'simulators') });
		return appliance;
	};
	const provision = async () => {
		lines.length = 0;
		last = await provisionDemo({ url: loadState().url, demoFolder, credentials: appliance!.credentials, workflows: [], log: (line) => lines.push(line) });
		return last;
	};
	const keptState = () => JSON.parse(readFileSync(join(demoFolder, 'state.json'), 'utf8')) as { apiKey: string; credentials: Record<string, { id: string }> };
	const demoKeys = async (provisioned: Provisioned) => (await provisioned.client.listApiKeys()).filter((key) => key.label === DEMO_API_KEY_LABEL);

	beforeAll(() => {
		demoFolder = mkdtempSync(join(tmpdir(), 'netsec-demo-e2e-'));
	});
	afterAll(async () => {
		if (last) {
			for (const { id } of Object.values(keptState().credentials)) await last.client.api('DELETE', `/credentials/${id}`).catch(() => undefined);
			for (const key of await demoKeys(last)) await last.client.rest('DELETE', `/rest/api-keys/${key.id}`);
		}
		await appliance?.stop();
		rmSync(demoFolder, { recursive: true, force: true });
	});

	it('keeps one API key, makes credentials once, and follows a simulator that moved', async () => {
		const vco = await startVco();
		const first = await provision();
		expect(lines).toEqual([
			'API key made (kept in .demo/state.json)',
			'credential "VeloCloud Orchestrator" → simulator',
			'credential "VeloCloud Orchestrator (enterprise token)" → simulator',
		]);
		const { apiKey, credentials } = keptState();
		expect(apiKey).toBe(first.client.session.apiKey);
		expect(await demoKeys(first)).toHaveLength(1);
		for (const credential of vco.credentials) expect((await first.client.testCredential(credentials[credential.name].id)).status).toBe('OK');
		const credentialCount = (await first.client.listCredentials()).length;

		// Longer than n8n keeps an idle connection open: nothing pooled, nothing closed under the next request.
		await new Promise((resolve) => setTimeout(resolve, 6000));

		// A restart: nothing new, the same key.
		const second = await provision();
		expect(lines).toEqual([]);
		expect(second.client.session.apiKey).toBe(apiKey);
		expect(await demoKeys(second)).toHaveLength(1);
		expect((await second.client.listCredentials()).length).toBe(credentialCount);

		// A restart with the simulator on another port: the same credentials, written again, working there.
		await vco.stop();
		const moved = await startVco();
		expect(moved.where).not.toBe(vco.where);
		const third = await provision();
		expect(lines).toEqual([
			'credential "VeloCloud Orchestrator" updated to the simulator\'s current address',
			'credential "VeloCloud Orchestrator (enterprise token)" updated to the simulator\'s current address',
		]);
		// The same credentials (ids); what is kept of their contents changed with the address.
		const ids = (kept: Record<string, { id: string }>) => Object.fromEntries(Object.entries(kept).map(([name, { id }]) => [name, id]));
		expect(ids(keptState().credentials)).toEqual(ids(credentials));
		expect((await third.client.listCredentials()).length).toBe(credentialCount);
		for (const credential of moved.credentials) expect((await third.client.testCredential(credentials[credential.name].id)).status).toBe('OK');

		// A key n8n no longer takes (deleted in the UI, say) is replaced, and there is still one.
		writeFileSync(join(demoFolder, 'state.json'), JSON.stringify({ ...keptState(), apiKey: 'n8n_api_not-a-key' }));
		const fourth = await provision();
		expect(lines).toEqual(['the kept API key was refused; made a new one']);
		expect(fourth.client.session.apiKey).not.toBe(apiKey);
		expect(keptState().apiKey).toBe(fourth.client.session.apiKey);
		expect(await demoKeys(fourth)).toHaveLength(1);
	});
});

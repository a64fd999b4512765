/**
 * The demo's setup of its n8n, against the real n8n of the e2e run, start after start: one API key kept
 * and reused (never one more per start), credentials made once and written again only when a simulator
 * moved (and then working at its new address), and a refused key replaced, still one. Also: a request
 * after more than n8n's 5 s keep-alive goes through (the client pools no connection n8n could close).
 * And the Forcepoint SMC block: its credential (trusting the simulators' CA) passes n8n's test, and its two
 * bundled workflows, imported and activated as the demo does, turn an element change into a notification
 * and carry alert log records to vRLI.
 */
import axios from 'axios';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { demoWorkflows, VENDORS } from '../../scripts/demo';
import type { DemoAppliance } from '../../scripts/demo/appliances';
import { DEMO_API_KEY_LABEL, provisionDemo, type Provisioned } from '../../scripts/demo/provision';
import { simulatorTls } from '../simulators/common';
import { nodeOutput } from '../support/n8n/n8nClient';
import { loadState } from '../support/n8n/state';
import { waitFor } from '../support/n8n/workflows';

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

describe('demo with the Forcepoint SMC simulator', () => {
	/** The demo's simulators and sinks, spoken to as a person trying the demo would (their control endpoints). */
	const simulators = axios.create({ httpsAgent: new Agent({ ca: simulatorTls().ca }), timeout: 10_000 });
	// Named apart from the copies other e2e files import into the same n8n: the demo skips a name it finds.
	const SUFFIX = ' (demo e2e)';
	let demoFolder: string;
	const appliances: DemoAppliance[] = [];
	let provisioned: Provisioned | undefined;
	const lines: string[] = [];

	beforeAll(() => {
		demoFolder = mkdtempSync(join(tmpdir(), 'netsec-demo-smc-e2e-'));
	});
	afterAll(async () => {
		if (provisioned) {
			const { client } = provisioned;
			for (const workflow of demoWorkflows(appliances).filter((entry) => entry.name.startsWith('Forcepoint SMC'))) {
				const id = await client.findWorkflowByName(`${workflow.name}${SUFFIX}`);
				if (!id) continue;
				await client.deactivate(id).catch(() => undefined);
				await client.api('DELETE', `/workflows/${id}`).catch(() => undefined);
			}
			const kept = JSON.parse(readFileSync(join(demoFolder, 'state.json'), 'utf8')) as { credentials: Record<string, { id: string }> };
			for (const { id } of Object.values(kept.credentials)) await client.api('DELETE', `/credentials/${id}`).catch(() => undefined);
			for (const key of (await client.listApiKeys()).filter((entry) => entry.label === DEMO_API_KEY_LABEL)) await client.rest('DELETE', `/rest/api-keys/${key.id}`);
		}
		await Promise.all(appliances.map((appliance) => appliance.stop()));
		rmSync(demoFolder, { recursive: true, force: true });
	});

	it('makes a working SMC credential, imports and activates both SMC workflows: an element change becomes a notification, alerts reach vRLI', async () => {
		for (const vendor of VENDORS) appliances.push(await vendor.start({ port: () => 0, tls: simulatorTls(), trickleMs: 0, stateFolder: join(demoFolder, 'simulators') }));
		const smcIndex = VENDORS.findIndex((vendor) => vendor.title.startsWith('Forcepoint SMC'));
		const smcUrl = appliances[smcIndex].where;
		const credentials = appliances.flatMap((appliance) => appliance.credentials);
		const smcWorkflows = demoWorkflows(appliances)
			.filter((workflow) => workflow.name.startsWith('Forcepoint SMC'))
			.map((workflow) => ({ ...workflow, name: `${workflow.name}${SUFFIX}` }));
		expect(smcWorkflows).toHaveLength(2);

		provisioned = await provisionDemo({ url: loadState().url, demoFolder, credentials, workflows: smcWorkflows, log: (line) => lines.push(line) });
		expect(lines).toEqual(
			expect.arrayContaining([
				'credential "Forcepoint SMC" → simulator',
				`workflow "Forcepoint SMC alerts to vRLI${SUFFIX}" imported and activated`,
				`workflow "Forcepoint SMC element changes to notifications${SUFFIX}" imported and activated`,
			]),
		);
		expect(lines.filter((line) => line.includes('not imported'))).toEqual([]);
		const smcCredential = credentials.find((credential) => credential.type === 'forcepointSmcApi')!;
		expect(smcCredential.data.caCertificate).toBe(simulatorTls().ca);
		expect(await provisioned.client.testCredential(provisioned.credentialIds['Forcepoint SMC'])).toMatchObject({ status: 'OK' });

		// Both triggers are connected: the element-change subscription and the live alert query.
		await waitFor('both SMC triggers connected', async () => {
			const state = (await simulators.get<{ subscriptions: number; fetches: { current: number } }>(`${smcUrl}/__sim/smc/state`)).data;
			return state.subscriptions >= 1 && state.fetches.current >= 1 ? state : undefined;
		});

		const created = (await simulators.post<{ id: number; path: string }>(`${smcUrl}/__sim/smc/element-change`, { entryPoint: 'host', action: 'create', name: 'Demo e2e host' })).data;
		const changesWorkflow = (await provisioned.client.findWorkflowByName(`Forcepoint SMC element changes to notifications${SUFFIX}`))!;
		const run = await waitFor('the element change run', async () => (await provisioned!.client.listExecutions(changesWorkflow)).find((execution) => execution.stoppedAt));
		expect(nodeOutput(run, 'SMC Element Changes')[0]).toMatchObject({ action: 'create', entryPoint: 'host', elementId: created.id });
		expect(nodeOutput(run, 'Email Text')[0]).toMatchObject({ elementId: created.id, email: { subject: expect.stringContaining('host') } });
		// Delivery to the sinks is not checked here: this shared n8n does not trust the simulators' CA for
		// its own Send Email and HTTP Request nodes (the demo's n8n does, through NODE_EXTRA_CA_CERTS).

		const vrliUrl = appliances[VENDORS.findIndex((vendor) => vendor.title.startsWith('vRealize Log Insight'))].where;
		const added = (await simulators.post<{ logIds: number[] }>(`${smcUrl}/__sim/smc/logs`, { count: 200 })).data;
		expect(added.logIds).toHaveLength(200);
		const alerts = await waitFor('alert log records in vRLI', async () => {
			const events = (await simulators.get<{ events: Array<{ text: string }> }>(`${vrliUrl}/__sim/vrli/events`)).data.events;
			const ingested = events.filter((event) => event.text.startsWith('SMC-Record: '));
			return ingested.length > 0 ? ingested : undefined;
		});
		for (const alert of alerts) expect(added.logIds).toContain(Number(/LogId=(\d+)/.exec(alert.text)?.[1]));
	});
});

/**
 * The demo's setup of its n8n, against the real n8n of the e2e run, start after start: one API key kept
 * and reused (never one more per start), credentials made once and written again only when a simulator
 * moved (and then working at its new address), and a refused key replaced, still one. Also: a request
 * after more than n8n's 5 s keep-alive goes through (the client pools no connection n8n could close).
 *
 * And the demo at work: every vendor block started, every bundled workflow fitted, imported and
 * activated by the demo's own code, in an n8n that trusts the simulators' CA through NODE_EXTRA_CA_CERTS
 * as the demo's does (globalSetup). An SMC element change and an Illumio sign-in arrive at the mail sink
 * (Send Email, STARTTLS), the Slack-like webhook sink (HTTP Request over HTTPS) and, for the sign-in, the
 * syslog sink (TLS), with the events' ids and types; SMC alerts reach vRLI; the archiver writes the VCO
 * events of its first-start backfill.
 */
import axios from 'axios';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO_ARCHIVE_BACKFILL_MINUTES, demoWorkflows, VENDORS } from '../../scripts/demo';
import type { DemoAppliance } from '../../scripts/demo/appliances';
import { DEMO_API_KEY_LABEL, provisionDemo, type Provisioned } from '../../scripts/demo/provision';
import { simulatorTls } from '../simulators/common';
import { archivedIds, duplicateIds, readTree } from '../support/n8n/archiveFiles';
import { loadState } from '../support/n8n/state';
import { demoSimulatorTls } from '../support/n8n/trust';
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

/** What the sinks' overview (GET /__sim/sinks) shows, as far as these tests read it. */
interface SinksOverview {
	smtp: { count: number; latest: Array<{ from: string; to: string[]; user?: string; secure: boolean; subject: string; text: string }> };
	syslog: { count: number; latest: Array<{ transport: string; message: string }> };
	webhook: { count: number; latest: Array<{ service: string; status: number; body: { text: string } }> };
}

/** An Illumio PCE event as the simulator's control API returns it. */
interface IllumioEvent {
	href: string;
	timestamp: string;
	event_type: string;
	status: string;
	severity: string;
	created_by: { user: { username: string } };
	action: { src_ip: string };
	notifications: Array<{ notification_type: string }>;
}

/** The event a notification mail carries after its "Event:" line (the email preset's default). */
function mailedEvent(text: string): unknown {
	const at = text.indexOf('\nEvent:\n');
	return at === -1 ? undefined : JSON.parse(text.slice(at + '\nEvent:\n'.length));
}

describe('demo with every bundled workflow, delivering to the sinks', () => {
	// Named apart from the copies other e2e files import into the same n8n: the demo skips a name it finds.
	const SUFFIX = ' (demo e2e)';
	let demoFolder: string;
	let filesFolder: string;
	const appliances: DemoAppliance[] = [];
	let provisioned: Provisioned | undefined;
	const lines: string[] = [];

	beforeAll(() => {
		demoFolder = mkdtempSync(join(tmpdir(), 'netsec-demo-sinks-e2e-'));
		// This n8n may write only under <userFolder>/files, as the demo's may write only under .demo/files.
		mkdirSync(join(loadState().userFolder, 'files'), { recursive: true });
		filesFolder = mkdtempSync(join(loadState().userFolder, 'files', 'demo-e2e-'));
	});
	afterAll(async () => {
		if (provisioned) {
			const { client } = provisioned;
			for (const workflow of demoWorkflows(appliances)) {
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
		rmSync(filesFolder, { recursive: true, force: true });
	});

	it('activates every bundled workflow; SMC and Illumio notifications reach the mail, syslog and Slack sinks over TLS, alerts reach vRLI, the archiver writes the backfilled events', async () => {
		// The CA this n8n trusts through NODE_EXTRA_CA_CERTS, as the demo's n8n trusts .demo's.
		const tls = demoSimulatorTls(loadState().demoTlsFolder);
		/** The demo's simulators and sinks, spoken to as a person trying the demo would (their control endpoints). */
		const simulators = axios.create({ httpsAgent: new Agent({ ca: tls.ca }), timeout: 10_000 });
		for (const vendor of VENDORS) appliances.push(await vendor.start({ port: () => 0, tls, trickleMs: 0, stateFolder: join(demoFolder, 'simulators') }));
		const where = (title: string) => appliances[VENDORS.findIndex((vendor) => vendor.title.startsWith(title))].where;
		const smcUrl = where('Forcepoint SMC');
		const illumioUrl = where('Illumio');
		const vcoUrl = where('VeloCloud');
		const vrliUrl = where('vRealize Log Insight');
		// The line the demo prints for the sinks names where to see what they received.
		const sinksUrl = /https:\/\/\S+\/__sim\/sinks/.exec(where('local sinks'))?.[0];
		expect(sinksUrl).toBeDefined();
		const credentials = appliances.flatMap((appliance) => appliance.credentials);
		for (const credential of credentials.filter((entry) => 'caCertificate' in entry.data)) expect(credential.data.caCertificate).toBe(tls.ca);
		const smcApiVersion = credentials.find((credential) => credential.type === 'forcepointSmcApi')!.data.apiVersion as string;
		const workflows = demoWorkflows(appliances, filesFolder).map((workflow) => ({ ...workflow, name: `${workflow.name}${SUFFIX}` }));

		const beforeActivation = Date.now();
		provisioned = await provisionDemo({ url: loadState().url, demoFolder, credentials, workflows, log: (line) => lines.push(line) });
		const afterActivation = Date.now();
		const { client } = provisioned;
		expect(lines.filter((line) => line.startsWith('workflow ')).sort()).toEqual(workflows.map((workflow) => `workflow "${workflow.name}" imported and activated`).sort());
		expect(await client.testCredential(provisioned.credentialIds['Forcepoint SMC'])).toMatchObject({ status: 'OK' });

		// A sign-in at the PCE after the Illumio trigger's first poll (which starts from now): its next poll,
		// within a minute, notifies on all three channels. Added first, so that minute overlaps the rest.
		const signIn = (await simulators.post<{ events: IllumioEvent[] }>(`${illumioUrl}/__sim/illumio/events`, { count: 1, event_type: 'user.login' })).data.events[0];

		// Both SMC triggers are connected: the element-change subscription and the live alert query.
		await waitFor('both SMC triggers connected', async () => {
			const state = (await simulators.get<{ subscriptions: number; fetches: { current: number } }>(`${smcUrl}/__sim/smc/state`)).data;
			return state.subscriptions >= 1 && state.fetches.current >= 1 ? state : undefined;
		});
		const created = (await simulators.post<{ id: number }>(`${smcUrl}/__sim/smc/element-change`, { entryPoint: 'host', action: 'create', name: 'Demo e2e host' })).data;

		// Alert log records, carried to vRLI by the live query.
		const added = (await simulators.post<{ logIds: number[] }>(`${smcUrl}/__sim/smc/logs`, { count: 200 })).data;
		expect(added.logIds).toHaveLength(200);
		const alerts = await waitFor('alert log records in vRLI', async () => {
			const events = (await simulators.get<{ events: Array<{ text: string }> }>(`${vrliUrl}/__sim/vrli/events`)).data.events;
			const ingested = events.filter((event) => event.text.startsWith('SMC-Record: '));
			return ingested.length > 0 ? ingested : undefined;
		});
		for (const alert of alerts) expect(added.logIds).toContain(Number(/LogId=(\d+)/.exec(alert.text)?.[1]));

		// The archiver's first poll archived the last DEMO_ARCHIVE_BACKFILL_MINUTES of the VCO's history:
		// every event of that window (give or take the moment of the poll, between the two clocks read
		// around the activation), each once.
		const minutes = DEMO_ARCHIVE_BACKFILL_MINUTES * 60_000;
		const vcoEvents = async (start: number, end: number) =>
			(await simulators.get<{ events: Array<{ id: number }> }>(`${vcoUrl}/__sim/vco/events`, { params: { start, end } })).data.events.map((event) => event.id);
		const surelyInWindow = await vcoEvents(afterActivation - minutes, beforeActivation);
		const possiblyInWindow = await vcoEvents(beforeActivation - minutes, afterActivation);
		expect(surelyInWindow.length).toBeGreaterThan(0);
		const archive = join(filesFolder, 'velocloud-events');
		const archived = await waitFor('the archiver\'s lines', () => {
			const ids = archivedIds(archive);
			return surelyInWindow.every((id) => ids.includes(id)) ? ids : undefined;
		});
		expect(duplicateIds(archived)).toEqual([]);
		expect(archived.filter((id) => !possiblyInWindow.includes(id))).toEqual([]);
		expect([...readTree(archive).keys()].every((path) => path.endsWith('/events.json'))).toBe(true);

		// Mail: one per notification, over STARTTLS with AUTH (n8n's Send Email verified the sink's
		// certificate against the CA it trusts); Slack: one post each, answered ok; syslog over TLS: the sign-in.
		const sinks = await waitFor(
			'the SMC and Illumio notifications at the sinks',
			async () => {
				const overview = (await simulators.get<SinksOverview>(sinksUrl!)).data;
				if (overview.smtp.count >= 2 && overview.webhook.count >= 2 && overview.syslog.count >= 1) return overview;
				// What arrived so far, for the timeout's message.
				throw new Error(`mails ${JSON.stringify(overview.smtp.latest.map((mail) => mail.subject))}, Slack posts ${JSON.stringify(overview.webhook.latest.map((post) => post.body.text))}, syslog messages ${overview.syslog.count}`);
			},
			120_000,
			1000,
		);
		expect({ smtp: sinks.smtp.count, webhook: sinks.webhook.count, syslog: sinks.syslog.count }).toEqual({ smtp: 2, webhook: 2, syslog: 1 });
		const who = signIn.created_by.user.username;
		const byService = (subject: string) => sinks.smtp.latest.find((mail) => mail.subject === subject);

		const elementMail = byService(`[INFO] host ${created.id} created`);
		expect(elementMail).toMatchObject({ from: 'n8n@netsec-events.example', to: ['soc@example.com'], user: 'n8n-notifier', secure: true });
		expect(mailedEvent(elementMail!.text)).toEqual({
			subscriptionId: expect.any(Number),
			context: '*',
			action: 'create',
			entryPoint: 'host',
			elementId: created.id,
			element: `${smcUrl}/${smcApiVersion}/elements/host/${created.id}`,
			receivedAt: expect.any(String),
		});

		const signInMail = byService(`[${signIn.severity.toUpperCase()}] ${signIn.event_type} by ${who}`);
		expect(signInMail).toMatchObject({ from: 'n8n@example.com', to: ['soc@example.com'], user: 'n8n-notifier', secure: true });
		expect(mailedEvent(signInMail!.text)).toEqual({ ...signIn, watchers: ['Slack sign-ins', 'Mail sign-ins', 'SIEM sign-ins'], suppressedCount: 0 });

		expect(sinks.webhook.latest.map((post) => [post.service, post.status, post.body.text]).sort()).toEqual(
			[
				['slack', 200, `INFO: host ${created.id} created`],
				['slack', 200, `${signIn.severity.toUpperCase()}: ${signIn.event_type} by ${who}`],
			].sort(),
		);
		const signInPost = JSON.stringify(sinks.webhook.latest.find((post) => post.body.text.includes(signIn.event_type))!.body);
		expect(signInPost).toContain(`/#/events/${signIn.href.split('/').pop()}`);
		expect(JSON.stringify(sinks.webhook.latest.find((post) => post.body.text.includes('host'))!.body)).toContain(`/elements/host/${created.id}`);

		// local0.info, the event's own time, its type as MSGID, and the sentence the syslog preset makes of it.
		expect(sinks.syslog.latest[0].transport).toBe('tls');
		expect(sinks.syslog.latest[0].message).toBe(
			`<134>1 ${signIn.timestamp} - n8n-netsec-events - ${signIn.event_type} - ${signIn.event_type} ${signIn.status === 'success' ? 'succeeded' : 'failed'} by ${who} from ${signIn.action.src_ip}.\\nNotifications: ${signIn.notifications.map((entry) => entry.notification_type).join(', ')}`,
		);
	}, 300_000);
});

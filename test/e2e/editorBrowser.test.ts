/**
 * Every node of the package in a real browser (Debian's Chromium driven by playwright-core): signed in
 * to the e2e n8n, each node panel opened with its credential set (pointing at a simulator), in every
 * resource/operation/mode, with its required fields filled as a person would (text fields with their
 * placeholder's example, pickers with the first option the appliance offers), checked for issues a person
 * would see on a finished node (red fields, warning triangles, "Error fetching options"), every option
 * loader answering with options, the Docs link landing on a README heading, subtitles in words, and the
 * light and dark icons. Screenshots of every panel go to
 * .e2e/screenshots/ (a CI artifact; git-ignored).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { launchChromium, type Browser } from './browser/chromium';
import { CREDENTIAL_FIXTURES, type StartedFixture } from './browser/credentialFixtures';
import {
	closePanel,
	openPanel,
	openWorkflow,
	readCanvas,
	readPanel,
	recordLoaders,
	setTheme,
	signIn,
	waitForLoaders,
	type CanvasNodeView,
	type LoaderAnswer,
} from './browser/editor';
import {
	exportedTypeName,
	loadersOf,
	PACKAGE_NAME,
	packageEntries,
	panelsOf,
	type CredentialTypeDescription,
	type NodeTypeDescription,
	type Panel,
} from './browser/packageNodes';
import { N8nClient } from '../support/n8n/n8nClient';
import { PROJECT_ROOT } from '../support/n8n/runtime';
import { connectToE2eN8n, E2E_DIR, type E2eState } from '../support/n8n/state';

const SCREENSHOTS = join(E2E_DIR, 'screenshots');
declare const localStorage: { getItem(key: string): string | null };

const README_URL = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events';

let client: N8nClient;
let state: E2eState;
let browser: Browser | undefined;
let loaders: ReturnType<typeof recordLoaders>;
const fixtures: StartedFixture[] = [];

let nodeTypes: NodeTypeDescription[] = [];
let panels: Panel[] = [];
let workflowId = '';
/** What each panel showed, kept for the report file and the later checks. */
const seen = new Map<string, { problems: string[]; docsHref?: string; text: string }>();
let lightCanvas: CanvasNodeView[] = [];

/** GitHub's heading anchors: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function readmeAnchors(): Set<string> {
	return new Set(
		readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) =>
				line
					.replace(/^#+ /, '')
					.trim()
					.toLowerCase()
					.replace(/[^\p{L}\p{N}\s_-]/gu, '')
					.replace(/\s/g, '-'),
			),
	);
}

/** Option values that differ from their names: a subtitle made of these shows raw values. */
function rawValues(type: NodeTypeDescription): Set<string> {
	const values = new Set<string>();
	for (const property of type.properties) {
		if (property.type !== 'options') continue;
		for (const option of property.options ?? []) {
			if ('value' in option && typeof option.value === 'string' && option.value !== option.name) values.add(option.value);
		}
	}
	return values;
}

function fileName(title: string): string {
	return title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function types<T>(path: string): Promise<T[]> {
	// What the editor loads: n8n's node and credential descriptions as installed, behind the sign-in.
	return (await (await client.rest('GET', path)).json()) as T[];
}

/** The credential of each type the node takes, as a node in a workflow names it. */
function credentialsOf(nodeType: NodeTypeDescription, credentialIds: Record<string, string>): Record<string, { id: string; name: string }> {
	return Object.fromEntries((nodeType.credentials ?? []).map((credential) => [credential.name, { id: credentialIds[credential.name], name: `Browser ${credential.name}` }]));
}

/** The first option a node's loader offers, asked the way the editor asks (same route, same credential). */
async function firstOption(nodeType: NodeTypeDescription, parameters: Record<string, unknown>, parameter: string, loader: string, credentialIds: Record<string, string>): Promise<unknown> {
	const response = await client.rest('POST', '/rest/dynamic-node-parameters/options', {
		nodeTypeAndVersion: { name: nodeType.name, version: Array.isArray(nodeType.version) ? Math.max(...nodeType.version) : nodeType.version },
		path: `parameters.${parameter}`,
		methodName: loader,
		currentNodeParameters: parameters,
		credentials: credentialsOf(nodeType, credentialIds),
	});
	const options = ((await response.json()) as { data?: Array<{ value: unknown }> }).data ?? [];
	if (options.length === 0) throw new Error(`${nodeType.name} ${loader} offered nothing to pick for the required "${parameter}"`);
	return options[0].value;
}

/** A grid of every panel's node, each with the credentials its type takes. */
function workflowOf(credentialIds: Record<string, string>) {
	const columns = 6;
	return {
		name: `Browser check ${Date.now()}`,
		nodes: panels.map((panel, index) => {
			const nodeType = nodeTypes.find((type) => type.name === panel.nodeType)!;
			const credentials = credentialsOf(nodeType, credentialIds);
			return {
				name: panel.title,
				type: panel.nodeType,
				typeVersion: Array.isArray(nodeType.version) ? Math.max(...nodeType.version) : nodeType.version,
				position: [(index % columns) * 320, Math.floor(index / columns) * 260],
				parameters: panel.parameters,
				...(Object.keys(credentials).length > 0 ? { credentials } : {}),
			};
		}),
		connections: {},
	};
}

beforeAll(async () => {
	({ client, state } = await connectToE2eN8n());
	// globalSetup ran in this process and may have left a keep-alive socket n8n has closed since (5 s
	// idle): a cheap GET uses it up, so the requests that matter do not fail with "other side closed".
	await client.api('GET', '/workflows?limit=1').catch(() => undefined);
	rmSync(SCREENSHOTS, { recursive: true, force: true });
	mkdirSync(SCREENSHOTS, { recursive: true });

	const entries = packageEntries();
	const nodeNames = entries.nodes.map((file) => `${PACKAGE_NAME}.${exportedTypeName(file)}`);
	const credentialNames = entries.credentials.map(exportedTypeName);
	nodeTypes = (await types<NodeTypeDescription>('/types/nodes.json')).filter((type) => nodeNames.includes(type.name));
	const credentialTypes = (await types<CredentialTypeDescription>('/types/credentials.json')).filter((type) => credentialNames.includes(type.name));

	const missing = credentialNames.filter((name) => !CREDENTIAL_FIXTURES[name]);
	if (missing.length > 0) throw new Error(`no simulator fixture for credential type(s) ${missing.join(', ')}: add one to test/e2e/browser/credentialFixtures.ts`);
	const credentialIds: Record<string, string> = {};
	for (const credentialType of credentialTypes) {
		const fixture = await CREDENTIAL_FIXTURES[credentialType.name]();
		fixtures.push(fixture);
		const known = new Set(credentialType.properties.map((property) => property.name));
		const data = Object.fromEntries(Object.entries(fixture.data).filter(([key]) => known.has(key)));
		credentialIds[credentialType.name] = await client.createCredential(`Browser ${credentialType.name}`, credentialType.name, data);
	}

	panels = nodeTypes.flatMap(panelsOf);
	for (const panel of panels) {
		const nodeType = nodeTypes.find((type) => type.name === panel.nodeType)!;
		for (const { parameter, loader } of panel.requiredPicks) {
			panel.parameters[parameter] = await firstOption(nodeType, panel.parameters, parameter, loader, credentialIds);
		}
	}
	const workflow = workflowOf(credentialIds);
	workflowId = await client.createWorkflow(
		workflow,
		Object.fromEntries(Object.entries(credentialIds).map(([type, id]) => [`Browser ${type}`, id])),
	);

	browser = await launchChromium();
	loaders = recordLoaders(browser.page);
	await signIn(browser.page, state.url, N8nClient.owner);
	await setTheme(browser.page, 'light');
	await openWorkflow(browser.page, state.url, workflowId, panels.length);
}, 600_000);

afterAll(async () => {
	writeFileSync(
		join(SCREENSHOTS, 'report.json'),
		JSON.stringify({ panels: Object.fromEntries([...seen].map(([title, view]) => [title, { problems: view.problems, docs: view.docsHref }])), loaders: loaders?.answers }, null, 2),
	);
	await browser?.close();
	await Promise.all(fixtures.map((fixture) => fixture.stop()));
});

describe('the package in a real browser', () => {
	it('n8n loaded every node and credential package.json lists', () => {
		const entries = packageEntries();
		expect(nodeTypes.map((type) => type.name).sort()).toEqual(entries.nodes.map((file) => `${PACKAGE_NAME}.${exportedTypeName(file)}`).sort());
		expect(panels.length).toBeGreaterThanOrEqual(nodeTypes.length);
	});

	it('shows every node on the canvas with its light icon, a subtitle in words and no issue marker', async () => {
		const page = browser!.page;
		lightCanvas = await readCanvas(page);
		await page.screenshot({ path: join(SCREENSHOTS, 'canvas-light.png'), fullPage: true });
		const problems: string[] = [];
		for (const panel of panels) {
			const view = lightCanvas.find((node) => node.name === panel.title);
			const type = nodeTypes.find((entry) => entry.name === panel.nodeType)!;
			if (!view) {
				problems.push(`${panel.title}: not on the canvas`);
				continue;
			}
			const light = typeof type.iconUrl === 'object' ? type.iconUrl.light : type.iconUrl;
			if (!view.icon?.loaded) problems.push(`${panel.title}: icon ${view.icon?.src ?? '(none)'} not drawn`);
			else if (light && !view.icon.src.endsWith(light)) problems.push(`${panel.title}: light theme shows ${view.icon.src}, not ${light}`);
			// Raw values ("getMany: event", "teamsAdaptiveCard"), a failed lookup or an unevaluated expression are not words.
			const raw = rawValues(type);
			const parts = view.subtitle.split(/:\s*/);
			if (parts.every((part) => raw.has(part)) || /={{|undefined|\[object/.test(view.subtitle)) problems.push(`${panel.title}: subtitle "${view.subtitle}"`);
			if (view.hasIssues) problems.push(`${panel.title}: issue marker on the canvas`);
		}
		expect(problems).toEqual([]);
	});

	it('opens every panel without a false error or warning, and screenshots it', async () => {
		const page = browser!.page;
		const problems: string[] = [];
		for (const panel of panels) {
			const before = loaders.answers.length;
			await openPanel(page, panel.title);
			await waitForLoaders(page, loaders, before, panel.loaders.length);
			const view = await readPanel(page);
			seen.set(panel.title, view);
			await page.screenshot({ path: join(SCREENSHOTS, `${fileName(panel.title)}.png`) });
			problems.push(...view.problems.map((problem) => `${panel.title} → ${problem}`));
			// User-facing text never names the seed (issue 15.8).
			if (/\bseed\b/i.test(view.text)) problems.push(`${panel.title} → says "seed"`);
			await closePanel(page);
		}
		expect(problems).toEqual([]);
	}, 900_000);

	it('every option loader of every node answered with options', () => {
		const answered = (type: string, method: string) =>
			loaders.answers.filter((answer: LoaderAnswer) => answer.nodeType === type && answer.method === method);
		const problems: string[] = [];
		for (const type of nodeTypes) {
			for (const method of loadersOf(type)) {
				const answers = answered(type.name, method);
				if (answers.length === 0) problems.push(`${type.name} ${method}: never called by any panel`);
				for (const answer of answers) {
					if (answer.status !== 200) problems.push(`${type.name} ${method}: HTTP ${answer.status} ${answer.message ?? ''}`);
					else if (answer.options === 0) problems.push(`${type.name} ${method}: no options`);
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it("every panel's Docs link lands on a README heading", () => {
		const anchors = readmeAnchors();
		const problems: string[] = [];
		for (const [title, view] of seen) {
			if (!view.docsHref) {
				problems.push(`${title}: no Docs link`);
				continue;
			}
			const link = new URL(view.docsHref);
			const anchor = decodeURIComponent(link.hash.slice(1));
			if (`${link.origin}${link.pathname}` !== README_URL || !anchors.has(anchor)) problems.push(`${title}: Docs → ${view.docsHref}`);
		}
		expect(problems).toEqual([]);
	});

	it('the VeloCloud enterprise pickers offer the empty choice and say what to do without a credential', async () => {
		const page = browser!.page;
		const veloCloud = `${PACKAGE_NAME}.veloCloud`;
		const single = panels.filter((panel) => panel.nodeType === veloCloud && panel.loaders.includes('getEnterprisesOrOwn'));
		expect(single.map((panel) => panel.title).sort()).toEqual(['VeloCloud · Edge · Get Many', 'VeloCloud · Enterprise · Get']);
		for (const panel of single) {
			expect(seen.get(panel.title)?.problems).toEqual([]);
			expect(seen.get(panel.title)?.text).toContain('Enterprise Name or ID');
		}
		// n8n pre-selects a credential whenever one exists, so the editor's own route is asked the way a
		// panel without a credential would ask it, from the signed-in browser.
		const answer = await page.evaluate(async (url) => {
			const response = await fetch(`${url}/rest/dynamic-node-parameters/options`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': localStorage.getItem('n8n-browserId') ?? '' },
				body: JSON.stringify({
					nodeTypeAndVersion: { name: 'n8n-nodes-netsec-events.veloCloud', version: 1 },
					path: 'parameters.enterpriseId',
					methodName: 'getEnterprisesOrOwn',
					currentNodeParameters: { resource: 'enterprise', operation: 'get', enterpriseId: '' },
				}),
			});
			return { status: response.status, body: await response.text() };
		}, state.url);
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.body).toContain('Select a VeloCloud Orchestrator API credential to list its enterprises');
	});

	it('shows the dark icons in the dark theme', async () => {
		const page = browser!.page;
		await setTheme(page, 'dark');
		await openWorkflow(page, state.url, workflowId, panels.length);
		const darkCanvas = await readCanvas(page);
		await page.screenshot({ path: join(SCREENSHOTS, 'canvas-dark.png'), fullPage: true });
		const problems: string[] = [];
		for (const panel of panels) {
			const type = nodeTypes.find((entry) => entry.name === panel.nodeType)!;
			const view = darkCanvas.find((node) => node.name === panel.title);
			const dark = typeof type.iconUrl === 'object' ? type.iconUrl.dark : undefined;
			if (!dark) problems.push(`${panel.title}: no dark icon`);
			else if (!view?.icon?.loaded) problems.push(`${panel.title}: dark icon ${view?.icon?.src ?? '(none)'} not drawn`);
			else if (!view.icon.src.endsWith(dark)) problems.push(`${panel.title}: dark theme shows ${view.icon.src}, not ${dark}`);
		}
		expect(problems).toEqual([]);
		// One panel in the dark theme, for the eye.
		const before = loaders.answers.length;
		await openPanel(page, panels[0].title);
		await waitForLoaders(page, loaders, before, panels[0].loaders.length);
		await page.screenshot({ path: join(SCREENSHOTS, `dark-${fileName(panels[0].title)}.png`) });
		await closePanel(page);
	}, 300_000);
});

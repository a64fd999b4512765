/**
 * The n8n editor as a person uses it, through Chromium: sign in, open a workflow, open a node's panel
 * and read what it shows (issues, red fields, loader answers, the Docs link). Every wait is bounded.
 */
import type { Page, Response } from 'playwright-core';

/** The bits of the page's DOM these callbacks read (the tests compile without the DOM library). */
interface PageElement {
	innerText: string;
	value?: string;
	placeholder?: string;
}
declare const localStorage: { setItem(key: string, value: string): void; getItem(key: string): string | null };

/** n8n on this 2-core machine can take a minute to boot its editor under load. */
const EDITOR_TIMEOUT_MS = 180_000;
const PANEL_TIMEOUT_MS = 60_000;
const LOADERS_ROUTE = '/rest/dynamic-node-parameters/options';

export interface LoaderAnswer {
	nodeType: string;
	method: string;
	status: number;
	options: number;
	message?: string;
}

/** Records every option-loader request the editor makes, with how many options came back. */
export function recordLoaders(page: Page): { answers: LoaderAnswer[]; pending(): number } {
	const answers: LoaderAnswer[] = [];
	let pending = 0;
	page.on('request', (request) => {
		if (request.url().includes(LOADERS_ROUTE)) pending++;
	});
	const settle = () => (pending = Math.max(0, pending - 1));
	page.on('requestfailed', (request) => {
		if (request.url().includes(LOADERS_ROUTE)) settle();
	});
	page.on('response', (response: Response) => {
		if (!response.url().includes(LOADERS_ROUTE)) return;
		const body = JSON.parse(response.request().postData() ?? '{}') as { nodeTypeAndVersion?: { name: string }; methodName?: string };
		void response
			.json()
			.catch(() => ({}))
			.then((answer: { data?: unknown[]; message?: string }) => {
				answers.push({
					nodeType: body.nodeTypeAndVersion?.name ?? '?',
					method: body.methodName ?? '?',
					status: response.status(),
					options: Array.isArray(answer.data) ? answer.data.length : 0,
					message: answer.message,
				});
			})
			.finally(settle);
	});
	return { answers, pending: () => pending };
}

export async function signIn(page: Page, url: string, owner: { email: string; password: string }): Promise<void> {
	await page.goto(`${url}/signin`, { waitUntil: 'domcontentloaded', timeout: EDITOR_TIMEOUT_MS });
	await page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email, { timeout: EDITOR_TIMEOUT_MS });
	await page.locator('input[name="password"]').fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((address) => !address.pathname.includes('signin'), { timeout: EDITOR_TIMEOUT_MS });
}

/** Opens a workflow and waits until its canvas shows `nodeCount` nodes. */
export async function openWorkflow(page: Page, url: string, workflowId: string, nodeCount: number): Promise<void> {
	await page.goto(`${url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded', timeout: EDITOR_TIMEOUT_MS });
	const nodes = page.locator('[data-test-id="canvas-node"]');
	await nodes.first().waitFor({ timeout: EDITOR_TIMEOUT_MS });
	const deadline = Date.now() + PANEL_TIMEOUT_MS;
	while ((await nodes.count()) < nodeCount) {
		if (Date.now() > deadline) throw new Error(`the canvas shows ${await nodes.count()} of ${nodeCount} nodes`);
		await page.waitForTimeout(250);
	}
}

export function canvasNode(page: Page, name: string) {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`);
}

export interface CanvasNodeView {
	name: string;
	subtitle: string;
	/** the icon's address and whether the browser could draw it */
	icon?: { src: string; loaded: boolean };
	hasIssues: boolean;
}

/** Subtitles, icons and issue markers of every node on the canvas. */
export async function readCanvas(page: Page): Promise<CanvasNodeView[]> {
	return await page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) =>
		elements.map((element) => {
			// No helper functions in here: the callback runs in the page as written.
			const image = element.querySelector('img');
			const subtitle = element.querySelector('[data-test-id="canvas-node-subtitle"], [class*="subtitle"]') as unknown as PageElement | null;
			return {
				name: element.getAttribute('data-node-name') ?? '',
				subtitle: subtitle?.innerText.trim() ?? '',
				icon: image ? { src: image.getAttribute('src') ?? '', loaded: image.complete && image.naturalWidth > 0 } : undefined,
				hasIssues: element.querySelector('[data-test-id="canvas-node-status-warning"], [data-test-id*="issues"]') !== null,
			};
		}),
	);
}

export interface PanelView {
	/** "parameter: what the browser showed", for every issue marker, red field or loader error */
	problems: string[];
	docsHref?: string;
	text: string;
}

/**
 * Waits (bounded) until the panel's loaders have answered: `expected` more answers than `before`, none
 * in flight, and a short settle for a loader that re-runs (e.g. after n8n fills in the credential).
 * A panel without loaders does not wait at all.
 */
export async function waitForLoaders(page: Page, loaders: ReturnType<typeof recordLoaders>, before: number, expected: number): Promise<void> {
	if (expected === 0) return;
	const settleMs = 300;
	const deadline = Date.now() + PANEL_TIMEOUT_MS;
	let settledSince: number | undefined;
	while (Date.now() < deadline) {
		const done = loaders.answers.length - before >= expected && loaders.pending() === 0;
		if (!done) settledSince = undefined;
		else if (settledSince === undefined) settledSince = Date.now();
		else if (Date.now() - settledSince >= settleMs) return;
		await page.waitForTimeout(100);
	}
	throw new Error(`${loaders.answers.length - before} of ${expected} option loaders answered, ${loaders.pending()} still running after ${PANEL_TIMEOUT_MS} ms`);
}

export async function openPanel(page: Page, name: string): Promise<void> {
	await canvasNode(page, name).dblclick({ timeout: PANEL_TIMEOUT_MS });
	await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
}

export async function closePanel(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: PANEL_TIMEOUT_MS });
}

/** What the open panel shows that a person would read as something wrong. */
export async function readPanel(page: Page): Promise<PanelView> {
	const ndv = page.locator('[data-test-id="ndv"]');
	const problems: string[] = [];
	// Red-outlined fields: n8n marks the value container of a parameter with issues.
	const red = await ndv.locator('.has-issues').evaluateAll((elements) =>
		elements.map((element) => (element.getAttribute('data-test-id') ?? element.className).replace(/^parameter-input-/, '')),
	);
	for (const parameter of red) problems.push(`${parameter}: outlined in red`);
	// The warning triangles: their text is a tooltip, shown on hover.
	const markers = ndv.locator('[data-test-id="parameter-issues"]');
	for (let index = 0; index < (await markers.count()); index++) {
		const marker = markers.nth(index);
		const parameter = await marker.evaluate(
			(element) => element.closest('[data-test-id="parameter-item"]')?.querySelector('[data-test-id^="parameter-input-"]')?.getAttribute('data-test-id')?.replace(/^parameter-input-/, '') ?? '?',
		);
		await marker.hover({ timeout: 5_000 });
		// n8n's tooltip content (reka-ui, teleported to the body); the one just opened is the last.
		const tooltip = page.locator('[data-test-id="tooltip-content"]:visible').filter({ hasText: /\S/ }).last();
		const text = await tooltip.innerText({ timeout: 5_000 }).catch(() => '(tooltip did not open)');
		problems.push(`${parameter}: ${text.replace(/\s+/g, ' ').trim()}`);
	}
	// A loader that failed writes its error into the field itself.
	const fieldTexts = await ndv
		.locator('[data-test-id="node-parameters"] input')
		.evaluateAll((inputs) => inputs.map((input) => `${(input as unknown as PageElement).value ?? ''} ${(input as unknown as PageElement).placeholder ?? ''}`));
	const text = await ndv.locator('[data-test-id="node-parameters"]').innerText();
	for (const shown of [...fieldTexts, text]) {
		const match = /Error fetching options[^\n]*/.exec(shown);
		if (match) problems.push(`field: ${match[0].trim()}`);
	}
	const docsHref = (await ndv.locator('a.n8n-link', { hasText: 'Docs' }).first().getAttribute('href', { timeout: 5_000 }).catch(() => null)) ?? undefined;
	// The text a person reads: labels, hints and notices, and what the fields show (a select shows its choice in an input).
	return { problems: [...new Set(problems)], docsHref, text: [text, ...fieldTexts].join('\n') };
}

/** Switches the editor's theme the way its settings do (stored choice, then a reload). */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
	await page.evaluate((value) => localStorage.setItem('N8N_THEME', value), theme);
}

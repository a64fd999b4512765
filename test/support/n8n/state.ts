/** What globalSetup hands to the e2e test files (they run in other processes). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nClient } from './n8nClient';
import { PROJECT_ROOT } from './runtime';

export interface E2eState {
	url: string;
	cookie: string;
	apiKey: string;
	userFolder: string;
	logFile: string;
	pid: number;
	/** the CA (and server certificate) n8n trusts through NODE_EXTRA_CA_CERTS, as the demo's n8n does */
	demoTlsFolder: string;
}

export const E2E_DIR = join(PROJECT_ROOT, '.e2e');
const STATE_FILE = join(E2E_DIR, 'state.json');

export function saveState(state: E2eState): void {
	mkdirSync(E2E_DIR, { recursive: true });
	writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

export function loadState(): E2eState {
	if (!existsSync(STATE_FILE)) throw new Error('no running n8n: the e2e globalSetup did not run');
	return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2eState;
}

export async function connectToE2eN8n(): Promise<{ client: N8nClient; state: E2eState }> {
	const state = loadState();
	return { client: await N8nClient.connect(state.url, { cookie: state.cookie, apiKey: state.apiKey }), state };
}

/** n8n's own log so far: tests check it for leaked secrets and show it when something fails. */
export function readN8nLog(): string {
	const { logFile } = loadState();
	return existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
}

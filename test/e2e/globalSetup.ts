/**
 * Starts ONE real n8n for the whole e2e run: installs the pinned runtime if needed, installs the packed
 * package as a community package, starts n8n on loopback and creates an owner and an API key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findFreePortPair } from '../support/n8n/freePort';
import { installPackage, packPackage } from '../support/n8n/installPackage';
import { N8nClient } from '../support/n8n/n8nClient';
import { startN8n, type RunningN8n } from '../support/n8n/n8nProcess';
import { ensureRuntime } from '../support/n8n/runtime';
import { E2E_DIR, saveState } from '../support/n8n/state';
import { demoSimulatorTls, n8nTrustingDemoCa } from '../support/n8n/trust';

declare global {
	var __E2E_N8N__: RunningN8n | undefined;
	var __E2E_METRICS__: Record<string, number> | undefined;
}

export default async function globalSetup(): Promise<void> {
	const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
	const metrics: Record<string, number> = {};
	let started = Date.now();
	ensureRuntime(log);
	metrics.runtimeCheckSeconds = (Date.now() - started) / 1000;

	const userFolder = mkdtempSync(join(tmpdir(), 'netsec-events-e2e-'));
	started = Date.now();
	const tarball = packPackage(join(userFolder, 'pack'));
	installPackage(userFolder, tarball);
	metrics.packageInstallSeconds = (Date.now() - started) / 1000;

	const port = await findFreePortPair();
	// The demo test's simulators and sinks serve this CA, and n8n trusts it as the demo's n8n does (Send
	// Email and HTTP Request have no CA field). The other files' simulators each make a CA of their own,
	// which n8n does not trust: their tests of untrusted certificates are unaffected.
	const demoTlsFolder = join(userFolder, 'demo-simulator-tls');
	demoSimulatorTls(demoTlsFolder);
	// Files nodes may touch: the archive tests write under <userFolder>/files only.
	const n8n = await startN8n({ userFolder, port, env: { N8N_RESTRICT_FILE_ACCESS_TO: join(userFolder, 'files'), ...n8nTrustingDemoCa(demoTlsFolder) } });
	metrics.n8nBootSeconds = n8n.readySeconds;
	log(`n8n ready on ${n8n.url} in ${n8n.readySeconds.toFixed(1)} s (user folder ${userFolder})`);
	try {
		const client = await N8nClient.connect(n8n.url);
		saveState({ url: n8n.url, ...client.session, userFolder, logFile: n8n.logFile, pid: n8n.pid, demoTlsFolder });
	} catch (error) {
		await n8n.stop();
		throw new Error(`could not set up n8n: ${String(error)}\n${n8n.logTail()}`);
	}
	globalThis.__E2E_N8N__ = n8n;
	globalThis.__E2E_METRICS__ = { ...metrics, startedAt: Date.now() };
	writeFileSync(join(E2E_DIR, 'metrics.json'), JSON.stringify(metrics, null, 2));
}

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { E2E_DIR, loadState } from '../support/n8n/state';

export default async function globalTeardown(): Promise<void> {
	const n8n = globalThis.__E2E_N8N__;
	const metrics = globalThis.__E2E_METRICS__ ?? {};
	if (!n8n) return;
	const peak = n8n.peakRssMb();
	await n8n.stop();
	const summary = {
		runtimeCheckSeconds: metrics.runtimeCheckSeconds,
		packageInstallSeconds: metrics.packageInstallSeconds,
		n8nBootSeconds: metrics.n8nBootSeconds,
		e2eTestSeconds: metrics.startedAt ? (Date.now() - metrics.startedAt) / 1000 : undefined,
		n8nPeakRssMb: peak,
	};
	writeFileSync(join(E2E_DIR, 'metrics.json'), JSON.stringify(summary, null, 2));
	process.stdout.write(`[e2e] ${JSON.stringify(summary)}\n`);
	// Keep the user folder (and n8n's log) when CI wants to look at it; remove it otherwise.
	if (!process.env.KEEP_E2E_FOLDER) rmSync(loadState().userFolder, { recursive: true, force: true });
}

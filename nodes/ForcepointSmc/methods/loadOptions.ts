import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { withClient } from '../../shared/transport';
import { listEngines, openForcepointSmcClient } from '../transport';

/** Engines and clusters of the credential's admin domain. */
export async function getEngines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const engines = await withClient(this, openForcepointSmcClient, async (client) => await listEngines(client));
	return engines.map((engine) => ({ name: engine.name, value: engine.name, description: engine.type })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Entry points the SMC lists (element types a notification can subscribe to). */
export async function getEntryPoints(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entryPoints = await withClient(this, openForcepointSmcClient, async (client) => await client.listEntryPoints());
	return entryPoints
		.filter((entry) => /\/elements\/[a-z0-9_]+$/.test(entry.href))
		.map((entry) => ({ name: entry.rel, value: entry.rel }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

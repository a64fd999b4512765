import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listEnterprises, withVeloCloudClient } from '../transport';

/** Enterprises the account sees, for the enterprise pickers. */
export async function getEnterprises(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const enterprises = await withVeloCloudClient(this, async (client) => await listEnterprises(client));
	return enterprises
		.map((enterprise) => ({ name: `${enterprise.name} (${enterprise.id})`, value: enterprise.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

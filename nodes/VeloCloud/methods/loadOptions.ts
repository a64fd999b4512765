import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { withClient } from '../../shared/transport';
import { listEnterprises, openVeloCloudClient } from '../transport';

/** Enterprises the account sees, for the enterprise pickers. */
export async function getEnterprises(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const enterprises = await withClient(this, openVeloCloudClient, async (client) => await listEnterprises(client));
	return enterprises
		.map((enterprise) => ({ name: `${enterprise.name} (${enterprise.id})`, value: enterprise.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

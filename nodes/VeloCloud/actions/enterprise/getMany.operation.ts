import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listEnterprises, type VeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['enterprise'], operation: ['getMany'] } }, properties);

/** Every enterprise the account sees: its own, a partner's customers, or all of an operator's. */
export async function execute(this: IExecuteFunctions, client: VeloCloudClient): Promise<IDataObject[]> {
	return await listEnterprises(client);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listEnterprises, withVeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['enterprise'], operation: ['getMany'] } }, properties);

/** Every enterprise the account sees: its own, a partner's customers, or all of an operator's. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await withVeloCloudClient(this, async (client) => await listEnterprises(client), itemIndex);
}

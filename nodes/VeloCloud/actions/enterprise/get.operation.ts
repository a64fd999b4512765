import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { enterpriseProperty } from '../../eventFilters';
import { getEnterprise, type VeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [enterpriseProperty('Enterprise to get')];

export const description = updateDisplayOptions({ show: { resource: ['enterprise'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: VeloCloudClient, itemIndex: number): Promise<IDataObject[]> {
	const value = this.getNodeParameter('enterpriseId', itemIndex, '') as string | number;
	const enterpriseId = value === '' ? undefined : Number(value);
	return [await getEnterprise(client, enterpriseId)];
}

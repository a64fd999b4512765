import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { enterpriseProperty } from '../../eventFilters';
import { getEnterpriseEdges, resolveEnterprises, type VeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [enterpriseProperty('Enterprise whose edges to list')];

export const description = updateDisplayOptions({ show: { resource: ['edge'], operation: ['getMany'] } }, properties);

/** The edges of one enterprise, each tagged with the enterprise id and name. */
export async function execute(this: IExecuteFunctions, client: VeloCloudClient, itemIndex: number): Promise<IDataObject[]> {
	const value = this.getNodeParameter('enterpriseId', itemIndex, '') as string | number;
	const [enterprise] = await resolveEnterprises(client, value === '' ? [] : [Number(value)]);
	const enterpriseId = client.credentials.accountType === 'enterprise' ? undefined : enterprise.id;
	const edges = await getEnterpriseEdges(client, enterpriseId);
	return edges.map((edge) => ({ ...edge, enterpriseId: enterprise.id, enterpriseName: enterprise.name }));
}

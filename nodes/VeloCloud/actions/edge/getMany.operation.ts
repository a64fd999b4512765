import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getEnterpriseEdges, resolveEnterprises, withVeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Enterprise Name or ID',
		name: 'enterpriseId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEnterprises' },
		default: '',
		description:
			'Enterprise whose edges to list; leave empty for the account\'s own enterprise. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['edge'], operation: ['getMany'] } }, properties);

/** The edges of one enterprise, each tagged with the enterprise id and name. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const value = this.getNodeParameter('enterpriseId', itemIndex, '') as string | number;
	return await withVeloCloudClient(
		this,
		async (client) => {
			const [enterprise] = await resolveEnterprises(client, value === '' ? [] : [Number(value)]);
			const enterpriseId = client.credentials.accountType === 'enterprise' ? undefined : enterprise.id;
			const edges = await getEnterpriseEdges(client, enterpriseId);
			return edges.map((edge) => ({ ...edge, enterpriseId: enterprise.id, enterpriseName: enterprise.name }));
		},
		itemIndex,
	);
}

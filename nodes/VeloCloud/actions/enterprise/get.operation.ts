import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getEnterprise, withVeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Enterprise Name or ID',
		name: 'enterpriseId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEnterprises' },
		default: '',
		description:
			'Leave empty for the account\'s own enterprise (enterprise accounts). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['enterprise'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const value = this.getNodeParameter('enterpriseId', itemIndex, '') as string | number;
	const enterpriseId = value === '' ? undefined : Number(value);
	return await withVeloCloudClient(this, async (client) => [await getEnterprise(client, enterpriseId)], itemIndex);
}

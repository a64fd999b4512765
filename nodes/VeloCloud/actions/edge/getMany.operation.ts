import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { enterpriseProperty } from '../../eventFilters';
import { getEnterpriseEdges, resolveEnterprises, type VeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [
	enterpriseProperty('Enterprise whose edges to list'),
	{
		displayName: 'Include Secrets',
		name: 'includeSecrets',
		type: 'boolean',
		default: false,
		description: "Whether to keep the edges' activation keys and similar secrets in the output (masked by default)",
	},
];

/** Fields of VCO objects that hold secrets: an activation key lets anyone activate an edge as this one. */
const SECRET_FIELD = /^(activationKey|password|secret|presharedKey|psk|privateKey|.*(Password|Secret|PrivateKey))$/;

function maskSecrets(value: IDataObject): IDataObject {
	const masked: IDataObject = {};
	for (const [key, field] of Object.entries(value)) {
		if (SECRET_FIELD.test(key) && field !== null && field !== '') masked[key] = '***';
		else if (field && typeof field === 'object' && !Array.isArray(field)) masked[key] = maskSecrets(field as IDataObject);
		else masked[key] = field;
	}
	return masked;
}

export const description = updateDisplayOptions({ show: { resource: ['edge'], operation: ['getMany'] } }, properties);

/** The edges of one enterprise, each tagged with the enterprise id and name. */
export async function execute(this: IExecuteFunctions, client: VeloCloudClient, itemIndex: number): Promise<IDataObject[]> {
	const value = this.getNodeParameter('enterpriseId', itemIndex, '') as string | number;
	const [enterprise] = await resolveEnterprises(client, value === '' ? [] : [Number(value)]);
	const enterpriseId = client.credentials.accountType === 'enterprise' ? undefined : enterprise.id;
	const edges = await getEnterpriseEdges(client, enterpriseId);
	const includeSecrets = this.getNodeParameter('includeSecrets', itemIndex, false) as boolean;
	return edges.map((edge) => ({ ...(includeSecrets ? edge : maskSecrets(edge)), enterpriseId: enterprise.id, enterpriseName: enterprise.name }));
}

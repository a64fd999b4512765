import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { parseTimestamp } from '../../../shared/time';
import { entityTypeProperty } from '../../entityTypes';
import type { NetworkInsightClient } from '../../transport';

const properties: INodeProperties[] = [
	entityTypeProperty,
	{
		displayName: 'Entity ID',
		name: 'entityId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '10000:1:1234567890',
		description: 'The entity_id vRNI gives the entity (search results and references carry it)',
	},
	{
		displayName: 'As Of',
		name: 'asOf',
		type: 'dateTime',
		default: '',
		description: 'The moment whose snapshot to return (vRNI keeps history); leave empty for the latest',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['get'] } }, properties);

/** One entity by id, through the bulk fetch, which serves every entity type. */
export async function execute(this: IExecuteFunctions, client: NetworkInsightClient, itemIndex: number): Promise<IDataObject[]> {
	const entityType = (this.getNodeParameter('entityType', itemIndex) as string).trim();
	const entityId = (this.getNodeParameter('entityId', itemIndex) as string).trim();
	if (entityId === '') throw new NodeOperationError(this.getNode(), 'Entity ID is empty', { itemIndex, description: 'Set the entity_id, e.g. from a search result.' });
	const asOfValue = this.getNodeParameter('asOf', itemIndex, '') as string;
	const asOf = asOfValue === '' ? undefined : parseTimestamp(asOfValue);
	if (asOfValue !== '' && !asOf) throw new NodeOperationError(this.getNode(), `As Of "${asOfValue}" is not a date`, { itemIndex });
	const reference = { entity_id: entityId, entity_type: entityType, ...(asOf ? { time: Math.floor(asOf.getTime() / 1000) } : {}) };
	const [found] = await client.fetchEntities([reference]);
	if (!found?.entity) {
		throw new NodeOperationError(this.getNode(), `vRNI has no ${entityType} with id ${entityId}`, {
			itemIndex,
			description: 'Check the id and that the entity type matches it (a VM id is not a Host id).',
		});
	}
	return [{ ...found.entity, ...(found.time === undefined ? {} : { time: found.time }) }];
}

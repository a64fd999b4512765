import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { resolveTimeWindow, timeWindowProperties } from '../../../shared/timeWindow';
import { entityTypeProperty, filterProperty, pageSizeOption, returnAllProperties } from '../../entityTypes';
import { checkFilter } from '../../filter';
import { pageItems, searchWithDetails, type NetworkInsightClient } from '../../transport';

const properties: INodeProperties[] = [
	entityTypeProperty,
	filterProperty("name like 'web'", "name = 'web-01', cluster.name = 'Prod', severity = 'CRITICAL' or vm_count > 20"),
	...timeWindowProperties,
	...returnAllProperties(false),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Fetch Details',
				name: 'fetchDetails',
				type: 'boolean',
				default: true,
				description: 'Whether to return each entity in full (fetched in bulk) rather than only its ID, type and time',
			},
			pageSizeOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['search'] } }, properties);

/** Entities of any type matching the filter; for time-bound types (problems, flows) within the window. */
export async function execute(this: IExecuteFunctions, client: NetworkInsightClient, itemIndex: number): Promise<IDataObject[]> {
	const entityType = (this.getNodeParameter('entityType', itemIndex) as string).trim();
	if (entityType === '') throw new NodeOperationError(this.getNode(), 'Entity Type is empty', { itemIndex, description: 'Pick a type, e.g. Virtual Machine.' });
	const check = checkFilter(this.getNodeParameter('filter', itemIndex, '') as string);
	if (!check.ok) throw new NodeOperationError(this.getNode(), check.message, { itemIndex, description: check.fix });
	const window = resolveTimeWindow(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as { fetchDetails?: boolean; pageSize?: number };
	const details = options.fetchDetails ?? true;
	const items: IDataObject[] = [];
	for await (const page of searchWithDetails(client, { entityType, filter: check.filter, window, pageSize: options.pageSize ?? 1000, limit }, { details })) {
		items.push(...pageItems(page, details));
	}
	return items;
}

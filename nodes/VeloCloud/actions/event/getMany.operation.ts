import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveTimeWindow, timeWindowProperties } from '../../../shared/timeWindow';
import { enterprisesProperty, eventFilterPredicate, eventFilterRules, eventFiltersProperty, type EventFilters } from '../../eventFilters';
import { collectEvents, type VeloCloudClient } from '../../transport';

const properties: INodeProperties[] = [
	enterprisesProperty,
	...timeWindowProperties,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	eventFiltersProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getMany'] } }, properties);

/** Events of the window, every page followed, oldest first, each tagged with its enterprise. */
export async function execute(this: IExecuteFunctions, client: VeloCloudClient, itemIndex: number): Promise<IDataObject[]> {
	const chosen = (this.getNodeParameter('enterpriseIds', itemIndex, []) as Array<number | string>).map(Number);
	const window = resolveTimeWindow(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as EventFilters;
	const query = { ...window, rules: eventFilterRules(filters), accept: eventFilterPredicate(filters) };
	// With a limit, the newest `limit` events of the window, still oldest first.
	return await collectEvents(client, chosen, query, Number.isFinite(limit) ? limit : undefined);
}

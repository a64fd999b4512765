import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { resolveTimeWindow, timeWindowProperties } from '../../../shared/timeWindow';
import { filterProperty, pageSizeOption, returnAllProperties } from '../../entityTypes';
import { checkFilter } from '../../filter';
import { dedupeKey, type DedupeMode } from '../../flows';
import { pageItems, searchWithDetails, type NetworkInsightClient } from '../../transport';

const properties: INodeProperties[] = [
	filterProperty('flow_tag = TAG_SRC_IP_VM or flow_tag = TAG_DST_IP_VM', "port = 443 and firewall_action = ALLOW, or source_cluster.name = 'Prod'"),
	...timeWindowProperties,
	...returnAllProperties(true),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Skip Repeated Flows',
				name: 'dedupe',
				type: 'options',
				options: [
					{ name: 'No (Every Flow)', value: 'none' },
					{
						name: 'Same Destination, Protocol and Port',
						value: 'destination',
						description: 'Keep only the first flow to each destination service, whatever its source (what the VRNI SDK script flows_to_vrli.py does)',
					},
					{ name: 'Same Source, Destination, Protocol and Port', value: 'connection', description: 'Keep only the first flow of each connection' },
				],
				default: 'none',
				description: 'Whether to drop flows that repeat an earlier one of this run; off by default, since a per-destination key drops flows from other sources',
			},
			pageSizeOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['flow'], operation: ['search'] } }, properties);

/** Flows of the window matching the filter, each with its full Flow entity (fetched in bulk) and its time. */
export async function execute(this: IExecuteFunctions, client: NetworkInsightClient, itemIndex: number): Promise<IDataObject[]> {
	const check = checkFilter(this.getNodeParameter('filter', itemIndex, '') as string);
	if (!check.ok) throw new NodeOperationError(this.getNode(), check.message, { itemIndex, description: check.fix });
	const window = resolveTimeWindow(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as { dedupe?: DedupeMode; pageSize?: number };
	const mode = options.dedupe ?? 'none';
	const seen = new Set<string>();
	const items: IDataObject[] = [];
	const search = { entityType: 'Flow', filter: check.filter, window, pageSize: options.pageSize ?? 1000, limit: mode === 'none' ? limit : Number.POSITIVE_INFINITY };
	for await (const page of searchWithDetails(client, search)) {
		for (const item of pageItems(page)) {
			const key = item.detailsMissing ? undefined : dedupeKey(item, mode);
			if (key !== undefined) {
				if (seen.has(key)) continue;
				seen.add(key);
			}
			if (items.length < limit) items.push(item);
		}
		if (items.length >= limit) break;
	}
	return items;
}

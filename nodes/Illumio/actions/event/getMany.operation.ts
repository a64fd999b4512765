import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveTimeWindow, timeWindowProperties } from '../../../shared/timeWindow';
import {
	compileEventTypePatterns,
	eventFilterProperties,
	exactEventTypes,
	severitiesFrom,
	splitPatterns,
	type IllumioSeverity,
	type StatusFilter,
} from '../../eventFilters';
import { listEvents, type IllumioClient } from '../../transport';

const properties: INodeProperties[] = [
	...timeWindowProperties,
	...eventFilterProperties('Comma-separated event types; * stands for any part (user.*, *.delete). Empty for every type.'),
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
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getMany'] } }, properties);

/**
 * The events of a window, oldest first; with a limit, the newest `limit` of them. Exact event types
 * and the severities are filtered by the PCE; wildcard patterns here, after every matching event of
 * the window was read (one page up to 10,000, the async collection beyond).
 */
export async function execute(this: IExecuteFunctions, client: IllumioClient, itemIndex: number): Promise<IDataObject[]> {
	const window = resolveTimeWindow(this, itemIndex);
	const patterns = splitPatterns(this.getNodeParameter('eventTypes', itemIndex, '') as string);
	const everyType = patterns.length === 0 || patterns.includes('*');
	const matchesType = everyType ? () => true : compileEventTypePatterns(patterns, 'Event Types');
	const exact = everyType ? undefined : exactEventTypes(patterns);
	const status = this.getNodeParameter('status', itemIndex, 'any') as StatusFilter;
	const severities = severitiesFrom(this.getNodeParameter('minSeverity', itemIndex, 'any') as IllumioSeverity | 'any');
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex) as number);

	const query = { ...window, eventTypes: exact, severities, status: status === 'any' ? undefined : status };
	// With wildcards the PCE cannot filter by type, so a limit applies after the filtering here.
	const filteredHere = !everyType && !exact;
	const events = await listEvents(client, query, filteredHere ? Number.POSITIVE_INFINITY : limit);
	const matching = filteredHere ? events.filter((event) => matchesType(event.event_type)) : events;
	return Number.isFinite(limit) ? matching.slice(-limit) : matching;
}

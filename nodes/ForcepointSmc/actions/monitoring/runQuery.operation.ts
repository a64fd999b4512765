import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveTimeWindow, timeWindowProperties } from '../../../shared/timeWindow';
import { engineProperty, fieldSelectionProperties, filterFrom, filterJsonOption, filterProperties, formatFrom, timezoneOption } from '../../descriptions';
import { runMonitoringQuery, type ForcepointSmcClient } from '../../transport';
import { QUERY_KINDS, type QueryKind } from '../../transport/monitoring';
import { recordsToCsv } from './csv';

const ENGINE_KINDS: QueryKind[] = ['connections', 'blockList', 'routes', 'users', 'sslVpnUsers', 'vpnSas', 'neighbors'];

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Active Alerts', value: 'activeAlerts', description: 'Alerts not yet acknowledged in an admin domain' },
			{ name: 'Block List', value: 'blockList', description: 'Block-list (blacklist) entries of an engine' },
			{ name: 'Connections', value: 'connections', description: 'Open connections through an engine' },
			{ name: 'Logs', value: 'logs', description: 'Stored log records in a time window' },
			{ name: 'Neighbors', value: 'neighbors', description: 'Neighbor monitoring of an engine' },
			{ name: 'Routes', value: 'routes', description: 'Routing table of an engine' },
			{ name: 'SSL VPN Users', value: 'sslVpnUsers', description: 'SSL VPN sessions on an engine' },
			{ name: 'Users', value: 'users', description: 'Authenticated users on an engine' },
			{ name: 'VPN SAs', value: 'vpnSas', description: 'VPN security associations of an engine' },
		],
		default: 'logs',
	},
	{ ...engineProperty('Engine or cluster to query'), displayOptions: { show: { query: ENGINE_KINDS } } },
	{
		displayName: 'Admin Domain',
		name: 'adminDomain',
		type: 'string',
		default: '',
		placeholder: 'Shared Domain',
		description: "Domain whose active alerts to read; empty uses the credential's admin domain",
		displayOptions: { show: { query: ['activeAlerts'] } },
	},
	...updateDisplayOptions({ show: { query: ['logs'] } }, timeWindowProperties),
	{
		displayName: 'Order',
		name: 'order',
		type: 'options',
		options: [
			{ name: 'Newest First', value: 'newestFirst' },
			{ name: 'Oldest First', value: 'oldestFirst' },
		],
		default: 'newestFirst',
		displayOptions: { show: { query: ['logs'] } },
	},
	{
		displayName: 'Max Records',
		name: 'maxRecords',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1000,
		description: 'Stop after this many records',
	},
	...filterProperties,
	...fieldSelectionProperties,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Record', value: 'items', description: 'Session records carry their operation (added, updated, removed) and delta_key' },
			{ name: 'CSV Text', value: 'csv', description: 'One item whose csv field holds a header line and one line per record' },
		],
		default: 'items',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			filterJsonOption,
			{
				displayName: 'Snapshot Wait (Seconds)',
				name: 'snapshotWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description: 'Monitoring tables: how long to wait for the first records before answering that nothing matches',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description: 'The whole query must finish within this time',
			},
			timezoneOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['monitoring'], operation: ['runQuery'] } }, properties);

/** One monitoring query in batch: its records as items, or one CSV text item. */
export async function execute(this: IExecuteFunctions, client: ForcepointSmcClient, itemIndex: number): Promise<IDataObject[]> {
	const kind = this.getNodeParameter('query', itemIndex) as QueryKind;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const filter = filterFrom(this.getNodeParameter('filter', itemIndex, {}) as IDataObject, this.getNodeParameter('filterCombine', itemIndex, 'and'), options.filterJson);
	const format = formatFrom(this.getNodeParameter('fields', itemIndex, '') as string, this.getNodeParameter('fieldFormat', itemIndex, 'name'), options.timezone as string | undefined);
	const target =
		QUERY_KINDS[kind].target === 'domain'
			? (this.getNodeParameter('adminDomain', itemIndex, '') as string).trim() || client.credentials.domain
			: kind === 'logs'
				? ''
				: String(this.getNodeParameter('engine', itemIndex));
	const records = await runMonitoringQuery(client, {
		kind,
		target,
		filter,
		format,
		maxRecords: this.getNodeParameter('maxRecords', itemIndex, 1000) as number,
		window: kind === 'logs' ? resolveTimeWindow(this, itemIndex) : undefined,
		newestFirst: this.getNodeParameter('order', itemIndex, 'newestFirst') !== 'oldestFirst',
		timeoutMs: ((options.timeoutSeconds as number | undefined) ?? 120) * 1000,
		snapshotWaitMs: ((options.snapshotWaitSeconds as number | undefined) ?? 10) * 1000,
		quietMs: 1500,
	});
	if (this.getNodeParameter('output', itemIndex, 'items') === 'csv') return [{ csv: recordsToCsv(records), records: records.length }];
	return records as IDataObject[];
}

import type { INodeProperties } from 'n8n-workflow';

import type { EventFilterRule } from './transport';

const SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/** The enterprise choice and event filters shared by Event → Get Many and the trigger. */
export const enterprisesProperty: INodeProperties = {
	displayName: 'Enterprise Names or IDs',
	name: 'enterpriseIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getEnterprises' },
	default: [],
	description:
		'Enterprises to read; leave empty for every enterprise the account sees (one for an enterprise account). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** One enterprise, for the operations that read a single enterprise (empty = the account's own). */
export function enterpriseProperty(purpose: string): INodeProperties {
	return {
		displayName: 'Enterprise Name or ID',
		name: 'enterpriseId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEnterprises' },
		default: '',
		description: `${purpose}; leave empty for the account's own enterprise. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

export const eventFiltersProperty: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Edge Names',
			name: 'edgeNames',
			type: 'string',
			default: '',
			placeholder: 'Edge-SIN-01, Edge-LON-02',
			description: 'Comma-separated edge names; only their events are returned',
		},
		{
			displayName: 'Event Names',
			name: 'eventNames',
			type: 'string',
			default: '',
			placeholder: 'LINK_DEAD, EDGE_DOWN, VPN_DATACENTER_STATUS',
			description: 'Comma-separated VCO event names',
		},
		{
			displayName: 'Message Contains',
			name: 'messageContains',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Severities',
			name: 'severities',
			type: 'multiOptions',
			options: SEVERITIES.map((severity) => ({ name: severity.charAt(0) + severity.slice(1).toLowerCase(), value: severity })),
			default: [],
		},
	],
};

export interface EventFilters {
	edgeNames?: string;
	eventNames?: string;
	messageContains?: string;
	severities?: string[];
}

function list(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** VCO filter rules for the chosen filters, so the orchestrator does the filtering (less to page through). */
export function eventFilterRules(filters: EventFilters): EventFilterRule[] {
	const rules: EventFilterRule[] = [];
	const eventNames = list(filters.eventNames);
	if (eventNames.length > 0) rules.push({ field: 'event', op: 'in', values: eventNames });
	const edgeNames = list(filters.edgeNames);
	if (edgeNames.length > 0) rules.push({ field: 'edgeName', op: 'in', values: edgeNames });
	if (filters.severities && filters.severities.length > 0) rules.push({ field: 'severity', op: 'in', values: filters.severities });
	if (filters.messageContains) rules.push({ field: 'message', op: 'contains', values: [filters.messageContains] });
	return rules;
}

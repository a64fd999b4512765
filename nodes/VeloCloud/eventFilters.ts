import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EventFilterRule } from './transport';

/** VCO's severities, most severe first. */
const SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
const severityOptions = SEVERITIES.map((severity) => ({ name: severity.charAt(0) + severity.slice(1).toLowerCase(), value: severity }));

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
		typeOptions: { loadOptionsMethod: 'getEnterprisesOrOwn' },
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
			displayName: 'Categories',
			name: 'categories',
			type: 'string',
			default: '',
			placeholder: 'EDGE, NETWORK, SYSTEM',
			description: 'Comma-separated VCO event categories; only events of these categories are returned',
		},
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
			displayName: 'Exclude Edge Names',
			name: 'excludeEdgeNames',
			type: 'string',
			default: '',
			placeholder: 'Edge-LAB-01',
			description: 'Comma-separated edge names whose events are left out',
		},
		{
			displayName: 'Exclude Event Names',
			name: 'excludeEventNames',
			type: 'string',
			default: '',
			placeholder: 'EDGE_INTERFACE_UP, USER_LOGIN',
			description: 'Comma-separated VCO event names that are left out',
		},
		{
			displayName: 'Message Contains',
			name: 'messageContains',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Minimum Severity',
			name: 'minimumSeverity',
			type: 'options',
			options: severityOptions,
			default: 'WARNING',
			description: 'Only events at least this severe (Warning keeps Warning, Error, Critical, Alert and Emergency)',
		},
		{
			displayName: 'Segment Names',
			name: 'segmentNames',
			type: 'string',
			default: '',
			placeholder: 'Global Segment',
			description: 'Comma-separated segment names',
		},
		{
			displayName: 'Severities',
			name: 'severities',
			type: 'multiOptions',
			options: severityOptions,
			default: [],
			description: 'Only these severities (combined with Minimum Severity when both are set)',
		},
	],
};

export interface EventFilters {
	categories?: string;
	edgeNames?: string;
	eventNames?: string;
	excludeEdgeNames?: string;
	excludeEventNames?: string;
	messageContains?: string;
	minimumSeverity?: string;
	segmentNames?: string;
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
	const excludedEvents = list(filters.excludeEventNames);
	if (excludedEvents.length > 0) rules.push({ field: 'event', op: 'notIn', values: excludedEvents });
	const excludedEdges = list(filters.excludeEdgeNames);
	if (excludedEdges.length > 0) rules.push({ field: 'edgeName', op: 'notIn', values: excludedEdges });
	const segments = list(filters.segmentNames);
	if (segments.length > 0) rules.push({ field: 'segmentName', op: 'in', values: segments });
	if (filters.severities && filters.severities.length > 0) rules.push({ field: 'severity', op: 'in', values: filters.severities });
	if (filters.minimumSeverity) {
		const rank = SEVERITIES.indexOf(filters.minimumSeverity);
		if (rank >= 0) rules.push({ field: 'severity', op: 'in', values: SEVERITIES.slice(0, rank + 1) });
	}
	if (filters.messageContains) rules.push({ field: 'message', op: 'contains', values: [filters.messageContains] });
	return rules;
}

/**
 * What VCO's filter rules cannot express (its rule fields have no category): kept here, applied to
 * the events VCO returned. Returns undefined when every event passes.
 */
export function eventFilterPredicate(filters: EventFilters): ((event: IDataObject) => boolean) | undefined {
	const categories = new Set(list(filters.categories).map((category) => category.toUpperCase()));
	if (categories.size === 0) return undefined;
	return (event) => categories.has(String(event.category ?? '').toUpperCase());
}

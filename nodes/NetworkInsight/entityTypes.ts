import type { INodeProperties } from 'n8n-workflow';

/** The entity types offered in the list; any other vRNI type name can be given with an expression. */
const ENTITY_TYPES: Array<{ name: string; value: string; description?: string }> = [
	{ name: 'Cluster', value: 'Cluster' },
	{ name: 'Datastore', value: 'Datastore' },
	{ name: 'Flow', value: 'Flow' },
	{ name: 'Folder', value: 'Folder' },
	{ name: 'Host', value: 'Host' },
	{ name: 'Layer 2 Network (VLAN)', value: 'VlanL2Network' },
	{ name: 'Problem', value: 'ProblemEvent', description: 'Problem events vRNI raised (severity, message, anchor entities)' },
	{ name: 'Security Group (Any Kind)', value: 'BaseSecurityGroup' },
	{ name: 'Security Group (NSX)', value: 'NSXSecurityGroup' },
	{ name: 'Security Tag', value: 'SecurityTag' },
	{ name: 'vCenter', value: 'VCenterManager' },
	{ name: 'vCenter Datacenter', value: 'VCDatacenter' },
	{ name: 'Virtual Machine', value: 'VirtualMachine' },
	{ name: 'vNIC', value: 'Vnic' },
];

export const entityTypeProperty: INodeProperties = {
	displayName: 'Entity Type',
	name: 'entityType',
	type: 'options',
	options: ENTITY_TYPES,
	default: 'VirtualMachine',
	description: 'The vRNI entity type; other type names of the vRNI API (e.g. NSXTFirewallRule) can be set with an expression',
};

export const filterProperty = (placeholder: string, example: string): INodeProperties => ({
	displayName: 'Filter',
	name: 'filter',
	type: 'string',
	default: '',
	placeholder,
	description: `A vRNI search filter, e.g. ${example}. Leave empty for all. The period comes from Time Window, not from the filter.`,
});

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 1000 },
	default: 1000,
	description: 'Results per search request (details are fetched in bulk for each page); every page is read',
};

/** Return All (default as given) and Limit. */
const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export function returnAllProperties(returnAllByDefault: boolean): INodeProperties[] {
	return [
		{ ...returnAllProperty, default: returnAllByDefault },
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
}

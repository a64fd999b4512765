/**
 * Parameters the Forcepoint SMC node and trigger share: the filter conditions, the field selection
 * and how records are labelled. What they hold is turned into SMC JSON by transport/filters.ts and
 * transport/monitoring.ts.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { fieldId } from './transport/fields';
import { buildFilter, FilterError, type FilterCondition, type SmcFilter } from './transport/filters';
import type { FormatSpec } from './transport/monitoring';

/** The engine picker (engines and clusters of the credential's domain, or an expression). */
export function engineProperty(purpose: string): INodeProperties {
	return {
		displayName: 'Engine Name or ID',
		name: 'engine',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEngines' },
		default: '',
		required: true,
		description: `${purpose}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

export const filterProperties: INodeProperties[] = [
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'fixedCollection',
		placeholder: 'Add Condition',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: 'Only records that match these conditions',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Expression',
						name: 'expression',
						type: 'string',
						default: '',
						placeholder: '$Sport == 7000 OR $Sport == 7001',
						displayOptions: { show: { operator: ['translated'] } },
					},
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'SRC',
						description: 'A field ID (7) or LogField name (SRC, DST, SERVICE, ALERTSEVERITY, ACTION, DATATYPE…)',
						displayOptions: { hide: { operator: ['translated'] } },
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [
							{ name: 'Has a Value', value: 'defined', description: 'The field is set' },
							{ name: 'Has No Value', value: 'notDefined', description: 'The field is not set' },
							{ name: 'Is None Of', value: 'notIn', description: 'The field matches none of the values' },
							{ name: 'Is One Of', value: 'in', description: 'The field matches one of the values' },
							{ name: 'SMC Filter Expression', value: 'translated', description: 'An expression as the Management Client shows it (Show Filter Expression)' },
						],
						default: 'in',
					},
					{
						displayName: 'Value Type',
						name: 'valueType',
						type: 'options',
						options: [
							{ name: 'Constant', value: 'constant', description: 'A number or a named constant: HIGH, CRITICAL, DISCARD, FW_LOGS…' },
							{ name: 'Element', value: 'element', description: 'The href of a host, network or engine element' },
							{ name: 'Field', value: 'field', description: 'Another field (ID or name)' },
							{ name: 'IP Address', value: 'ip', description: 'An address, a network (10.0.0.0/16) or a range (a-b)' },
							{ name: 'Number', value: 'number' },
							{ name: 'Service', value: 'service', description: 'TCP/443, UDP/53 or ICMP/8/0' },
							{ name: 'Text', value: 'string', description: 'Exact text, one value per line' },
						],
						default: 'ip',
						displayOptions: { show: { operator: ['in', 'notIn'] } },
					},
					{
						displayName: 'Values',
						name: 'values',
						type: 'string',
						default: '',
						placeholder: '192.168.4.84, 10.0.0.0/16',
						description: 'Comma-separated (text values: one per line)',
						typeOptions: { rows: 2 },
						displayOptions: { show: { operator: ['in', 'notIn'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Match',
		name: 'filterCombine',
		type: 'options',
		options: [
			{ name: 'All Conditions', value: 'and' },
			{ name: 'Any Condition', value: 'or' },
		],
		default: 'and',
	},
];

/** Options both the node and the trigger offer for a query. */
export const filterJsonOption: INodeProperties = {
	displayName: 'Filter JSON',
	name: 'filterJson',
	type: 'json',
	default: '',
	description: "A filter in the SMC's own JSON (in / and / or / not / defined / translated), instead of the conditions above",
};

export const timezoneOption: INodeProperties = {
	displayName: 'Timezone',
	name: 'timezone',
	type: 'string',
	default: '',
	placeholder: 'Europe/Helsinki',
	description: 'Zone the SMC renders times in (an IANA name or an SMC name such as CST); empty leaves the SMC default',
};

export const fieldSelectionProperties: INodeProperties[] = [
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		default: '',
		placeholder: 'TIMESTAMP, SRC, DST, SERVICE, ACTION',
		description: 'Field IDs or LogField names to return, comma-separated; empty returns every field the SMC has for the record',
	},
	{
		displayName: 'Field Labels',
		name: 'fieldFormat',
		type: 'options',
		options: [
			{ name: 'Names (Src, NodeId)', value: 'name' },
			{ name: 'Management Client Labels (Src Addr)', value: 'pretty' },
			{ name: 'Field IDs (7)', value: 'id' },
		],
		default: 'name',
		description: 'How the keys of each record are written',
	},
];

/** The filter the node's parameters describe; conditions and a JSON filter are exclusive. */
export function filterFrom(filter: IDataObject | undefined, combine: unknown, json: unknown): SmcFilter | undefined {
	const conditions = ((filter?.conditions as IDataObject[] | undefined) ?? []) as unknown as FilterCondition[];
	return buildFilter({ conditions, combine: combine === 'or' ? 'or' : 'and', json: json === '' ? undefined : json });
}

/** Field ids from "TIMESTAMP, 7, DST"; names are checked so a typo fails here, not silently at the SMC. */
export function fieldIdsFrom(text: string): number[] {
	const ids: number[] = [];
	for (const part of text.split(/[,\s]+/).filter((item) => item.length > 0)) {
		const id = fieldId(part);
		if (id === undefined) throw new FilterError(`Fields: unknown field "${part}" (use a numeric field ID or a LogField name such as SRC)`);
		if (!ids.includes(id)) ids.push(id);
	}
	return ids;
}

export function formatFrom(fields: string, fieldFormat: unknown, timezone?: string): FormatSpec {
	const format = fieldFormat === 'pretty' || fieldFormat === 'id' ? fieldFormat : 'name';
	return { fieldFormat: format, fieldIds: fieldIdsFrom(fields), timezone: timezone || undefined };
}

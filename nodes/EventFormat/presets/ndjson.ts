import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { pythonJsonDumps } from '../../shared/pythonJson';

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'ndjsonSource',
		type: 'options',
		options: [
			{ name: 'Whole Item', value: 'item', description: 'Serialise every field of the input item' },
			{ name: 'One Field', value: 'field', description: 'Serialise the value of one field (an object, usually)' },
		],
		default: 'item',
	},
	{
		displayName: 'Field',
		name: 'ndjsonField',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'event',
		description: 'Path of the field to serialise; dots reach into objects',
		displayOptions: { show: { ndjsonSource: ['field'] } },
	},
	{
		displayName: 'Style',
		name: 'ndjsonStyle',
		type: 'options',
		options: [
			{
				name: 'Compact',
				value: 'compact',
				description: 'Standard compact JSON, UTF-8 kept as is',
			},
			{
				name: 'Python Json.dumps (Seed Compatible)',
				value: 'python',
				description:
					'Byte-identical to the VeloCloud archiver script: ", " and ": " separators, non-ASCII escaped as \\uXXXX',
			},
		],
		default: 'compact',
	},
];

export const description = updateDisplayOptions({ show: { preset: ['ndjson'] } }, properties);

/** One JSON line (no trailing newline) with keys in the input's order. */
export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const source = this.getNodeParameter('ndjsonSource', itemIndex) as 'item' | 'field';
	const style = this.getNodeParameter('ndjsonStyle', itemIndex) as 'compact' | 'python';
	let value: unknown = item;
	if (source === 'field') {
		const path = this.getNodeParameter('ndjsonField', itemIndex) as string;
		value = getFieldValue(item, path);
		if (isMissing(value)) {
			throw new NodeOperationError(this.getNode(), `The item has no field "${path}" to serialise`, {
				itemIndex,
				description: 'Check the field path, or choose Whole Item as the source.',
			});
		}
	}
	return style === 'python' ? pythonJsonDumps(value) : JSON.stringify(value);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { jsonLine, jsonStyleOptions, lineLayoutOptions, type JsonStyle, type LineLayoutName } from '../../shared/format/lineLayouts';

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
		displayName: 'Layout',
		name: 'ndjsonLayout',
		type: 'options',
		options: lineLayoutOptions,
		default: 'asIs',
		description: 'Which fields the line carries, in which order (Event Archive offers the same layouts)',
	},
	{
		displayName: 'Style',
		name: 'ndjsonStyle',
		type: 'options',
		options: jsonStyleOptions,
		default: 'compact',
	},
];

export const description = updateDisplayOptions({ show: { preset: ['ndjson'] } }, properties);

/** One JSON line (no trailing newline), laid out by the chosen named layout. */
export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const source = this.getNodeParameter('ndjsonSource', itemIndex) as 'item' | 'field';
	const layout = this.getNodeParameter('ndjsonLayout', itemIndex, 'asIs') as LineLayoutName;
	const style = this.getNodeParameter('ndjsonStyle', itemIndex) as JsonStyle;
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
	return jsonLine(value, layout, style);
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

const properties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '={{ $json.eventTime }} {{ $json.severity }} {{ $json.event }}: {{ $json.message }}',
		description:
			'The text to produce, written with n8n expressions (drag fields in from the input). No other template language is evaluated.',
	},
];

export const description = updateDisplayOptions({ show: { preset: ['text'] } }, properties);

/** n8n has already evaluated the expressions in the parameter; this only makes the result a string. */
export function format(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('text', itemIndex, '') as unknown;
	if (typeof value === 'string') return value;
	return value === null || value === undefined ? '' : JSON.stringify(value);
}

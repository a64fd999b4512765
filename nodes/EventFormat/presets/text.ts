import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readEventSummary } from '../summary';
import { severityLabel, timeLabel } from './channel';
import { controlsToSpaces, escapeControls } from './safeText';

const properties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: '={{ $json.eventTime }} {{ $json.severity }} {{ $json.event }}: {{ $json.message }}',
		description:
			'The text to produce, written with n8n expressions (drag fields in from the input). No other template language is evaluated. Leave empty for "time SEVERITY type: message" from the event, whichever vendor it comes from.',
	},
	{
		displayName: 'Line Breaks',
		name: 'textLineBreaks',
		type: 'options',
		options: [
			{
				name: 'Escape',
				value: 'escape',
				description: 'Line breaks as \\n and \\r, other controls as \\u00XX: one line, safe to send as a syslog or file line',
			},
			{ name: 'Replace With Space', value: 'space', description: 'One line; each line break or control character becomes a space' },
			{ name: 'Keep', value: 'keep', description: 'Multi-line text (mail bodies); never send it over a line-framed transport' },
		],
		default: 'escape',
	},
];

export const description = updateDisplayOptions({ show: { preset: ['text'] } }, properties);

/** n8n has already evaluated the expressions in the parameter; this makes the result a string and one line. */
export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const value = this.getNodeParameter('text', itemIndex, '') as unknown;
	const lineBreaks = this.getNodeParameter('textLineBreaks', itemIndex, 'escape') as 'escape' | 'space' | 'keep';
	let text: string;
	if (typeof value === 'string' && value !== '') text = value;
	else if (value !== null && value !== undefined && value !== '') text = JSON.stringify(value);
	else {
		const summary = readEventSummary(this, itemIndex, item);
		text = [timeLabel(summary), severityLabel(summary), `${summary.eventType}:`, summary.message].filter(Boolean).join(' ');
	}
	if (lineBreaks === 'keep') return text;
	return lineBreaks === 'space' ? controlsToSpaces(text) : escapeControls(text);
}

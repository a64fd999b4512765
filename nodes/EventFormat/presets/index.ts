import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as cef from './cef';
import * as ndjson from './ndjson';
import * as syslog from './syslog';
import * as text from './text';

export type Preset = 'ndjson' | 'syslog' | 'cef' | 'text';

type Formatter = (this: IExecuteFunctions, itemIndex: number, item: IDataObject) => string;

const FORMATTERS: Record<Preset, Formatter> = {
	ndjson: ndjson.format,
	syslog: syslog.format,
	cef: cef.format,
	text: text.format,
};

export const presetProperties: INodeProperties[] = [
	{
		displayName: 'Preset',
		name: 'preset',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'CEF', value: 'cef', description: 'ArcSight Common Event Format line', action: 'Format as CEF' },
			{ name: 'NDJSON Line', value: 'ndjson', description: 'One JSON object on one line', action: 'Format as an NDJSON line' },
			{ name: 'Syslog (RFC 5424)', value: 'syslog', description: 'A syslog message with structured data', action: 'Format as syslog' },
			{ name: 'Text', value: 'text', description: 'Free text written with n8n expressions', action: 'Format as text' },
		],
		default: 'ndjson',
	},
	...ndjson.description,
	...syslog.description,
	...cef.description,
	...text.description,
];

export function formatItem(this: IExecuteFunctions, preset: Preset, itemIndex: number, item: IDataObject): string {
	return FORMATTERS[preset].call(this, itemIndex, item);
}

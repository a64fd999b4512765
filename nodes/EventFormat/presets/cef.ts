import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { SEVERITY_NAMES_HINT } from '../../shared/severity';
import { readEventSummary, type EventSummary } from '../summary';
import { requireField, severityFromField, severityFromSummary, toText } from './fields';
import { controlsToSpaces } from './safeText';

const properties: INodeProperties[] = [
	{
		displayName: 'Device Vendor',
		name: 'cefDeviceVendor',
		type: 'string',
		default: '',
		placeholder: 'VMware',
		description: 'Leave empty for the vendor of the event (VMware, Illumio, Forcepoint …)',
	},
	{
		displayName: 'Device Product',
		name: 'cefDeviceProduct',
		type: 'string',
		default: '',
		placeholder: 'VeloCloud Orchestrator',
		description: 'Leave empty for the product of the event (VeloCloud Orchestrator, Core PCE, SMC …)',
	},
	{ displayName: 'Device Version', name: 'cefDeviceVersion', type: 'string', default: '1.0', required: true },
	{
		displayName: 'Signature ID Field',
		name: 'cefSignatureIdField',
		type: 'string',
		default: '',
		placeholder: 'event',
		description: 'Field identifying the kind of event (Device Event Class ID). Leave empty for the event type (VCO event, Illumio event_type, SMC situation …).',
	},
	{
		displayName: 'Name Field',
		name: 'cefNameField',
		type: 'string',
		default: '',
		placeholder: 'message',
		description: 'Field holding the event name. Leave empty for a one-line title of the event.',
	},
	{
		displayName: 'Severity Field',
		name: 'cefSeverityField',
		type: 'string',
		default: '',
		placeholder: 'severity',
		description: `Field holding the severity: ${SEVERITY_NAMES_HINT} 0–10. Leave empty to take the severity from the event (informational when it has none).`,
	},
	{
		displayName: 'Standard Extensions',
		name: 'cefStandardExtensions',
		type: 'boolean',
		default: true,
		description:
			'Whether to add rt, msg, suser, dvchost, src, dst, externalId and request from the event, when it has them (an Extensions entry with the same key wins)',
	},
	{
		displayName: 'Extensions',
		name: 'cefExtensions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Extension',
		default: {},
		options: [
			{
				displayName: 'Extension',
				name: 'extension',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'dvchost' },
					{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'edgeName' },
				],
			},
		],
		description: 'Key=value pairs after the header; fields missing on an item are left out',
	},
];

export const description = updateDisplayOptions({ show: { preset: ['cef'] } }, properties);

interface ExtensionMapping {
	key: string;
	field: string;
}

/** `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value ...`, always one line. */
export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const vendor = this.getNodeParameter('cefDeviceVendor', itemIndex, '') as string;
	const product = this.getNodeParameter('cefDeviceProduct', itemIndex, '') as string;
	const version = this.getNodeParameter('cefDeviceVersion', itemIndex) as string;
	const signatureField = this.getNodeParameter('cefSignatureIdField', itemIndex, '') as string;
	const nameField = this.getNodeParameter('cefNameField', itemIndex, '') as string;
	const severityField = this.getNodeParameter('cefSeverityField', itemIndex, '') as string;
	const standard = this.getNodeParameter('cefStandardExtensions', itemIndex, true) as boolean;
	const mappings = (this.getNodeParameter('cefExtensions.extension', itemIndex, []) as ExtensionMapping[]) ?? [];
	const summary = readEventSummary(this, itemIndex, item);

	const signature = signatureField ? toText(requireField(this, item, signatureField, itemIndex, 'signature ID')) : summary.eventType;
	const name = nameField ? toText(requireField(this, item, nameField, itemIndex, 'name')) : summary.title;
	const severity = severityField
		? severityFromField(this, itemIndex, item, severityField, 'cef')
		: severityFromSummary(this, itemIndex, summary, 'cef');

	const extensions = new Map<string, string>(standard ? standardExtensions(summary) : []);
	for (const { key, field } of mappings) {
		if (!/^[A-Za-z0-9_]+$/.test(key)) {
			throw new NodeOperationError(this.getNode(), `"${key}" is not a valid CEF extension key`, {
				itemIndex,
				description: 'CEF keys are letters, digits and underscores only (for example dvchost, msg, rt, cs1).',
			});
		}
		// A mapped key replaces the standard one, and keeps the position the user gave it.
		extensions.delete(key);
		const value = getFieldValue(item, field);
		if (isMissing(value)) continue;
		extensions.set(key, toText(value));
	}

	const header = ['CEF:0', vendor || summary.vendor || 'n8n', product || summary.product || 'netsec-events', version, signature, name, String(severity)].map(
		(part, index) => (index === 0 ? part : escapeHeader(part)),
	);
	const pairs = [...extensions].map(([key, value]) => `${key}=${escapeExtensionValue(value)}`);
	return `${header.join('|')}|${pairs.join(' ')}`;
}

/** ArcSight's standard keys for what the summary knows (CEF Implementation Standard, "Extension dictionary"). */
function standardExtensions(summary: EventSummary): Array<[string, string]> {
	const pairs: Array<[string, string | undefined]> = [
		['rt', summary.time ? String(summary.time.getTime()) : undefined],
		['msg', summary.message],
		['suser', summary.who],
		['dvchost', summary.device],
		['src', summary.sourceAddress],
		['dst', summary.destinationAddress],
		['externalId', summary.id],
		['request', summary.link],
	];
	return pairs.filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '');
}

/** Header fields: backslash and pipe are escaped; a header holds no line break or control, each becomes a space. */
export function escapeHeader(value: string): string {
	return controlsToSpaces(value.replace(/[\\|]/g, (char) => `\\${char}`));
}

/** Extension values: backslash and equals are escaped, line breaks written as \n and \r, other controls as spaces. */
export function escapeExtensionValue(value: string): string {
	return controlsToSpaces(
		value
			.replace(/[\\=]/g, (char) => `\\${char}`)
			.replace(/\r\n|\n/g, '\\n')
			.replace(/\r/g, '\\r'),
	);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';
import { SEVERITY_NAMES_HINT, toCefSeverity } from '../../shared/severity';
import { requireField, toText } from './fields';

const properties: INodeProperties[] = [
	{ displayName: 'Device Vendor', name: 'cefDeviceVendor', type: 'string', default: 'VMware', required: true },
	{ displayName: 'Device Product', name: 'cefDeviceProduct', type: 'string', default: 'VeloCloud Orchestrator', required: true },
	{ displayName: 'Device Version', name: 'cefDeviceVersion', type: 'string', default: '1.0', required: true },
	{
		displayName: 'Signature ID Field',
		name: 'cefSignatureIdField',
		type: 'string',
		default: 'event',
		required: true,
		description: 'Field identifying the kind of event (Device Event Class ID)',
	},
	{ displayName: 'Name Field', name: 'cefNameField', type: 'string', default: 'message', required: true },
	{
		displayName: 'Severity Field',
		name: 'cefSeverityField',
		type: 'string',
		default: 'severity',
		required: true,
		description: `Field holding the severity: ${SEVERITY_NAMES_HINT} 0–10`,
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

/** `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value ...` */
export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const vendor = this.getNodeParameter('cefDeviceVendor', itemIndex) as string;
	const product = this.getNodeParameter('cefDeviceProduct', itemIndex) as string;
	const version = this.getNodeParameter('cefDeviceVersion', itemIndex) as string;
	const signatureField = this.getNodeParameter('cefSignatureIdField', itemIndex) as string;
	const nameField = this.getNodeParameter('cefNameField', itemIndex) as string;
	const severityField = this.getNodeParameter('cefSeverityField', itemIndex) as string;
	const mappings = (this.getNodeParameter('cefExtensions.extension', itemIndex, []) as ExtensionMapping[]) ?? [];

	const signature = toText(requireField(this, item, signatureField, itemIndex, 'signature ID'));
	const name = toText(requireField(this, item, nameField, itemIndex, 'name'));
	const rawSeverity = requireField(this, item, severityField, itemIndex, 'severity');
	const severity = toCefSeverity(rawSeverity);
	if (severity === undefined) {
		throw new NodeOperationError(this.getNode(), `"${toText(rawSeverity)}" in "${severityField}" is not a severity`, {
			itemIndex,
			description: `Use ${SEVERITY_NAMES_HINT} 0–10.`,
		});
	}

	const extensions: string[] = [];
	for (const { key, field } of mappings) {
		if (!/^[A-Za-z0-9_]+$/.test(key)) {
			throw new NodeOperationError(this.getNode(), `"${key}" is not a valid CEF extension key`, {
				itemIndex,
				description: 'CEF keys are letters, digits and underscores only (for example dvchost, msg, rt, cs1).',
			});
		}
		const value = getFieldValue(item, field);
		if (isMissing(value)) continue;
		extensions.push(`${key}=${escapeExtensionValue(toText(value))}`);
	}

	const header = ['CEF:0', vendor, product, version, signature, name, String(severity)].map((part, index) =>
		index === 0 ? part : escapeHeader(part),
	);
	return `${header.join('|')}|${extensions.join(' ')}`;
}

/** Header fields: backslash and pipe are escaped; a header cannot hold a line break, so it becomes a space. */
function escapeHeader(value: string): string {
	return value.replace(/[\\|]/g, (char) => `\\${char}`).replace(/\r\n|\r|\n/g, ' ');
}

/** Extension values: backslash and equals are escaped, line breaks written as \n and \r. */
function escapeExtensionValue(value: string): string {
	return value
		.replace(/[\\=]/g, (char) => `\\${char}`)
		.replace(/\r\n|\n/g, '\\n')
		.replace(/\r/g, '\\r');
}

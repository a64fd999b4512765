import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getFieldValue, isMissing } from '../../shared/fieldPath';

/** Reads a field a preset cannot do without; a clear per-item error names the field and the fix. */
export function requireField(
	context: IExecuteFunctions,
	item: IDataObject,
	path: string,
	itemIndex: number,
	purpose: string,
): unknown {
	const value = getFieldValue(item, path);
	if (isMissing(value)) {
		throw new NodeOperationError(context.getNode(), `The item has no "${path}" field for the ${purpose}`, {
			itemIndex,
			description: `Set the ${purpose} field to a field the items carry, or add "${path}" upstream (an Edit Fields node, say).`,
		});
	}
	return value;
}

/** Text for a scalar; objects and arrays become compact JSON. */
export function toText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

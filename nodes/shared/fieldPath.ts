import type { IDataObject } from 'n8n-workflow';

/**
 * Reads a field by dot path (`detail.ipAddress`, `items.0.name`). A key that itself contains dots
 * wins over the path reading, so `{"a.b": 1}` answers `a.b` as users expect.
 */
export function getFieldValue(data: IDataObject, path: string): unknown {
	if (path in data) return data[path];
	let current: unknown = data;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** True when the value is absent: undefined, null or an empty string. */
export function isMissing(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

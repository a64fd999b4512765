/**
 * Serialises like Python's `json.dumps(value)` with its defaults (separators `", "` and `": "`,
 * `ensure_ascii=True`), so lines we write are byte-identical to those of the original scripts and any
 * parser or diff tool users already point at those files keeps working.
 */
export function pythonJsonDumps(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	switch (typeof value) {
		case 'string':
			return asciiJsonString(value);
		case 'number':
			if (Number.isNaN(value)) return 'NaN';
			if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
			return JSON.stringify(value);
		case 'boolean':
			return value ? 'true' : 'false';
		case 'bigint':
			return value.toString();
		case 'object':
			if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
			if (value instanceof Date) return asciiJsonString(value.toISOString());
			return pythonJsonObject(value as Record<string, unknown>, Object.keys(value));
		default:
			return 'null';
	}
}

/** Keys repeat on every event: their `"key": ` prefix is made once. */
const keyPrefixes = new Map<string, string>();
const MAX_CACHED_KEYS = 10_000;

function keyPrefix(key: string): string {
	let prefix = keyPrefixes.get(key);
	if (prefix === undefined) {
		prefix = `${asciiJsonString(key)}: `;
		if (keyPrefixes.size < MAX_CACHED_KEYS) keyPrefixes.set(key, prefix);
	}
	return prefix;
}

/** An object with its keys in the given order (keys it lacks, or holds undefined, are left out). */
export function pythonJsonObject(record: Record<string, unknown>, keys: readonly string[]): string {
	// This runs once per archived event: fast paths for flat values, and the braces joined in with the
	// parts, so that the line is one flat string. (`{` + join + `}`, or appending with +=, leaves each line
	// a rope of its parts: 10^5 of them cost 100 MB and the time to flatten them when written.)
	const parts: string[] = [];
	for (const key of keys) {
		const entry = record[key];
		if (typeof entry === 'string') parts.push(keyPrefix(key) + asciiJsonString(entry));
		else if (entry === null) parts.push(`${keyPrefix(key)}null`);
		else if (entry !== undefined && typeof entry !== 'function') parts.push(keyPrefix(key) + pythonJsonDumps(entry));
	}
	if (parts.length === 0) return '{}';
	parts[0] = `{${parts[0]}`;
	parts[parts.length - 1] += '}';
	return parts.join(', ');
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;

/** Text that JSON and ensure_ascii leave as it is: printable ASCII without quotes or backslashes. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this excludes
const PLAIN_ASCII = /^[^"\\\u0000-\u001f\u007f-\uffff]*$/;

function asciiJsonString(value: string): string {
	if (PLAIN_ASCII.test(value)) return `"${value}"`;
	// JSON.stringify already escapes quotes, backslashes and control characters; ensure_ascii then
	// turns every non-ASCII UTF-16 unit into \uXXXX (surrogate pairs stay as two escapes, as Python does).
	const json = JSON.stringify(value);
	return NON_ASCII.test(json)
		? json.replace(NON_ASCII_ALL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
		: json;
}

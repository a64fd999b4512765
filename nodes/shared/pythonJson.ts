/**
 * Serialises like Python's `json.dumps(value)` with its defaults (separators `", "` and `": "`,
 * `ensure_ascii=True`), so lines we write are byte-identical to those of the seed scripts and any
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
		case 'object': {
			if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
			if (value instanceof Date) return asciiJsonString(value.toISOString());
			const parts: string[] = [];
			for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
				if (entry === undefined || typeof entry === 'function') continue;
				parts.push(`${asciiJsonString(key)}: ${pythonJsonDumps(entry)}`);
			}
			return `{${parts.join(', ')}}`;
		}
		default:
			return 'null';
	}
}

function asciiJsonString(value: string): string {
	// JSON.stringify already escapes quotes, backslashes and control characters; ensure_ascii then
	// turns every non-ASCII UTF-16 unit into \uXXXX (surrogate pairs stay as two escapes, as Python does).
	return JSON.stringify(value).replace(
		/[\u007f-\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

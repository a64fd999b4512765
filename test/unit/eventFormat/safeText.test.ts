import {
	controlsToSpaces,
	displayText,
	escapeControls,
	escapeWithin,
	safeHttpUrl,
	singleLine,
	truncate,
} from '../../../nodes/EventFormat/presets/safeText';

describe('safe text', () => {
	it('truncates with a marker inside the limit and never splits a surrogate pair', () => {
		expect(truncate('abcdef', 6)).toBe('abcdef');
		expect(truncate('abcdef', 5)).toBe('abcd…');
		expect(truncate('ab😀cd', 4)).toBe('ab…');
		expect(truncate('ab😀cd', 5)).toBe('ab😀…');
		expect(truncate('abcdef', 1)).toBe('a');
		expect(truncate('x'.repeat(1_000_000), 10)).toHaveLength(10);
	});

	it('escapes then bounds without cutting inside an entity', () => {
		const escape = (char: string) => ({ '&': '&amp;', '<': '&lt;' })[char] ?? char;
		expect(escapeWithin('a&b', 10, escape)).toBe('a&amp;b');
		const cut = escapeWithin('a&&&&&&&&', 10, escape);
		expect(cut.length).toBeLessThanOrEqual(10);
		expect(cut).toBe('a&amp;…');
		expect(escapeWithin('<'.repeat(1_000_000), 3000, escape).length).toBeLessThanOrEqual(3000);
		expect(escapeWithin('😀😀😀', 5, (char) => char)).toBe('😀😀…');
	});

	it('shows control characters, bidi overrides and lone surrogates as U+FFFD, keeping line breaks and tabs', () => {
		expect(displayText('a\r\nb\rc\u2028d')).toBe('a\nb\nc\nd');
		expect(displayText('x\u0000\u001b[31m\u202Eevil\u202C\uD800y\tz')).toBe('x\uFFFD\uFFFD[31m\uFFFDevil\uFFFD\uFFFDy\tz');
		expect(singleLine('a\n\nb\tc')).toBe('a b c');
	});

	it('keeps a record on one line: every break escaped or replaced, tabs kept', () => {
		expect(escapeControls('a\r\nb\u0085c\u2028d\u0000e\tf')).toBe('a\\r\\nb\\u0085c\\u2028d\\u0000e\tf');
		expect(controlsToSpaces('a\r\nb\nc\u0007d\te')).toBe('a b c d\te');
		for (const text of [escapeControls('1\n2\r3\u2029'), controlsToSpaces('1\n2\r3\u2029')]) expect(text).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
	});

	it('accepts only absolute http(s) links without credentials or whitespace', () => {
		expect(safeHttpUrl('https://pce.example.com:8443/#/events/1')).toBe('https://pce.example.com:8443/#/events/1');
		for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'https://user:pw@host/', 'https://a b/', 'https://a/\nb', 'ftp://x/', '']) {
			expect(safeHttpUrl(bad)).toBeUndefined();
		}
		expect(safeHttpUrl(`https://x.example/${'a'.repeat(3000)}`)).toBeUndefined();
	});
});

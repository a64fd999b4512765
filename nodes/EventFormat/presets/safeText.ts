/**
 * Text helpers every preset uses so that event fields (which an appliance, or whoever writes into
 * it, controls) can neither break a channel's format nor exceed its documented limits.
 * Lengths are UTF-16 code units (JavaScript string length): never more than the characters a
 * channel counts, and a cut never splits a surrogate pair.
 */

/** The one truncation marker for channels that take Unicode. */
export const ELLIPSIS = '…';

// Lone surrogates are not text: JSON encoders, mail and SMS gateways reject or mangle them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 controls except tab and line breaks, DEL, C1 controls, and the bidirectional overrides that let
// text display in another order than it reads ("Trojan Source" spoofing).
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const INVISIBLE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;
/** Everything that can end a line or a record (CR, LF, NEL, U+2028/9) and every other control but tab. */
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const RECORD_BREAKING = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001F\u007F-\u009F]/;

/**
 * Text fit for display: line breaks normalised to \n, invisible controls and lone surrogates
 * replaced with U+FFFD (shown, so a reader sees something was there).
 */
export function displayText(value: string): string {
	return value.replace(LONE_SURROGATE, '\uFFFD').replace(LINE_BREAK, '\n').replace(INVISIBLE_CONTROL, '\uFFFD');
}

/** displayText on one line: line breaks and tabs become spaces (subjects, titles, headers). */
export function singleLine(value: string): string {
	return displayText(value).replace(/[\n\t]+/g, ' ');
}

/**
 * Every character that could end a record on a line-framed transport (CR, LF, NEL, U+2028/9) and
 * every other control except tab, written as a visible escape: \n, \r, or \u00XX.
 */
export function escapeControls(value: string): string {
	return value.replace(LONE_SURROGATE, '\uFFFD').replace(RECORD_BREAKING, (char) => {
		if (char === '\n') return '\\n';
		if (char === '\r') return '\\r';
		return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
	});
}

/** The same characters as escapeControls, each replaced with a space (CR LF counts once). */
export function controlsToSpaces(value: string): string {
	return value
		.replace(LONE_SURROGATE, '\uFFFD')
		.replace(/\r\n/g, ' ')
		.replace(RECORD_BREAKING, ' ');
}

/** The length of the longest prefix of at most `max` code units that does not split a surrogate pair. */
function safeCut(value: string, max: number): number {
	if (max <= 0) return 0;
	if (value.length <= max) return value.length;
	const code = value.charCodeAt(max - 1);
	return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/** At most `max` code units; a cut text ends with the marker (counted in the limit). */
export function truncate(value: string, max: number, marker = ELLIPSIS): string {
	if (value.length <= max) return value;
	if (max <= marker.length) return value.slice(0, safeCut(value, max));
	return value.slice(0, safeCut(value, max - marker.length)) + marker;
}

/**
 * Escapes then truncates, never cutting inside an escape (an entity such as `&amp;`): the result,
 * marker included, is at most `max` code units. Walks at most `max` characters of the input, so a
 * 1 MB field costs no more than a short one.
 */
export function escapeWithin(value: string, max: number, escape: (char: string) => string, marker = ELLIPSIS): string {
	let result = '';
	let index = 0;
	while (index < value.length) {
		const code = value.charCodeAt(index);
		const width = code >= 0xd800 && code <= 0xdbff && index + 1 < value.length ? 2 : 1;
		const piece = escape(value.slice(index, index + width));
		if (result.length + piece.length > max) break;
		result += piece;
		index += width;
	}
	if (index >= value.length) return result;
	// Cut: step back until the marker fits too, one escaped piece at a time.
	let kept = index;
	while (result.length + marker.length > max && kept > 0) {
		let start = kept - 1;
		const low = value.charCodeAt(start);
		if (low >= 0xdc00 && low <= 0xdfff && start > 0) start -= 1;
		result = result.slice(0, result.length - escape(value.slice(start, kept)).length);
		kept = start;
	}
	return result.length + marker.length <= max ? result + marker : result;
}

export function utf8Length(value: string): number {
	return Buffer.byteLength(value, 'utf8');
}

/**
 * A link a channel may render as clickable: absolute http(s) only (never javascript:, data: or a
 * relative path), without whitespace or controls, at most `maxLength` characters.
 */
export function safeHttpUrl(value: string | undefined, maxLength = 3000): string | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (trimmed.length > maxLength || WHITESPACE_OR_CONTROL.test(trimmed)) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(trimmed);
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
	if (parsed.username || parsed.password) return undefined;
	const href = parsed.href;
	return href.length <= maxLength ? href : undefined;
}

/** JSON of a value, pretty or compact, cut to at most `max` code units with a marker. */
export function boundedJson(value: unknown, max: number, pretty = false): string {
	let json: string;
	try {
		json = JSON.stringify(value, null, pretty ? 2 : undefined) ?? '';
	} catch {
		json = String(value);
	}
	return truncate(json, max);
}

/**
 * A light check of a vRNI search filter before it is sent. vRNI stays the judge of fields and values
 * (its 400 message is shown as is); this catches what is plainly broken, and the one thing the node
 * must own: the period. The node sends the window as `time_range`, so a filter that carries its own
 * `in last 24 hours` (as the VRNI SDK example does) would silently disagree with the Time Window.
 */

export type FilterCheck = { ok: true; filter: string } | { ok: false; message: string; fix: string };

const HOURS_PER_UNIT: Record<string, number> = { minute: 1 / 60, hour: 1, day: 24, week: 168 };
const TIME_SUFFIX = /\bin\s+last\s+(\d+(?:\.\d+)?)\s+(minute|hour|day|week)s?\s*$/i;

export function checkFilter(raw: string): FilterCheck {
	const filter = raw.trim();
	if (filter === '') return { ok: true, filter };
	const outside = stripQuoted(filter);
	if (outside === undefined) {
		return { ok: false, message: `The filter has an unclosed quote: ${filter}`, fix: "Close every quoted value, e.g. source_vm.name = 'web-01'." };
	}
	const suffix = TIME_SUFFIX.exec(outside);
	if (suffix) {
		const hours = (Number(suffix[1]) * HOURS_PER_UNIT[suffix[2].toLowerCase()]).toLocaleString('en-US', { maximumFractionDigits: 2 });
		return {
			ok: false,
			message: `The filter ends with "${suffix[0].trim()}", but the period comes from the Time Window`,
			fix: `Remove "${suffix[0].trim()}" from the filter and set Time Window to Last N Hours with ${hours} hours (or a calendar day for a daily job).`,
		};
	}
	let depth = 0;
	for (const char of outside) {
		if (char === '(') depth += 1;
		if (char === ')') depth -= 1;
		if (depth < 0) return { ok: false, message: `The filter closes a parenthesis it never opened: ${filter}`, fix: 'Balance the parentheses.' };
	}
	if (depth !== 0) return { ok: false, message: `The filter leaves ${depth} parenthesis${depth > 1 ? 'es' : ''} open: ${filter}`, fix: 'Balance the parentheses.' };
	if (/==/.test(outside)) return { ok: false, message: `The filter uses "==": ${filter}`, fix: 'vRNI compares with a single "=", e.g. port = 443.' };
	if (/^\s*(and|or)\b|\b(and|or|not)\s*$|(=|!=|<|>|<=|>=)\s*$/i.test(outside)) {
		return { ok: false, message: `The filter starts or ends in the middle of a condition: ${filter}`, fix: 'Complete the condition, e.g. "flow_tag = TAG_SRC_IP_VM or flow_tag = TAG_DST_IP_VM".' };
	}
	return { ok: true, filter };
}

/** The filter with quoted values blanked (so their contents cannot look like syntax), or undefined if a quote is left open. */
function stripQuoted(filter: string): string | undefined {
	let out = '';
	let quote: string | undefined;
	for (let i = 0; i < filter.length; i++) {
		const char = filter[i];
		if (quote) {
			if (char === '\\') i += 1;
			else if (char === quote) {
				quote = undefined;
				out += "''";
			}
			continue;
		}
		if (char === "'" || char === '"') quote = char;
		else out += char;
	}
	return quote ? undefined : out;
}

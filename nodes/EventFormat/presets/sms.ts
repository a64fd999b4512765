import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readEventSummary, type EventSummary } from '../summary';
import { channelOptions, severityLabel } from './channel';
import { safeHttpUrl, singleLine } from './safeText';

/**
 * GSM 03.38 (3GPP TS 23.038): the default alphabet (one septet each) and its extension table
 * (escape + character, two septets). A text of these alone travels as GSM-7: 160 septets in one
 * SMS, 153 per part when concatenated. Anything else forces UCS-2: 70 UTF-16 units, 67 per part.
 */
const GSM_BASIC = new Set(
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export const SMS_LIMITS = {
	gsm7: { single: 160, part: 153 },
	ucs2: { single: 70, part: 67 },
	maxParts: 10,
} as const;

/** Septets a GSM-7 text takes, or undefined when it holds a character GSM-7 lacks. */
export function gsm7Length(text: string): number | undefined {
	let septets = 0;
	for (const char of text) {
		if (GSM_BASIC.has(char)) septets += 1;
		else if (GSM_EXTENDED.has(char)) septets += 2;
		else return undefined;
	}
	return septets;
}

/** Common typography with a GSM-7 equivalent; anything else without one becomes "?". */
const GSM_FALLBACKS: Record<string, string> = {
	'‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '−': '-', '…': '...',
	'\u00A0': ' ', '\t': ' ', '→': '->', '←': '<-', '·': '.', '•': '*', '`': "'",
};

function gsm7Fallback(char: string): string {
	const mapped = GSM_FALLBACKS[char];
	if (mapped !== undefined) return mapped;
	const withoutAccents = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
	return withoutAccents !== '' && gsm7Length(withoutAccents) !== undefined ? withoutAccents : '?';
}

/** Typography (quotes, dashes, arrows, ellipsis) written with GSM-7 look-alikes; other characters kept. */
export function gsm7Typography(text: string): string {
	let result = '';
	for (const char of text) result += GSM_FALLBACKS[char] ?? char;
	return result;
}

/** The text in GSM-7 characters only: known typography mapped, accents dropped, the rest "?". */
export function toGsm7(text: string): string {
	let result = '';
	for (const char of text) result += GSM_BASIC.has(char) || GSM_EXTENDED.has(char) ? char : gsm7Fallback(char);
	return result;
}

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsCapacity {
	encoding: SmsEncoding;
	/** septets (GSM-7) or UTF-16 units (UCS-2) available */
	units: number;
}

export function smsCapacity(encoding: SmsEncoding, parts: number): SmsCapacity {
	const limits = SMS_LIMITS[encoding];
	return { encoding, units: parts <= 1 ? limits.single : limits.part * parts };
}

function unitsOf(text: string, encoding: SmsEncoding): number {
	return encoding === 'gsm7' ? (gsm7Length(text) ?? Number.POSITIVE_INFINITY) : text.length;
}

/** Cuts to `units`, ending with the marker when cut, never splitting an escape pair or a surrogate pair. */
export function truncateSms(text: string, units: number, encoding: SmsEncoding): string {
	if (unitsOf(text, encoding) <= units) return text;
	const marker = encoding === 'gsm7' ? '...' : '…';
	const budget = units - unitsOf(marker, encoding);
	let used = 0;
	let kept = '';
	for (const char of text) {
		const cost = unitsOf(char, encoding);
		if (used + cost > budget) break;
		used += cost;
		kept += char;
	}
	return kept + marker;
}

export const description = channelOptions('smsOptions', 'sms', [
	{
		displayName: 'Encoding',
		name: 'encoding',
		type: 'options',
		options: [
			{ name: 'Automatic', value: 'auto', description: 'GSM-7 (160 characters) when every character has a GSM-7 code, else UCS-2 (70)' },
			{ name: 'GSM-7 Only', value: 'gsm7', description: 'Replace characters GSM-7 lacks (accents dropped, others "?") to keep 160 characters' },
		],
		default: 'auto',
	},
	{
		displayName: 'Include Link',
		name: 'includeLink',
		type: 'boolean',
		default: true,
		description: 'Whether to end the text with the event link when one is known and it fits',
	},
	{
		displayName: 'Parts',
		name: 'parts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: SMS_LIMITS.maxParts },
		default: 1,
		description: 'How many SMS the text may take: 1 is 160 GSM-7 or 70 UCS-2 characters; each part beyond holds 153 or 67',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		placeholder: '={{ $json.event_type }} on {{ $json.pce_fqdn }}',
		description: 'The text to send, before the link; empty means "SEVERITY title: message"',
	},
]);

export interface SmsOptions {
	encoding?: 'auto' | 'gsm7';
	includeLink?: boolean;
	parts?: number;
	text?: string;
}

/** Shortest room left for the text before a link is dropped instead. */
const MIN_TEXT_BESIDE_LINK = 40;

/** One SMS text (or `parts` of them) for AWS SNS or Twilio, cut with a marker to fit. */
export function buildSms(summary: EventSummary, options: SmsOptions = {}): string {
	const parts = Math.min(Math.max(Math.trunc(options.parts ?? 1), 1), SMS_LIMITS.maxParts);
	const title = singleLine(summary.title);
	const message = singleLine(summary.message);
	// Many vendors' messages already start with what the title says; say it once.
	const auto = `${severityLabel(summary)} ${message.startsWith(title) ? message : `${title}: ${message}`}`;
	// Typography (our own arrows included) costs no UCS-2 switch: 160 characters, not 70.
	let body = gsm7Typography(singleLine(options.text || auto).replace(/\s+/g, ' ').trim());
	let link = options.includeLink === false ? undefined : safeHttpUrl(summary.link, 500);
	if (options.encoding === 'gsm7') {
		body = toGsm7(body);
		if (link) link = gsm7Length(link) === undefined ? undefined : link;
	}
	const encoding: SmsEncoding = gsm7Length(body + (link ?? '')) === undefined ? 'ucs2' : 'gsm7';
	const capacity = smsCapacity(encoding, parts);
	if (link) {
		const linkUnits = unitsOf(`\n${link}`, encoding);
		if (capacity.units - linkUnits >= MIN_TEXT_BESIDE_LINK) return `${truncateSms(body, capacity.units - linkUnits, encoding)}\n${link}`;
	}
	return truncateSms(body, capacity.units, encoding);
}

export function format(this: IExecuteFunctions, itemIndex: number, item: IDataObject): string {
	const options = this.getNodeParameter('smsOptions', itemIndex, {}) as SmsOptions;
	return buildSms(readEventSummary(this, itemIndex, item), options);
}

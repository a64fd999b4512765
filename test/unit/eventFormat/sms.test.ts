import { buildSms, gsm7Length, SMS_LIMITS, toGsm7, truncateSms } from '../../../nodes/EventFormat/presets/sms';
import { summarizeEvent } from '../../../nodes/EventFormat/summary';
import { controlCharacters, formatWith } from './context';
import { ALL_SAMPLES, HOSTILE_ILLUMIO_EVENT, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, ONE_MEGABYTE, VELOCLOUD_EVENT } from './samples';

/** The encoding a phone network would use, and what the text costs in it. */
function cost(text: string): { encoding: 'gsm7' | 'ucs2'; units: number } {
	const septets = gsm7Length(text);
	return septets === undefined ? { encoding: 'ucs2', units: text.length } : { encoding: 'gsm7', units: septets };
}

describe('SMS', () => {
	it('counts GSM-7 septets (extension characters twice) and refuses what GSM-7 lacks', () => {
		expect(gsm7Length('Zürich @ £5')).toBe(11);
		expect(gsm7Length('{x}€')).toBe(7);
		expect(gsm7Length('東京')).toBeUndefined();
		// Accents go (ó → o); a letter with no GSM-7 base (Ł) and CJK become "?".
		expect(toGsm7('“Łódź” – 東京…')).toBe('"?odz" - ??...');
	});

	it('cuts to 160 GSM-7 septets or 70 UCS-2 units with a marker, never halving an escape or a surrogate pair', () => {
		const gsm = truncateSms('€'.repeat(100), 160, 'gsm7');
		expect(gsm7Length(gsm)).toBeLessThanOrEqual(160);
		expect(gsm.endsWith('...')).toBe(true);
		const ucs = truncateSms('😀'.repeat(100), 70, 'ucs2');
		expect(ucs.length).toBeLessThanOrEqual(70);
		expect(ucs.endsWith('😀…')).toBe(true);
	});

	it('says what happened in one SMS and ends with the link to the event', () => {
		expect(formatWith('sms', ILLUMIO_EVENT)).toBe(
			'WARNING user.login failed by amelia.hart@example.com from 10.1.2.3.\nhttps://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001',
		);
		expect(formatWith('sms', VELOCLOUD_EVENT)).toBe('NOTICE VPN_DATACENTER_STATUS on Zürich-Edge-02: Tunnel to [Azure-SIN] - "IKE" a=b | c\\d retrying');
	});

	it('fits every vendor and hostile or 1 MB fields in the parts allowed', () => {
		const items = [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT, { ...VELOCLOUD_EVENT, message: ONE_MEGABYTE }, { ...VELOCLOUD_EVENT, message: '東京'.repeat(500) }, ...Object.values(ALL_SAMPLES)];
		for (const parts of [1, 3]) {
			for (const item of items) {
				const text = String(formatWith('sms', item, { smsOptions: { parts } }));
				const { encoding, units } = cost(text);
				const limit = SMS_LIMITS[encoding];
				expect(units).toBeLessThanOrEqual(parts === 1 ? limit.single : limit.part * parts);
				expect(controlCharacters(text, '\n')).toEqual([]);
			}
		}
		const cut = String(formatWith('sms', { ...VELOCLOUD_EVENT, message: ONE_MEGABYTE }));
		expect(cut.endsWith('...')).toBe(true);
		expect(gsm7Length(cut)).toBe(160);
	});

	it('keeps 160 characters for text with typography, and can force GSM-7', () => {
		const summary = summarizeEvent({ ...VELOCLOUD_EVENT, message: `“quoted” – ${'x'.repeat(300)}` });
		expect(cost(buildSms(summary))).toEqual({ encoding: 'gsm7', units: 160 });
		const japanese = summarizeEvent({ ...VELOCLOUD_EVENT, message: `東京 ${'x'.repeat(300)}` });
		expect(cost(buildSms(japanese))).toEqual({ encoding: 'ucs2', units: 70 });
		expect(cost(buildSms(japanese, { encoding: 'gsm7' }))).toEqual({ encoding: 'gsm7', units: 160 });
	});

	it('takes the user’s text, and drops the link rather than the text when both cannot fit', () => {
		const summary = summarizeEvent(ILLUMIO_EVENT, { applianceUrl: `https://pce.example.com/${'p'.repeat(140)}` });
		expect(buildSms(summary, { text: 'Login failed' })).toBe('Login failed');
		expect(buildSms(summarizeEvent(ILLUMIO_EVENT), { text: 'Login failed', includeLink: false })).toBe('Login failed');
	});
});

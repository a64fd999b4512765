import type { IDataObject } from 'n8n-workflow';

import { EMAIL_LIMITS } from '../../../nodes/EventFormat/presets/email';
import { controlCharacters, formatWith } from './context';
import { ALL_SAMPLES, HOSTILE_ILLUMIO_EVENT, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, ONE_MEGABYTE, VELOCLOUD_EVENT } from './samples';

describe('email', () => {
	it('gives subject, HTML and plain-text bodies with the facts, the link and the event', () => {
		const email = formatWith('email', ILLUMIO_EVENT, { emailOptions: { subjectPrefix: '[SOC]' } }) as IDataObject;
		expect(email.subject).toBe('[SOC] [WARNING] user.login failed by amelia.hart@example.com');
		expect(email.html).toContain('<a href="https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001">View the event in Core PCE</a>');
		expect(email.html).toContain('<th align="left" valign="top" style="padding:4px 12px 4px 0;color:#57606a;font-weight:600">Source IP</th><td style="padding:4px 0">10.1.2.3</td>');
		expect(email.text).toBe(
			[
				'user.login failed by amelia.hart@example.com',
				'WARNING · Illumio Core PCE · 2026-11-29T10:15:00.123Z',
				'',
				'user.login failed by amelia.hart@example.com from 10.1.2.3.',
				'',
				'Severity: WARNING',
				'Time: 2026-11-29T10:15:00.123Z',
				'Event type: user.login',
				'Who: amelia.hart@example.com',
				'Where: pce.example.com',
				'Status: failure',
				'Source IP: 10.1.2.3',
				'API call: GET /api/v2/users/login → 401',
				'',
				'View the event in Core PCE: https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001',
				'',
				'Event:',
				JSON.stringify(ILLUMIO_EVENT, null, 2),
			].join('\n'),
		);
		const bare = formatWith('email', VELOCLOUD_EVENT, { emailOptions: { includeEventJson: false } }) as IDataObject;
		expect(bare.html).not.toContain('<pre');
		expect(bare.html).not.toContain('<a href');
	});

	it('keeps the subject on one line and escapes every event value in the HTML', () => {
		const email = formatWith('email', HOSTILE_VCO_EVENT) as IDataObject;
		expect(email.subject).not.toMatch(/[\r\n]/);
		expect(String(email.subject).length).toBeLessThanOrEqual(EMAIL_LIMITS.subject);
		expect(email.html).not.toContain('<script>');
		expect(email.html).not.toContain('<img');
		expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
		// The only tags are the template's own.
		const tags = new Set(String(email.html).match(/<\/?[a-zA-Z!][^\s>/]*/g)?.map((tag) => tag.replace('/', '').toLowerCase()));
		expect([...tags].sort()).toEqual(['<!doctype', '<body', '<div', '<h2', '<head', '<html', '<meta', '<p', '<pre', '<table', '<td', '<th', '<tr'].sort());
		expect(controlCharacters(String(email.text), '\n\t')).toEqual([]);
	});

	it('refuses a javascript: link and a link attribute break-out', () => {
		for (const link of ['javascript:alert(1)', 'https://x.example/" onmouseover="alert(1)']) {
			const email = formatWith('email', VELOCLOUD_EVENT, { eventFields: { link } }) as IDataObject;
			expect(email.html).not.toContain('javascript:');
			expect(email.html).not.toContain('" onmouseover');
		}
	});

	it('stays bounded for 1 MB fields and for every vendor', () => {
		for (const item of [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT, { ...VELOCLOUD_EVENT, message: ONE_MEGABYTE }, ...Object.values(ALL_SAMPLES)]) {
			const email = formatWith('email', item) as IDataObject;
			expect(String(email.subject).length).toBeLessThanOrEqual(EMAIL_LIMITS.subject);
			expect(String(email.text).length).toBeLessThan(200_000);
			expect(String(email.html).length).toBeLessThan(600_000);
		}
	});
});

import type { IDataObject } from 'n8n-workflow';

import { controlCharacters, formatWith } from './context';
import { ALL_SAMPLES, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, SMC_ALERT_RECORD } from './samples';

/** The documented envelope: these keys, in this order, always present (README, Event Format › Webhook JSON). */
const ENVELOPE_KEYS = [
	'schema', 'schemaVersion', 'vendor', 'product', 'eventType', 'id', 'time', 'severity', 'severityCode', 'severityText',
	'title', 'summary', 'who', 'where', 'sourceAddress', 'destinationAddress', 'link', 'facts', 'event',
];

describe('webhook envelope', () => {
	it('has the documented keys for every vendor, null where the event does not say', () => {
		for (const item of Object.values(ALL_SAMPLES)) expect(Object.keys(formatWith('webhook', item) as IDataObject)).toEqual(ENVELOPE_KEYS);
		expect(formatWith('webhook', ILLUMIO_EVENT)).toEqual({
			schema: 'n8n-nodes-netsec-events/event',
			schemaVersion: 1,
			vendor: 'Illumio',
			product: 'Core PCE',
			eventType: 'user.login',
			id: '4f1a2c3d-0000-4000-8000-000000000001',
			time: '2026-11-29T10:15:00.123Z',
			severity: 'warning',
			severityCode: 4,
			severityText: 'warning',
			title: 'user.login failed by amelia.hart@example.com',
			summary: 'user.login failed by amelia.hart@example.com from 10.1.2.3.',
			who: 'amelia.hart@example.com',
			where: 'pce.example.com',
			sourceAddress: '10.1.2.3',
			destinationAddress: null,
			link: 'https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001',
			facts: [
				{ label: 'Status', value: 'failure' },
				{ label: 'Created by', value: 'amelia.hart@example.com' },
				{ label: 'Source IP', value: '10.1.2.3' },
				{ label: 'API call', value: 'GET /api/v2/users/login → 401' },
				{ label: 'PCE', value: 'pce.example.com' },
			],
			event: ILLUMIO_EVENT,
		});
	});

	it('puts every vendor on the syslog scale and can leave the original event out', () => {
		expect(formatWith('webhook', SMC_ALERT_RECORD)).toMatchObject({ severity: 'error', severityCode: 3, severityText: 'High' });
		expect((formatWith('webhook', ILLUMIO_EVENT, { webhookOptions: { includeEvent: false } }) as IDataObject).event).toBeNull();
	});

	it('carries text without control characters and the original event untouched', () => {
		const envelope = formatWith('webhook', HOSTILE_VCO_EVENT) as IDataObject;
		expect(String(envelope.title)).not.toMatch(/[\r\n]/);
		expect(controlCharacters(String(envelope.summary), '\n\t')).toEqual([]);
		expect(String(envelope.summary)).not.toContain('\u202e');
		expect(envelope.event).toBe(HOSTILE_VCO_EVENT);
	});
});

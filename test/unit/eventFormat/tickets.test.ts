import type { IDataObject } from 'n8n-workflow';

import { JIRA_LIMITS } from '../../../nodes/EventFormat/presets/jira';
import { SERVICENOW_LIMITS } from '../../../nodes/EventFormat/presets/serviceNow';
import { formatWith } from './context';
import { ALL_SAMPLES, HOSTILE_ILLUMIO_EVENT, HOSTILE_VCO_EVENT, ILLUMIO_EVENT, ONE_MEGABYTE, SMC_ALERT_RECORD, VELOCLOUD_EVENT } from './samples';

describe('Jira issue', () => {
	it('gives summary, wiki-markup description, labels and priority from the severity', () => {
		const issue = formatWith('jira', ILLUMIO_EVENT, { jiraOptions: { extraLabels: 'soc, net sec' } }) as IDataObject;
		expect(issue.summary).toBe('[WARNING] user.login failed by amelia.hart@example.com');
		expect(issue.priority).toBe('Medium');
		expect(issue.labels).toEqual(['Illumio', 'Core_PCE', 'user.login', 'warning', 'soc', 'net_sec']);
		expect(issue.description).toContain('||Source IP|10.1.2.3|');
		expect(issue.description).toContain('[View the event|https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001]');
		expect(issue.description).toContain('{noformat}\nuser.login failed by amelia.hart@example.com from 10.1.2.3.\n{noformat}');
		expect((formatWith('jira', SMC_ALERT_RECORD) as IDataObject).priority).toBe('High');
		expect((formatWith('jira', { ...VELOCLOUD_EVENT, severity: 'EMERGENCY' }) as IDataObject).priority).toBe('Highest');
		expect((formatWith('jira', { ...VELOCLOUD_EVENT, severity: 'DEBUG' }) as IDataObject).priority).toBe('Lowest');
	});

	it('keeps event text out of markup: escaped in tables, inside noformat otherwise, and within Jira’s limits', () => {
		for (const item of [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT, { ...VELOCLOUD_EVENT, message: ONE_MEGABYTE }, ...Object.values(ALL_SAMPLES)]) {
			const issue = formatWith('jira', item) as IDataObject;
			expect(String(issue.summary)).not.toMatch(/[\r\n]/);
			expect(String(issue.summary).length).toBeLessThanOrEqual(JIRA_LIMITS.summary);
			expect(String(issue.description).length).toBeLessThanOrEqual(JIRA_LIMITS.description);
			for (const label of issue.labels as string[]) {
				expect(label).not.toMatch(/\s/);
				expect(label.length).toBeLessThanOrEqual(JIRA_LIMITS.label);
			}
		}
		const description = String((formatWith('jira', HOSTILE_VCO_EVENT) as IDataObject).description);
		// Only our own noformat blocks open and close: the event's "{noformat}" cannot end one early.
		expect(description.match(/\{noformat\}/g)).toHaveLength(4);
		expect(description).toContain('{ noformat}{color:red}x{color}|cell|');
		expect(description).toContain('||Where|edge forged EEEE');
	});
});

describe('ServiceNow incident', () => {
	it('gives short description, description, urgency, impact and a correlation ID', () => {
		const incident = formatWith('serviceNow', ILLUMIO_EVENT) as IDataObject;
		expect(incident).toMatchObject({
			short_description: '[WARNING] user.login failed by amelia.hart@example.com',
			urgency: '2',
			impact: '2',
			correlation_id: 'Illumio Core PCE:user.login:4f1a2c3d-0000-4000-8000-000000000001',
		});
		expect(String(incident.description).split('\n').slice(0, 4)).toEqual([
			'user.login failed by amelia.hart@example.com from 10.1.2.3.',
			'',
			'Severity: WARNING',
			'Time: 2026-11-29T10:15:00.123Z',
		]);
		expect(formatWith('serviceNow', SMC_ALERT_RECORD)).toMatchObject({ urgency: '1', impact: '1' });
		expect(formatWith('serviceNow', { ...VELOCLOUD_EVENT, severity: 'INFO' })).toMatchObject({ urgency: '3', impact: '3' });
	});

	it('stays within the incident table’s column sizes', () => {
		for (const item of [HOSTILE_VCO_EVENT, HOSTILE_ILLUMIO_EVENT, { ...VELOCLOUD_EVENT, message: ONE_MEGABYTE, id: ONE_MEGABYTE }, ...Object.values(ALL_SAMPLES)]) {
			const incident = formatWith('serviceNow', item) as IDataObject;
			expect(String(incident.short_description)).not.toMatch(/[\r\n]/);
			expect(String(incident.short_description).length).toBeLessThanOrEqual(SERVICENOW_LIMITS.shortDescription);
			expect(String(incident.description).length).toBeLessThanOrEqual(SERVICENOW_LIMITS.description);
			if (incident.correlation_id) expect(String(incident.correlation_id).length).toBeLessThanOrEqual(SERVICENOW_LIMITS.correlationId);
		}
	});
});

import { applyOverrides, summarizeEvent } from '../../../nodes/EventFormat/summary';
import { MAX_VALUE_LENGTH } from '../../../nodes/EventFormat/summary/read';
import {
	GENERIC_EVENT,
	HOSTILE_ILLUMIO_EVENT,
	HOSTILE_VCO_EVENT,
	ILLUMIO_AGENT_EVENT,
	ILLUMIO_EVENT,
	SMC_ALERT_RECORD,
	SMC_ELEMENT_CHANGE,
	SMC_PRETTY_RECORD,
	VELOCLOUD_EVENT,
	VRNI_FLOW_RESULT,
} from './samples';

describe('event summary: one reading of every vendor’s items', () => {
	it('reads a VCO event: type, message, edge, enterprise, severity, time', () => {
		const summary = summarizeEvent(VELOCLOUD_EVENT);
		expect(summary).toMatchObject({
			shape: 'velocloud',
			vendor: 'VMware',
			product: 'VeloCloud Orchestrator',
			eventType: 'VPN_DATACENTER_STATUS',
			title: 'VPN_DATACENTER_STATUS on Zürich-Edge-02',
			message: VELOCLOUD_EVENT.message,
			where: 'Zürich-Edge-02',
			device: 'Zürich-Edge-02',
			severity: { code: 5, name: 'notice' },
			id: '2913202',
		});
		expect(summary.who).toBeUndefined();
		expect(summary.time?.toISOString()).toBe('2021-10-23T06:48:57.000Z');
		expect(summary.facts).toContainEqual({ label: 'Enterprise', value: 'Zürich Retail AG' });
		// VCO events carry no link; the orchestrator's address is the node's to give.
		expect(summary.link).toBeUndefined();
		expect(summarizeEvent(VELOCLOUD_EVENT, { applianceUrl: 'https://vco.example.com' }).link).toBe('https://vco.example.com');
	});

	it('reads an Illumio event: creator, outcome, source IP and a link to the event in the PCE UI', () => {
		const summary = summarizeEvent(ILLUMIO_EVENT);
		expect(summary).toMatchObject({
			shape: 'illumio',
			vendor: 'Illumio',
			eventType: 'user.login',
			title: 'user.login failed by amelia.hart@example.com',
			message: 'user.login failed by amelia.hart@example.com from 10.1.2.3.',
			who: 'amelia.hart@example.com',
			sourceAddress: '10.1.2.3',
			severity: { code: 4, name: 'warning' },
			link: 'https://pce.example.com:8443/#/events/4f1a2c3d-0000-4000-8000-000000000001',
			id: '4f1a2c3d-0000-4000-8000-000000000001',
		});
		expect(summarizeEvent(ILLUMIO_EVENT, { applianceUrl: 'https://scp.illum.io/' }).link).toBe(
			'https://scp.illum.io/#/events/4f1a2c3d-0000-4000-8000-000000000001',
		);
		const agent = summarizeEvent(ILLUMIO_AGENT_EVENT);
		expect(agent.who).toBe('agent web-prod-02');
		expect(agent.where).toBe('web-prod-02');
		expect(agent.message).toBe(
			'workload.update succeeded by agent web-prod-02.\nChanges: update workload web-prod-02 (labels)\nNotifications: agent.firewall_tampered',
		);
		// A FILTERED source address is no address.
		expect(agent.sourceAddress).toBeUndefined();
		expect(agent.facts.map((fact) => fact.label)).not.toContain('Source IP');
	});

	it('reads SMC records in "name" and "pretty" field formats, with the SMC alert severity scale', () => {
		const alert = summarizeEvent(SMC_ALERT_RECORD);
		expect(alert).toMatchObject({
			shape: 'forcepointSmcLog',
			vendor: 'Forcepoint',
			eventType: 'SSH_Brute-Force-Attempt',
			title: 'SSH_Brute-Force-Attempt from 203.0.113.9 to 10.10.4.20',
			where: 'Helsinki Cluster node 1',
			sourceAddress: '203.0.113.9',
			destinationAddress: '10.10.4.20',
			severity: { code: 3, name: 'error' },
			severityText: 'High',
			severityField: 'AlertSeverity',
			id: '1042',
		});
		expect(alert.time?.toISOString()).toBe('2026-11-29T10:20:00.000Z');
		const pretty = summarizeEvent(SMC_PRETTY_RECORD);
		expect(pretty).toMatchObject({ shape: 'forcepointSmcLog', eventType: 'New connection', where: 'Plano FW node 1', destinationAddress: '198.51.100.7' });
		expect(pretty.time?.toISOString()).toBe('2026-11-29T10:21:00.000Z');
		// Detailed formats carry the numbers: 10 critical, 5 high, 3 low, 1 info.
		const byNumber = (value: number) => summarizeEvent({ ...SMC_ALERT_RECORD, AlertSeverity: value }).severity?.name;
		expect([byNumber(10), byNumber(5), byNumber(3), byNumber(1)]).toEqual(['critical', 'error', 'notice', 'info']);
	});

	it('reads SMC element changes, bare or wrapped as the websocket sends them', () => {
		const summary = summarizeEvent(SMC_ELEMENT_CHANGE);
		expect(summary).toMatchObject({ shape: 'forcepointSmcElement', eventType: 'host.delete', title: 'host 1732 deleted', severity: { name: 'notice' } });
		const wrapped = summarizeEvent({ event: { type: 'create', element: 'https://smc:8082/7.1/elements/network/12' }, subscription_id: 0 });
		expect(wrapped).toMatchObject({ eventType: 'network.create', title: 'network 12 created', severity: { name: 'info' } });
	});

	it('reads vRNI flows: endpoints by VM name and address, blocked flows as warnings, epoch-second times', () => {
		const summary = summarizeEvent(VRNI_FLOW_RESULT);
		expect(summary).toMatchObject({
			shape: 'networkInsightFlow',
			eventType: 'flow.deny',
			who: 'app-vm-07 (10.197.53.40)',
			where: 'db-vm-01 (10.197.53.38)',
			sourceAddress: '10.197.53.40',
			severity: { code: 4, name: 'warning' },
		});
		expect(summary.time?.toISOString()).toBe(new Date(1764411600 * 1000).toISOString());
		const allowed = summarizeEvent({ ...(VRNI_FLOW_RESULT.entity as object), firewall_action: 'ALLOW' });
		expect(allowed).toMatchObject({ shape: 'networkInsightFlow', eventType: 'flow.allow', severity: { name: 'info' } });
	});

	it('reads anything else by common field names, and never invents a severity', () => {
		expect(summarizeEvent(GENERIC_EVENT)).toMatchObject({
			shape: 'generic',
			vendor: '',
			eventType: 'bgp.peer_down',
			title: 'bgp.peer_down on router-1',
			message: 'BGP peer 192.0.2.1 down',
			severity: { code: 3, name: 'error' },
			severityField: 'level',
		});
		const bare = summarizeEvent({ a: 1 });
		expect(bare).toMatchObject({ eventType: 'event', message: '{"a":1}' });
		expect(bare.severity).toBeUndefined();
		expect(bare.severityText).toBeUndefined();
		const unknown = summarizeEvent({ ...VELOCLOUD_EVENT, severity: 'SEVERE' });
		expect(unknown.severity).toBeUndefined();
		expect(unknown.severityText).toBe('SEVERE');
	});

	it('bounds every value it reads, however large the field, and lists only a few of many changes', () => {
		const vco = summarizeEvent(HOSTILE_VCO_EVENT);
		for (const fact of vco.facts) expect(fact.value.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH + 1);
		const illumio = summarizeEvent(HOSTILE_ILLUMIO_EVENT);
		expect(illumio.message).toContain('and 4995 more');
		expect(illumio.message.length).toBeLessThan(10 * MAX_VALUE_LENGTH);
		// A PCE name that is not a host name makes no link.
		expect(illumio.link).toBeUndefined();
	});

	it('takes the user’s values over the event’s, and refuses a severity or time nothing can read', () => {
		const base = summarizeEvent(VELOCLOUD_EVENT);
		const { summary } = applyOverrides(base, { title: 'Custom', severity: 'crit', time: '1700000000', who: 'ops', link: 'https://x.example/1' });
		expect(summary).toMatchObject({ title: 'Custom', severity: { code: 2, name: 'critical' }, who: 'ops', link: 'https://x.example/1' });
		expect(summary.time?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
		expect(applyOverrides(base, { title: '  ' }).summary.title).toBe(base.title);
		expect(applyOverrides(base, { severity: 'SEVERE' }).problem).toBe('"SEVERE" in Event Fields › Severity is not a severity');
		expect(applyOverrides(base, { time: 'yesterday' }).problem).toBe('"yesterday" in Event Fields › Time is not a date');
	});
});

import { forcepointSmcRecord } from '../../../nodes/LogInsight/presets/forcepointSmc';
import { illumioEvent } from '../../../nodes/LogInsight/presets/illumio';
import { veloCloudEvent } from '../../../nodes/LogInsight/presets/veloCloud';

describe('Log Insight presets for VCO events, Illumio events and SMC records', () => {
	it('VCO event: line, eventTime, vco_* fields', () => {
		const result = veloCloudEvent({
			id: 82716379,
			eventTime: '2026-11-29T10:00:00.000Z',
			event: 'LINK_DEAD',
			category: 'NETWORK',
			severity: 'ERROR',
			message: 'Link GE3 is no longer alive',
			detail: '{"logicalId":"x"}',
			enterpriseUsername: null,
			edgeName: 'Edge-SIN-01',
			segmentName: null,
			enterpriseId: 4,
			enterpriseName: 'Acme',
		});
		expect(result).toEqual({
			ok: true,
			event: {
				text: 'VCO-Event: 2026-11-29T10:00:00.000Z ERROR LINK_DEAD Edge-SIN-01 Link GE3 is no longer alive',
				timestamp: '2026-11-29T10:00:00.000Z',
				fields: [
					{ name: 'vco_event', content: 'LINK_DEAD' },
					{ name: 'vco_category', content: 'NETWORK' },
					{ name: 'vco_severity', content: 'ERROR' },
					{ name: 'vco_edge_name', content: 'Edge-SIN-01' },
					{ name: 'vco_enterprise_name', content: 'Acme' },
					{ name: 'vco_enterprise_id', content: '4' },
					{ name: 'vco_event_id', content: '82716379' },
					{ name: 'vco_detail', content: '{"logicalId":"x"}' },
				],
			},
		});
		const noEdge = veloCloudEvent({ eventTime: '2026-11-29T10:00:00Z', event: 'USER_LOGIN', severity: 'INFO', message: '' });
		expect(noEdge.ok && noEdge.event.text).toBe('VCO-Event: 2026-11-29T10:00:00Z INFO USER_LOGIN -');
	});

	it('Illumio event: line with the actor, timestamp, illumio_* fields', () => {
		const result = illumioEvent({
			href: '/orgs/1/events/8f0b',
			timestamp: '2026-11-29T10:00:00.268Z',
			pce_fqdn: 'pce.example',
			event_type: 'user.login',
			status: 'failure',
			severity: 'warning',
			created_by: { user: { href: '/users/9', username: 'alice@example.com' } },
			action: { api_endpoint: '/api/v2/login', api_method: 'POST', http_status_code: 401, src_ip: '10.0.0.9' },
		});
		expect(result.ok && result.event.text).toBe('Illumio-Event: 2026-11-29T10:00:00.268Z warning user.login failure by user alice@example.com on pce.example');
		expect(result.ok && result.event.timestamp).toBe('2026-11-29T10:00:00.268Z');
		expect(result.ok && result.event.fields.map((field) => field.name)).toEqual([
			'illumio_event_type', 'illumio_severity', 'illumio_status', 'illumio_pce_fqdn', 'illumio_href', 'illumio_created_by',
			'illumio_src_ip', 'illumio_api_method', 'illumio_api_endpoint', 'illumio_http_status_code',
		]);
		const system = illumioEvent({ timestamp: '2026-11-29T10:00:00Z', event_type: 'system_task.expire_service_account_api_keys', created_by: { system: {} } });
		expect(system.ok && system.event.text).toBe('Illumio-Event: 2026-11-29T10:00:00Z - system_task.expire_service_account_api_keys - by system on -');
	});

	it('SMC record: key=value line in the record\'s order, Timestamp read as UTC, smc_* fields with safe names', () => {
		const result = forcepointSmcRecord({ Timestamp: '2026-11-29 10:00:05', 'Src Addrs': '10.1.1.1', 'Dst Port': 443, Action: 'Discard', Situation: { id: 1 } });
		expect(result).toEqual({
			ok: true,
			event: {
				text: 'SMC-Record: Timestamp=2026-11-29 10:00:05 Src Addrs=10.1.1.1 Dst Port=443 Action=Discard',
				timestamp: '2026-11-29T10:00:05',
				fields: [
					{ name: 'smc_Timestamp', content: '2026-11-29 10:00:05' },
					{ name: 'smc_Src_Addrs', content: '10.1.1.1' },
					{ name: 'smc_Dst_Port', content: '443' },
					{ name: 'smc_Action', content: 'Discard' },
				],
			},
		});
		expect(forcepointSmcRecord({ Src: '10.1.1.1' })).toMatchObject({ ok: true, event: { timestamp: undefined } });
	});

	describe('bad input: a per-item error that names the fix', () => {
		it.each([
			['a non-VCO item for the VCO preset', () => veloCloudEvent({ foo: 1 }), /not a VeloCloud event/, /VeloCloud/],
			['a non-Illumio item for the Illumio preset', () => illumioEvent({ eventTime: 'x', event: 'y' }), /not an Illumio event/, /Illumio/],
			['an empty item for the SMC preset', () => forcepointSmcRecord({ nested: { a: 1 } }), /no values/, /Forcepoint SMC/],
		])('%s', (_label, run, message, fix) => {
			const result = run();
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.message).toMatch(message);
				expect(result.fix).toMatch(fix);
			}
		});
	});
});

import nock from 'nock';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { httpSendFromN8n } from '../../../nodes/shared/transport/http';
import { execute as getEdges } from '../../../nodes/VeloCloud/actions/edge/getMany.operation';
import { eventFilterPredicate, eventFilterRules } from '../../../nodes/VeloCloud/eventFilters';
import { VeloCloudClient } from '../../../nodes/VeloCloud/transport';
import { n8nHttpRequest } from '../../support/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';

useNockWithLoopback();

describe('VeloCloud event filters', () => {
	it('sends what VCO can filter as rules: names, exclusions, segments, severities and a minimum severity', () => {
		expect(
			eventFilterRules({
				eventNames: 'LINK_DEAD, EDGE_DOWN',
				edgeNames: 'Edge-1',
				excludeEventNames: 'USER_LOGIN',
				excludeEdgeNames: 'Edge-LAB, Edge-TEST',
				segmentNames: 'Global Segment',
				minimumSeverity: 'ERROR',
				messageContains: 'down',
			}),
		).toEqual([
			{ field: 'event', op: 'in', values: ['LINK_DEAD', 'EDGE_DOWN'] },
			{ field: 'edgeName', op: 'in', values: ['Edge-1'] },
			{ field: 'event', op: 'notIn', values: ['USER_LOGIN'] },
			{ field: 'edgeName', op: 'notIn', values: ['Edge-LAB', 'Edge-TEST'] },
			{ field: 'segmentName', op: 'in', values: ['Global Segment'] },
			{ field: 'severity', op: 'in', values: ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR'] },
			{ field: 'message', op: 'contains', values: ['down'] },
		]);
		expect(eventFilterRules({})).toEqual([]);
	});

	it('filters categories itself (VCO rules have no category field), case-insensitively', () => {
		expect(eventFilterPredicate({})).toBeUndefined();
		const accept = eventFilterPredicate({ categories: 'edge, network' })!;
		expect(accept({ category: 'EDGE' })).toBe(true);
		expect(accept({ category: 'NETWORK' })).toBe(true);
		expect(accept({ category: 'SYSTEM' })).toBe(false);
		expect(accept({})).toBe(false);
	});
});

describe('VeloCloud Edge → Get Many', () => {
	const HOST = 'https://vco.edges.test';
	const client = new VeloCloudClient(httpSendFromN8n(n8nHttpRequest()), {
		baseUrl: HOST,
		apiToken: 'edges-token-123456',
		accountType: 'enterprise',
		tls: { skipVerification: false },
	});
	const context = (parameters: IDataObject) =>
		({ getNodeParameter: (name: string, _index: number, fallback?: unknown) => parameters[name] ?? fallback }) as unknown as IExecuteFunctions;

	function serve() {
		nock(HOST)
			.post('/portal/rest/enterprise/getEnterprise')
			.reply(200, { id: 1, name: 'Acme' })
			.post('/portal/rest/enterprise/getEnterpriseEdges')
			.reply(200, [{ id: 7, name: 'Edge-1', activationKey: 'ABCD-EFGH-IJKL-MNOP', activationState: 'ACTIVATED', site: { contactPassword: 'p' } }]);
	}

	it("masks the edges' activation keys unless asked", async () => {
		serve();
		const [edge] = await getEdges.call(context({ enterpriseId: '' }), client, 0);
		expect(edge).toEqual({
			id: 7,
			name: 'Edge-1',
			activationKey: '***',
			activationState: 'ACTIVATED',
			site: { contactPassword: '***' },
			enterpriseId: 1,
			enterpriseName: 'Acme',
		});
		serve();
		const [raw] = await getEdges.call(context({ enterpriseId: '', includeSecrets: true }), client, 0);
		expect(raw.activationKey).toBe('ABCD-EFGH-IJKL-MNOP');
	});
});

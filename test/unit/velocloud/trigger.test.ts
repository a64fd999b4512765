import nock from 'nock';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { VeloCloudTrigger } from '../../../nodes/VeloCloud/VeloCloudTrigger.node';
import { n8nHttpRequest } from '../helpers/n8nHttp';
import { useNockWithLoopback } from '../helpers/nock';

const HOST = 'https://vco.trigger.test';
const MINUTE = 60_000;

interface Row {
	id: number;
	eventTime: string;
	event: string;
}

/** A VCO that answers getEnterpriseEvents from `rows` for the asked interval, newest first. */
function serveEvents(rows: Row[], times = 1) {
	nock(HOST)
		.post('/portal/rest/enterprise/getEnterprise')
		.times(times)
		.reply(200, { id: 1, name: 'Acme Retail Group' })
		.post('/portal/rest/event/getEnterpriseEvents')
		.times(times)
		.reply(200, (_uri, body) => {
			const { start, end } = (body as { interval: { start: number; end: number } }).interval;
			const data = rows
				.filter((row) => Date.parse(row.eventTime) >= start && Date.parse(row.eventTime) <= end)
				.sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
			return { metaData: { limit: 2048, more: false }, data };
		});
}

function context(staticData: IDataObject, mode: 'manual' | 'trigger', options: IDataObject = {}): IPollFunctions {
	const parameters: IDataObject = { enterpriseIds: [], filters: {}, options };
	return {
		getMode: () => mode,
		getNode: () => ({ id: 't', name: 'VeloCloud Trigger', type: 'n8n-nodes-netsec-events.veloCloudTrigger', typeVersion: 1, position: [0, 0], parameters }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({ host: HOST, apiToken: 'trigger-token-123456', accountType: 'enterprise' }),
		helpers: {
			httpRequest: n8nHttpRequest(),
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
		},
	} as unknown as IPollFunctions;
}

const ids = (result: INodeExecutionData[][] | null) => (result ? result[0].map((item) => item.json.id) : []);
const row = (id: number, ageMs: number): Row => ({ id, eventTime: new Date(Date.now() - ageMs).toISOString(), event: 'EDGE_UP' });

useNockWithLoopback();

describe('VeloCloud Trigger', () => {
	const trigger = new VeloCloudTrigger();

	it('shows recent events on "Fetch Test Event" and leaves the cursor alone', async () => {
		const staticData: IDataObject = {};
		serveEvents([row(1, 30 * MINUTE), row(2, 2 * MINUTE)]);
		const result = await trigger.poll.call(context(staticData, 'manual'));
		expect(ids(result)).toEqual([1, 2]);
		expect(result![0][0].json).toMatchObject({ enterpriseId: 1, enterpriseName: 'Acme Retail Group' });
		expect(staticData).toEqual({});
	});

	it('starts from now, emits each new event once, and repeats nothing on an immediate second poll', async () => {
		const staticData: IDataObject = {};
		const rows = [row(1, 5 * MINUTE)];
		serveEvents(rows);
		expect(await trigger.poll.call(context(staticData, 'trigger'))).toBeNull();

		rows.push(row(2, 0), row(3, 0));
		serveEvents(rows, 2);
		expect(ids(await trigger.poll.call(context(staticData, 'trigger')))).toEqual([2, 3]);
		expect(await trigger.poll.call(context(staticData, 'trigger'))).toBeNull();
	});

	it('backfills the look-back on first activation and catches late events', async () => {
		const staticData: IDataObject = {};
		const rows = [row(1, 50 * MINUTE), row(2, 90 * MINUTE)];
		serveEvents(rows);
		expect(ids(await trigger.poll.call(context(staticData, 'trigger', { lookbackMinutes: 60 })))).toEqual([1]);
		// Reported late: it happened 5 minutes ago, before the last poll.
		rows.push(row(3, 5 * MINUTE));
		serveEvents(rows);
		expect(ids(await trigger.poll.call(context(staticData, 'trigger', { lookbackMinutes: 60 })))).toEqual([3]);
	});

	it('changes nothing when a poll fails, and the next poll delivers', async () => {
		const staticData: IDataObject = {};
		serveEvents([]);
		await trigger.poll.call(context(staticData, 'trigger'));
		const saved = JSON.stringify(staticData);
		nock(HOST).post('/portal/rest/enterprise/getEnterprise').reply(200, { id: 1, name: 'Acme Retail Group' });
		nock(HOST).post('/portal/rest/event/getEnterpriseEvents').reply(400, { error: { code: -32602, message: 'Invalid params' } });
		await expect(trigger.poll.call(context(staticData, 'trigger'))).rejects.toThrow('VCO error on event/getEnterpriseEvents: Invalid params');
		expect(JSON.stringify(staticData)).toBe(saved);
		serveEvents([row(7, 0)]);
		expect(ids(await trigger.poll.call(context(staticData, 'trigger')))).toEqual([7]);
	});
});

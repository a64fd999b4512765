import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { PollCursor } from '../shared/cursor';
import { enterprisesProperty, eventFilterRules, eventFiltersProperty, type EventFilters } from './eventFilters';
import { getEnterprises } from './methods/loadOptions';
import { collectEvents, withVeloCloudClient } from './transport';

const MINUTE = 60_000;
/** "Fetch Test Event" shows at most this many of the last hour's events. */
const MANUAL_SAMPLE_SIZE = 20;

export class VeloCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VeloCloud Trigger',
		name: 'veloCloudTrigger',
		icon: { light: 'file:veloCloud.svg', dark: 'file:veloCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New enterprise events',
		description: 'Starts the workflow with each new VeloCloud Orchestrator enterprise event, exactly once',
		defaults: { name: 'VeloCloud Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veloCloudApi', required: true, testedBy: 'veloCloudApiTest' }],
		properties: [
			enterprisesProperty,
			eventFiltersProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Look-Back on First Activation (Minutes)',
						name: 'lookbackMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'On the first poll, also emit the events of this many minutes before it (a backfill). 0 starts from now.',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 2048,
						description: 'Events per request; every page is read. Lower it for an orchestrator that is slow to answer large pages.',
					},
					{
						displayName: 'Lateness Window (Minutes)',
						name: 'latenessMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 15,
						description:
							'How far back each poll looks for events VCO reports late (edges report every 5 minutes; VCO may show an event up to 10 minutes after it happened)',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getEnterprises } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const chosen = (this.getNodeParameter('enterpriseIds', []) as Array<number | string>).map(Number);
		const rules = eventFilterRules(this.getNodeParameter('filters', {}) as EventFilters);
		const options = this.getNodeParameter('options', {}) as {
			lookbackMinutes?: number;
			latenessMinutes?: number;
			pageSize?: number;
		};
		const pageSize = options.pageSize;
		const now = Date.now();

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": recent events to build the workflow with; the cursor is left alone.
			const window = { start: now - 60 * MINUTE, end: now, rules, pageSize };
			const sample = await withVeloCloudClient(this, async (client) => await collectEvents(client, chosen, window));
			return sample.length > 0 ? [this.helpers.returnJsonArray(sample.slice(-MANUAL_SAMPLE_SIZE))] : null;
		}

		const cursor = PollCursor.load(this.getWorkflowStaticData('node'), {
			latenessMs: (options.latenessMinutes ?? 15) * MINUTE,
			lookbackMs: (options.lookbackMinutes ?? 0) * MINUTE,
			now,
		});
		const query = { ...cursor.window, rules, pageSize };
		const events = await withVeloCloudClient(this, async (client) => await collectEvents(client, chosen, query));
		const key = (event: IDataObject) => `${String(event.enterpriseId)}:${String(event.id)}`;
		const time = (event: IDataObject) => Date.parse(String(event.eventTime));
		const fresh = cursor.select(events, key, time);
		cursor.commit(fresh, key, time);
		return fresh.length > 0 ? [this.helpers.returnJsonArray(fresh)] : null;
	}
}

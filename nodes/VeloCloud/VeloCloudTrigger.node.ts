import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { withClient } from '../shared/transport';
import { pollOptions, runPoll, type PollOptions } from '../shared/trigger/pollTrigger';
import { enterprisesProperty, eventFilterPredicate, eventFilterRules, eventFiltersProperty, type EventFilters } from './eventFilters';
import { veloCloudApiTest } from './methods/credentialTest';
import { getEnterprises, getEnterprisesOrOwn } from './methods/loadOptions';
import { eventKey, eventTime, openVeloCloudClient, streamEvents } from './transport';

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
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#velocloud-trigger-polling',
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
					...pollOptions(15, 'edges report every 5 minutes; VCO may show an event up to 10 minutes after it happened'),
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 2048,
						description: 'Events per request; every page is read. Lower it for an orchestrator that is slow to answer large pages.',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getEnterprises, getEnterprisesOrOwn }, credentialTest: { veloCloudApiTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const chosen = (this.getNodeParameter('enterpriseIds', []) as Array<number | string>).map(Number);
		const filters = this.getNodeParameter('filters', {}) as EventFilters;
		const rules = eventFilterRules(filters);
		const accept = eventFilterPredicate(filters);
		const options = this.getNodeParameter('options', {}) as PollOptions & { pageSize?: number };
		return await runPoll<IDataObject>(
			this,
			{
				read: async (window, take) =>
					await withClient(this, openVeloCloudClient, async (client) => {
						for await (const page of streamEvents(client, chosen, { ...window, rules, accept, pageSize: options.pageSize })) if (!take(page)) break;
					}),
				key: eventKey,
				time: eventTime,
			},
			options,
		);
	}
}

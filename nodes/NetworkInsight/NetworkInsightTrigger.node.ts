import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { withClient } from '../shared/transport';
import { pollOptions, runPoll, type PollOptions } from '../shared/trigger/pollTrigger';
import { filterProperty, pageSizeOption } from './entityTypes';
import { checkFilter } from './filter';
import { networkInsightApiTest } from './methods/credentialTest';
import { openNetworkInsightClient, pageItems, searchWithDetails } from './transport';

export class NetworkInsightTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Network Insight Trigger',
		name: 'networkInsightTrigger',
		icon: { light: 'file:networkInsight.svg', dark: 'file:networkInsight.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#network-insight-trigger-polling',
		group: ['trigger'],
		version: 1,
		subtitle: 'New flows',
		description: 'Starts the workflow with each new vRealize Network Insight flow that matches a filter, exactly once',
		defaults: { name: 'Network Insight Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'networkInsightApi', required: true, testedBy: 'networkInsightApiTest' }],
		properties: [
			filterProperty('flow_tag = TAG_INTERNET_TRAFFIC and firewall_action = ALLOW', "destination_ip.ip_address = '10.0.0.5'"),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...pollOptions(30, 'vRNI reports a flow some minutes after it was seen, once its collectors reported it'), pageSizeOption],
			},
		],
	};

	methods = { credentialTest: { networkInsightApiTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const check = checkFilter(this.getNodeParameter('filter', '') as string);
		if (!check.ok) throw new NodeOperationError(this.getNode(), check.message, { description: check.fix });
		const options = this.getNodeParameter('options', {}) as PollOptions & { pageSize?: number };
		return await runPoll<IDataObject>(
			this,
			{
				read: async (window, take) =>
					await withClient(this, openNetworkInsightClient, async (client) => {
						const search = { entityType: 'Flow', filter: check.filter, window, pageSize: options.pageSize ?? 1000, limit: Number.POSITIVE_INFINITY };
						for await (const page of searchWithDetails(client, search)) if (!take(pageItems(page))) break;
					}),
				key: (flow) => String(flow.entity_id),
				time: (flow) => Number(flow.time) * 1000,
				stateKey: 'networkInsightFlows',
			},
			options,
		);
	}
}

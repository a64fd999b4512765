import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { toNodeError } from '../shared/errors';
import { withClient } from '../shared/transport';
import { runPoll } from '../shared/trigger/pollTrigger';
import { illumioApiTest } from './methods/credentialTest';
import { eventKey, eventTime, listEvents, openIllumioClient, type IllumioEvent } from './transport';
import { triggerOptionsProperty, watchersProperty } from './trigger/properties';
import { readRouting, routedPresentation, type TriggerOptions } from './trigger/presentation';
import { serverSideFilter, type WatcherSpec } from './trigger/watchers';

/** The cursor's key in the node's static data. */
const CURSOR_KEY = 'illumioEventCursor';

export class IllumioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Illumio Trigger',
		name: 'illumioTrigger',
		icon: { light: 'file:illumio.svg', dark: 'file:illumio.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#illumio-trigger-polling',
		group: ['trigger'],
		version: 1,
		subtitle: 'New audit events',
		description: 'Starts the workflow with each new Illumio PCE audit event, exactly once, routed by watchers',
		defaults: { name: 'Illumio Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'illumioApi', required: true, testedBy: 'illumioApiTest' }],
		properties: [watchersProperty, triggerOptionsProperty],
	};

	methods = { credentialTest: { illumioApiTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const specs = (this.getNodeParameter('watchers', {}) as { watcher?: WatcherSpec[] }).watcher ?? [];
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		let routing;
		try {
			routing = readRouting(specs, options);
		} catch (error) {
			throw toNodeError(this.getNode(), error, []);
		}
		const filter = serverSideFilter(routing.watchers, routing.options.emitUnmatched);
		return await runPoll<IllumioEvent>(
			this,
			{
				stateKey: CURSOR_KEY,
				read: async (window, take) => {
					take(await withClient(this, openIllumioClient, async (client) => await listEvents(client, { ...window, ...filter })));
				},
				key: eventKey,
				time: eventTime,
				present: routedPresentation(routing),
			},
			options,
		);
	}
}

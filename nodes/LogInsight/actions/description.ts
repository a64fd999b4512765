import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as ingest from './ingest.operation';

export const description: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Log Insight',
	name: 'logInsight',
	group: ['output'],
	version: 1,
	description: 'Send events to VMware vRealize Log Insight (Aria Operations for Logs), batched, with presets for vRNI flows, VeloCloud, Illumio and Forcepoint SMC',
	defaults: { name: 'Log Insight' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [{ name: 'Event', value: 'event' }],
			default: 'event',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['event'] } },
			options: [{ name: 'Ingest', value: 'ingest', description: 'Send each item as one event', action: 'Ingest events' }],
			default: 'ingest',
		},
		...ingest.description,
	],
};

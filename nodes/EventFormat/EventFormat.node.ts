import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runForEachItem } from '../shared/node/itemLoop';
import { formatItem, presetProperties, type Preset } from './presets';
import { optionSubtitle } from '../shared/node/subtitle';

export class EventFormat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Event Format',
		name: 'eventFormat',
		icon: { light: 'file:eventFormat.svg', dark: 'file:eventFormat.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: optionSubtitle(presetProperties, 'preset'),
		description:
			'Format security and network events from any vendor for SIEMs (NDJSON, syslog, CEF), chat (Slack, Teams), email, SMS, Jira, ServiceNow and webhooks',
		defaults: { name: 'Event Format' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#event-format',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			...presetProperties,
			{
				displayName: 'Output Field',
				name: 'outputField',
				type: 'string',
				default: 'formatted',
				required: true,
				description: 'Name of the field that receives the formatted text',
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'boolean',
				default: true,
				description: 'Whether to keep the input fields beside the output field',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return await runForEachItem(this, async function (itemIndex) {
			const preset = this.getNodeParameter('preset', itemIndex) as Preset;
			const outputField = this.getNodeParameter('outputField', itemIndex) as string;
			const includeInput = this.getNodeParameter('includeInputFields', itemIndex) as boolean;
			const input = items[itemIndex].json;
			const formatted = formatItem.call(this, preset, itemIndex, input);
			const json: IDataObject = includeInput ? { ...input, [outputField]: formatted } : { [outputField]: formatted };
			return [json];
		});
	}
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { engineProperty } from '../../descriptions';
import { addBlockListEntry, type ForcepointSmcClient } from '../../transport';

const properties: INodeProperties[] = [
	engineProperty('Engine or cluster that blocks the traffic'),
	{
		displayName: 'Source',
		name: 'source',
		type: 'string',
		default: '',
		required: true,
		placeholder: '203.0.113.77/32',
		description: '"any", an IP address or a network',
	},
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'string',
		default: 'any',
		required: true,
		description: '"any", an IP address or a network',
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 3600,
		description: 'How long the engine blocks; 0 blocks until the entry is removed',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Destination Ports', name: 'destinationPorts', type: 'string', default: '', placeholder: '443 or 1000-1500' },
			{
				displayName: 'Protocol',
				name: 'protocol',
				type: 'options',
				options: [
					{ name: 'TCP', value: 'tcp' },
					{ name: 'UDP', value: 'udp' },
				],
				default: 'tcp',
				description: 'Protocol of the port ranges',
			},
			{ displayName: 'Source Ports', name: 'sourcePorts', type: 'string', default: '', placeholder: '443 or 1000-1500' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['blockList'], operation: ['add'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ForcepointSmcClient, itemIndex: number): Promise<IDataObject[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const entry = {
		source: this.getNodeParameter('source', itemIndex) as string,
		destination: this.getNodeParameter('destination', itemIndex) as string,
		duration: this.getNodeParameter('duration', itemIndex) as number,
		sourcePorts: options.sourcePorts as string | undefined,
		destinationPorts: options.destinationPorts as string | undefined,
		protocol: options.protocol === 'udp' ? ('udp' as const) : ('tcp' as const),
	};
	const engine = await addBlockListEntry(client, String(this.getNodeParameter('engine', itemIndex)), entry);
	return [{ added: true, engine: engine.name, ...entry }];
}

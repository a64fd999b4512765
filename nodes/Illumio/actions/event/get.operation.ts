import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getEvent, type IllumioClient } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/orgs/1/events/8d8a6c8e-5b2f-4c1d-9f3e-1a2b3c4d5e6f',
		description: "The event's href (as in an Illumio Trigger item) or its UUID",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: IllumioClient, itemIndex: number): Promise<IDataObject[]> {
	return [await getEvent(client, this.getNodeParameter('event', itemIndex) as string)];
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deleteBlockListEntry, type ForcepointSmcClient } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Entry Href',
		name: 'href',
		type: 'string',
		default: '={{ $json.block_list_href ?? $json.blacklist_href }}',
		required: true,
		description: 'The block_list_href (or blacklist_href) of an entry, as a Block List query returns it',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['blockList'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ForcepointSmcClient, itemIndex: number): Promise<IDataObject[]> {
	const href = String(this.getNodeParameter('href', itemIndex) ?? '');
	await deleteBlockListEntry(client, href);
	return [{ deleted: true, href }];
}

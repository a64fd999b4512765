import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description } from './actions/description';
import { router } from './actions/router';
import { illumioApiTest } from './methods/credentialTest';
import { actionSubtitle } from '../shared/node/subtitle';

export class Illumio implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:illumio.svg', dark: 'file:illumio.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#illumio-action',
		subtitle: actionSubtitle(description.properties),
		usableAsTool: true,
	};

	methods = { credentialTest: { illumioApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

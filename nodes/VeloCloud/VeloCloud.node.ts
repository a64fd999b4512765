import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { description } from './actions/description';
import { veloCloudApiTest } from './methods/credentialTest';
import { getEnterprises, getEnterprisesOrOwn } from './methods/loadOptions';
import { actionSubtitle } from '../shared/node/subtitle';

export class VeloCloud implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:veloCloud.svg', dark: 'file:veloCloud.dark.svg' },
		subtitle: actionSubtitle(description.properties),
		usableAsTool: true,
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#velocloud-action',
	};

	methods = {
		loadOptions: { getEnterprises, getEnterprisesOrOwn },
		credentialTest: { veloCloudApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

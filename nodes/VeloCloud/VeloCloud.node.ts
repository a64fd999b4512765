import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { description } from './actions/description';
import { veloCloudApiTest } from './methods/credentialTest';
import { getEnterprises } from './methods/loadOptions';

export class VeloCloud implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:veloCloud.svg', dark: 'file:veloCloud.dark.svg' },
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		usableAsTool: true,
	};

	methods = {
		loadOptions: { getEnterprises },
		credentialTest: { veloCloudApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description } from './actions/description';
import { router } from './actions/router';
import { networkInsightApiTest } from './methods/credentialTest';

export class NetworkInsight implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:networkInsight.svg', dark: 'file:networkInsight.dark.svg' },
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		usableAsTool: true,
	};

	methods = { credentialTest: { networkInsightApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

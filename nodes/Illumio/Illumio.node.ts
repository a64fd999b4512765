import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description } from './actions/description';
import { router } from './actions/router';
import { illumioApiTest } from './methods/credentialTest';

export class Illumio implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:illumio.svg', dark: 'file:illumio.dark.svg' },
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		usableAsTool: true,
	};

	methods = { credentialTest: { illumioApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

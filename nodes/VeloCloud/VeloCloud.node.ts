import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { description } from './actions/description';
import { veloCloudApiTest } from './methods/credentialTest';
import { getEnterprises, getEnterprisesOrOwn } from './methods/loadOptions';

export class VeloCloud implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:veloCloud.svg', dark: 'file:veloCloud.dark.svg' },
		subtitle:
			'={{ {"event:getMany": "Get many events", "enterprise:get": "Get an enterprise", "enterprise:getMany": "Get many enterprises", "edge:getMany": "Get many edges"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		usableAsTool: true,
	};

	methods = {
		loadOptions: { getEnterprises, getEnterprisesOrOwn },
		credentialTest: { veloCloudApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description } from './actions/description';
import { execute } from './actions/ingest.operation';
import { logInsightApiTest } from './methods/credentialTest';

export class LogInsight implements INodeType {
	description: INodeTypeDescription = {
		...description,
		// Named here, where n8n's lint looks for the credential test.
		credentials: [{ name: 'logInsightApi', required: true, testedBy: 'logInsightApiTest' }],
		icon: { light: 'file:logInsight.svg', dark: 'file:logInsight.dark.svg' },
		subtitle: '={{ "ingest: " + $parameter["preset"] }}',
		usableAsTool: true,
	};

	methods = { credentialTest: { logInsightApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}

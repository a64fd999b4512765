import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description } from './actions/description';
import { execute } from './actions/ingest.operation';
import { logInsightApiTest } from './methods/credentialTest';
import { optionSubtitle } from '../shared/node/subtitle';

export class LogInsight implements INodeType {
	description: INodeTypeDescription = {
		...description,
		// Named here, where n8n's lint looks for the credential test.
		credentials: [{ name: 'logInsightApi', required: true, testedBy: 'logInsightApiTest' }],
		icon: { light: 'file:logInsight.svg', dark: 'file:logInsight.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#log-insight-action',
		subtitle: optionSubtitle(description.properties, 'preset', 'Ingest: '),
		usableAsTool: true,
	};

	methods = { credentialTest: { logInsightApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}

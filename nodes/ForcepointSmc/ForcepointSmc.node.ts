import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description } from './actions/description';
import { router } from './actions/router';
import { forcepointSmcApiTest } from './methods/credentialTest';
import { getEngines } from './methods/loadOptions';
import { actionSubtitle } from '../shared/node/subtitle';

export class ForcepointSmc implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:forcepointSmc.svg', dark: 'file:forcepointSmc.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#forcepoint-smc-action',
		subtitle: actionSubtitle(description.properties),
		usableAsTool: true,
		// Here rather than in actions/description.ts: n8n's lint reads testedBy from the node file.
		credentials: [{ name: 'forcepointSmcApi', required: true, testedBy: 'forcepointSmcApiTest' }],
	};

	methods = {
		loadOptions: { getEngines },
		credentialTest: { forcepointSmcApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

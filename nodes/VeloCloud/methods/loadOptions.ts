import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withClient } from '../../shared/transport';
import { listEnterprises, openVeloCloudClient } from '../transport';

/** Enterprises the account sees, for the enterprise pickers. */
export async function getEnterprises(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// Without a credential n8n's own message ("Node does not have any credentials set") says nothing useful.
	const credentials = this.getNode().credentials ?? {};
	if (!credentials.veloCloudApi) {
		throw new NodeOperationError(this.getNode(), 'Select a VeloCloud Orchestrator API credential to list its enterprises', {
			description: 'Choose or create the credential at the top of this panel; the list then shows the enterprises it sees.',
		});
	}
	const enterprises = await withClient(this, openVeloCloudClient, async (client) => await listEnterprises(client));
	return enterprises
		.map((enterprise) => ({ name: `${enterprise.name} (${enterprise.id})`, value: enterprise.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The same, led by the empty choice: the account's own enterprise (valid for single-enterprise pickers). */
export async function getEnterprisesOrOwn(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return [
		{ name: "The Account's Own Enterprise", value: '', description: 'For an enterprise account; operators and partners pick one' },
		...(await getEnterprises.call(this)),
	];
}

import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestResult, DEFAULT_RETRY_POLICY } from '../../shared/transport';
import { listEnterprises, readVeloCloudCredentials, VeloCloudClient } from '../transport';

/**
 * Tests the credential with a cheap authenticated call (the enterprises the account sees) and says
 * which of token, password, host or TLS is wrong.
 */
export async function veloCloudApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let client: VeloCloudClient | undefined;
	const secrets = () => client?.secrets ?? [data.apiToken as string | undefined, data.password as string | undefined];
	return await credentialTestResult(this, secrets, 'VCO', async (send) => {
		client = new VeloCloudClient(send, readVeloCloudCredentials(data), {
			retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
			timeoutMs: 15_000,
		});
		try {
			const enterprises = await listEnterprises(client);
			const names = enterprises.map((enterprise) => enterprise.name).join(', ');
			return `Connected with ${client.usesToken ? 'the API token' : 'a session login'}; sees: ${names}`;
		} finally {
			await client.close();
		}
	});
}

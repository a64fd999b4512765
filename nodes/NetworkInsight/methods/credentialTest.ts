import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestResult, DEFAULT_RETRY_POLICY } from '../../shared/transport';
import { NetworkInsightClient, readNetworkInsightCredentials } from '../transport';

/**
 * Logs in, asks for the API version and deletes the token again; says whether the password, the domain,
 * the host or TLS is wrong.
 */
export async function networkInsightApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let client: NetworkInsightClient | undefined;
	const secrets = () => client?.secrets ?? [data.password as string | undefined, data.apiToken as string | undefined];
	return await credentialTestResult(this, secrets, 'vRNI', async (send) => {
		client = new NetworkInsightClient(send, readNetworkInsightCredentials(data), {
			retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
			timeoutMs: 15_000,
		});
		try {
			const version = await client.version();
			return `Connected to vRNI (API ${version})`;
		} finally {
			await client.close();
		}
	});
}

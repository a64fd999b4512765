import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestResult, DEFAULT_RETRY_POLICY } from '../../shared/transport';
import { ForcepointSmcClient, readForcepointSmcCredentials } from '../transport';

/**
 * Reads the versions the SMC offers, logs in and out, and says which of URL, TLS, version, key or
 * domain is wrong.
 */
export async function forcepointSmcApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let client: ForcepointSmcClient | undefined;
	const secrets = () => client?.secrets ?? [data.apiKey as string | undefined];
	return await credentialTestResult(this, secrets, 'The SMC', async (send) => {
		client = new ForcepointSmcClient(send, readForcepointSmcCredentials(data), {
			retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
			timeoutMs: 15_000,
		});
		try {
			const version = await client.apiVersion();
			await client.ensureSession();
			const product = await client.smcVersion();
			return `Connected to SMC ${product} with API ${version} in domain "${client.credentials.domain}"`;
		} finally {
			await client.close();
		}
	});
}

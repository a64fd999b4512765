import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestResult, DEFAULT_RETRY_POLICY } from '../../shared/transport';
import { checkOrgAccess, IllumioClient, readIllumioCredentials } from '../transport';

/**
 * Reads a small resource of the org (its workload settings, as illumio-py checks an org) and says which
 * of key, org, address or certificate is wrong.
 */
export async function illumioApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let client: IllumioClient | undefined;
	const secrets = () => client?.secrets ?? [data.apiKeySecret as string | undefined];
	return await credentialTestResult(this, secrets, 'the PCE', async (send) => {
		const credentials = readIllumioCredentials(data);
		client = new IllumioClient(send, credentials, { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }, timeoutMs: 15_000 });
		await checkOrgAccess(client);
		return `Connected to ${credentials.baseUrl} as ${credentials.apiKeyUsername}, org ${credentials.orgId}`;
	});
}

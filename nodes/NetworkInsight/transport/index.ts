import type { ContextWithHttp, HttpSend } from '../../shared/transport';
import { NetworkInsightClient } from './client';
import { readNetworkInsightCredentials } from './credentials';

export * from './api';
export { NetworkInsightClient, readApiError, type FetchedEntity, type SearchPage, type SearchRequest } from './client';
export { readNetworkInsightCredentials, type NetworkInsightCredentials } from './credentials';

/** The vRNI client of one execution or one poll (for `withClient` and the router). */
export async function openNetworkInsightClient(context: ContextWithHttp, send: HttpSend): Promise<NetworkInsightClient> {
	return new NetworkInsightClient(send, readNetworkInsightCredentials(await context.getCredentials('networkInsightApi')));
}

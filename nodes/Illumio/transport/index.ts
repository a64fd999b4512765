import type { ContextWithHttp, HttpSend } from '../../shared/transport';
import { IllumioClient } from './client';
import { readIllumioCredentials } from './credentials';

export * from './api';
export { collectAsyncJob, DEFAULT_ASYNC_LIMITS, type AsyncJobLimits } from './asyncJob';
export { IllumioClient, type IllumioClientOptions } from './client';
export { DEFAULT_PCE_PORT, normalisePceUrl, readIllumioCredentials, type IllumioCredentials } from './credentials';
export { describeIllumioError, SYNC_MAX_RESULTS, toRfc3339, totalCount, type EventQuery, type IllumioEvent } from './events';

/** The Illumio client of one execution or one poll (for `withClient` and the router). */
export async function openIllumioClient(context: ContextWithHttp, send: HttpSend): Promise<IllumioClient> {
	return new IllumioClient(send, readIllumioCredentials(await context.getCredentials('illumioApi')));
}

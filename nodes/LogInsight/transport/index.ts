import type { ContextWithHttp, HttpSend } from '../../shared/transport';
import { LogInsightClient } from './client';
import { readLogInsightCredentials } from './credentials';

export { LogInsightClient } from './client';
export { derivedAgentId, readLogInsightCredentials, type LogInsightCredentials } from './credentials';

/** The vRLI client of one execution. */
export async function openLogInsightClient(context: ContextWithHttp, send: HttpSend): Promise<LogInsightClient> {
	return new LogInsightClient(send, readLogInsightCredentials(await context.getCredentials('logInsightApi')));
}

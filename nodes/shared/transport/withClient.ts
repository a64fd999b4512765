import type {
	ICredentialTestFunctions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	IPollFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';

import { ApplianceError, redactSecrets, toNodeError } from '../errors';
import { networkFailure, type ClosableClient } from './applianceClient';
import { httpSendFromLegacyRequest, httpSendFromN8n, NetworkError, type HttpSend } from './http';

/** Every n8n context a node opens a client from. */
export type ContextWithHttp = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | ITriggerFunctions;

/** How a vendor makes its client from a context: reads its credential and sends through `send`. */
export type OpenClient<C extends ClosableClient> = (context: ContextWithHttp, send: HttpSend) => Promise<C>;

/** Sends through n8n's own request helper (proxies, n8n's TLS settings, axios as users expect). */
export function n8nSend(context: ContextWithHttp): HttpSend {
	return httpSendFromN8n(context.helpers.httpRequest.bind(context.helpers));
}

/**
 * Runs `work` with a client, turns what went wrong into n8n's errors with every secret redacted, and
 * always ends the session afterwards. Routers call it once per execution, triggers once per poll.
 */
export async function withClient<C extends ClosableClient, T>(
	context: ContextWithHttp,
	openClient: OpenClient<C>,
	work: (client: C) => Promise<T>,
	itemIndex?: number,
): Promise<T> {
	let client: C | undefined;
	try {
		client = await openClient(context, n8nSend(context));
		return await work(client);
	} catch (error) {
		throw toNodeError(context.getNode(), error, client?.secrets ?? [], itemIndex);
	} finally {
		await client?.close();
	}
}

/**
 * The body of every credential test: n8n gives tests only its legacy request helper, so the client
 * sends through the legacy adapter; `run` makes one cheap call and says what it saw. Every failure
 * becomes a one-line message with the fix, secrets redacted; nothing is retried (the user is waiting).
 */
export async function credentialTestResult(
	context: ICredentialTestFunctions,
	/** read after the test, so a session id the client obtained on the way is redacted too */
	secrets: () => ReadonlyArray<string | undefined>,
	applianceName: string,
	run: (send: HttpSend) => Promise<string>,
): Promise<INodeCredentialTestResult> {
	try {
		const send = httpSendFromLegacyRequest(context.helpers.request);
		return { status: 'OK', message: redactSecrets(await run(send), secrets()) };
	} catch (error) {
		const failure = error instanceof NetworkError ? networkFailure(error, applianceName) : error;
		const message =
			failure instanceof ApplianceError
				? [failure.message, failure.details.description].filter(Boolean).join('. ')
				: failure instanceof Error
					? failure.message
					: String(failure);
		return { status: 'Error', message: redactSecrets(message, secrets()) };
	}
}

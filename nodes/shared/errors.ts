import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Secrets never reach an error, a log line or an output item. Transports pass the secrets they hold
 * (token, password, API key, session id); the patterns below catch the usual carriers of a secret
 * even when the value is not known here (headers and cookies echoed by an appliance or a library).
 */
const SECRET_CARRIERS: ReadonlyArray<[RegExp, string]> = [
	[/\b(Token|Bearer|Basic|NetworkInsight)\s+[A-Za-z0-9+/=._~-]{6,}/g, '$1 ***'],
	[/\b(velocloud\.session|JSESSIONID|sessionId|authenticationkey|password|secret|token)(["']?\s*[:=]\s*["']?)[^"'\s;,&}]+/gi, '$1$2***'],
];

export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let result = text;
	for (const secret of secrets) {
		// Very short values would blank out ordinary words; credentials are never that short.
		if (secret && secret.length >= 4) result = result.split(secret).join('***');
	}
	for (const [pattern, replacement] of SECRET_CARRIERS) result = result.replace(pattern, replacement);
	return result;
}

/** What went wrong, in the terms a user can act on. */
export type ApplianceErrorKind =
	| 'auth'
	| 'forbidden'
	| 'not-found'
	| 'rate-limit'
	| 'server'
	| 'unreachable'
	| 'tls'
	| 'timeout'
	| 'malformed'
	| 'oversized'
	| 'vendor'
	| 'config';

const NO_ANSWER_KINDS: ReadonlySet<ApplianceErrorKind> = new Set(['unreachable', 'tls', 'timeout', 'oversized']);

/**
 * The error every transport throws: the appliance's own words (status, vendor code, message) plus a
 * description that names the fix. Messages are redacted where they are built.
 */
export class ApplianceError extends Error {
	constructor(
		readonly kind: ApplianceErrorKind,
		message: string,
		readonly details: { status?: number; vendorCode?: string | number; description?: string } = {},
	) {
		super(message);
		this.name = 'ApplianceError';
	}
}

/** n8n's errors for an ApplianceError: NodeApiError for what the appliance said, NodeOperationError for the rest. */
export function toNodeError(node: INode, error: unknown, secrets: ReadonlyArray<string | undefined>, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		// n8n shows which item failed from the error's context.
		if (itemIndex !== undefined) error.context = { ...error.context, itemIndex };
		return error;
	}
	if (error instanceof ApplianceError) {
		const message = redactSecrets(error.message, secrets);
		const description = error.details.description ? redactSecrets(error.details.description, secrets) : undefined;
		// No answer from the appliance (or one we refused to read): NodeApiError would replace a message
		// naming ECONNREFUSED or ETIMEDOUT with n8n's generic text and lose the host and the fix.
		if (error.kind === 'config' || NO_ANSWER_KINDS.has(error.kind)) return new NodeOperationError(node, message, { description, itemIndex });
		const response: JsonObject = { message };
		if (error.details.vendorCode !== undefined) response.code = String(error.details.vendorCode);
		return new NodeApiError(node, response, {
			message,
			description,
			httpCode: error.details.status !== undefined ? String(error.details.status) : undefined,
			itemIndex,
		});
	}
	const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
	return new NodeOperationError(node, message, { itemIndex });
}

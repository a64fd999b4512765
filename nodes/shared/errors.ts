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

/** Credential data for the simulated appliances, as a user would fill the credential in n8n. */
import type { LogInsightSimulator } from '../../simulators/logInsight';

/**
 * vRLI over HTTPS with the simulator's CA and verification on: a user (events keep their own
 * timestamps) or, with `login: false`, anonymous ingestion; `extra` replaces any field.
 */
export function vrliCredentialData(vrli: LogInsightSimulator, { login = true, ...extra }: { login?: boolean } & Record<string, unknown> = {}): Record<string, unknown> {
	return {
		host: '127.0.0.1',
		protocol: 'https',
		port: vrli.port,
		agentId: vrli.options.agentId,
		caCertificate: vrli.ca ?? '',
		...(login ? { username: vrli.options.username, password: vrli.options.password, provider: 'Local' } : {}),
		allowUnauthorizedCerts: false,
		...extra,
	};
}

/** Credential data for the simulated appliances, as a user would fill the credential in n8n. */
import { simulatorTls } from '../../simulators/common';
import type { LogInsightSimulator } from '../../simulators/logInsight';
import type { VeloCloudSimulator } from '../../simulators/velocloud';

/** The simulated VCO's API token over HTTPS with the simulators' CA and verification on; `extra` replaces any field. */
export function vcoTokenCredentialData(vco: VeloCloudSimulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
	const sim = vco.credentials();
	return { host: sim.url, apiToken: sim.token, accountType: 'enterprise', caCertificate: simulatorTls().ca, allowUnauthorizedCerts: false, ...extra };
}

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

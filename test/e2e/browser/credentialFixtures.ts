/**
 * One credential per credential type of the package, each pointing at a simulated appliance started
 * for the browser test (any free port, HTTPS with the simulator CA in the credential's Custom CA field).
 * A credential type the package lists without a fixture here fails the browser test by name.
 */
import { simulatorTls } from '../../simulators/common';
import { ForcepointSmcSimulator } from '../../simulators/forcepointSmc';
import { IllumioSimulator } from '../../simulators/illumio';
import { LogInsightSimulator } from '../../simulators/logInsight';
import { NetworkInsightSimulator } from '../../simulators/networkInsight';
import { SyslogSink } from '../../simulators/sinks/syslog';
import { VeloCloudSimulator } from '../../simulators/velocloud';

export interface StartedFixture {
	/** credential data; fields the credential type does not have are dropped before it is created */
	data: Record<string, unknown>;
	stop(): Promise<void>;
}

type Fixture = () => Promise<StartedFixture>;

/** Verification stays on: the simulators' certificates chain to the CA the credential carries. */
const tls = () => ({ allowUnauthorizedCerts: false, caCertificate: simulatorTls().ca });

export const CREDENTIAL_FIXTURES: Record<string, Fixture> = {
	// An enterprise API token: the account a newcomer most often has, and the one whose own
	// enterprise is the empty choice of the single-enterprise pickers.
	veloCloudApi: async () => {
		const simulator = await new VeloCloudSimulator({ eventCount: 50 }).start(0);
		const vco = simulator.credentials();
		return { data: { host: vco.url, apiToken: vco.token, accountType: 'enterprise', ...tls() }, stop: () => simulator.stop() };
	},
	illumioApi: async () => {
		const simulator = await new IllumioSimulator().start(0);
		const pce = simulator.credentials();
		return {
			data: { url: pce.url, authUsername: pce.apiKeyUser, apiKeySecret: pce.apiKeySecret, orgId: pce.orgId, ...tls() },
			stop: () => simulator.stop(),
		};
	},
	forcepointSmcApi: async () => {
		const simulator = await new ForcepointSmcSimulator().start(0);
		const smc = simulator.credentials();
		return { data: { url: smc.url, apiKey: smc.apiKey, apiVersion: smc.apiVersion, domain: smc.domain, ...tls() }, stop: () => simulator.stop() };
	},
	networkInsightApi: async () => {
		const simulator = await new NetworkInsightSimulator().start(0);
		const vrni = simulator.credentials();
		return {
			data: { authType: 'onPrem', host: vrni.url, username: vrni.username, password: vrni.password, domainType: 'LOCAL', ...tls() },
			stop: () => simulator.stop(),
		};
	},
	logInsightApi: async () => {
		const simulator = await new LogInsightSimulator().start(0);
		const vrli = simulator.credentials();
		const url = new URL(vrli.url);
		return {
			data: {
				host: url.hostname,
				protocol: url.protocol === 'https:' ? 'https' : 'http',
				port: Number(url.port),
				agentId: vrli.agentId,
				username: vrli.username,
				password: vrli.password,
				provider: 'Local',
				...tls(),
			},
			stop: () => simulator.stop(),
		};
	},
	syslogReceiver: async () => {
		const sink = await new SyslogSink().start({ udp: 0, tcp: 0, tls: 0 });
		const syslog = sink.credentials();
		return {
			data: { host: syslog.host, port: syslog.tlsPort, transport: 'tls', framing: 'octetCounting', ...tls() },
			stop: () => sink.stop(),
		};
	},
};

/**
 * The demo's one CA and how n8n trusts it. The simulated appliances and the local sinks all serve
 * certificates from it; the demo credentials carry it in *Custom CA Certificate*, but n8n's own Send
 * Email and HTTP Request nodes have no CA field: n8n trusts it through NODE_EXTRA_CA_CERTS. The e2e
 * run starts its shared n8n with the same environment, so the demo's deliveries to the sinks are tested.
 */
import { existsSync } from 'node:fs';

import { makeSimulatorTls, readSimulatorTls, simulatorCaFile, type SimulatorTls } from '../../simulators/common';

/** The CA and server certificate kept in `tlsFolder`, made there on first use (valid ten years). */
export function demoSimulatorTls(tlsFolder: string): SimulatorTls {
	return existsSync(simulatorCaFile(tlsFolder)) ? readSimulatorTls(tlsFolder) : makeSimulatorTls(tlsFolder, 3650);
}

/** n8n's environment that makes it trust the CA of `tlsFolder` (besides the system's CAs). */
export function n8nTrustingDemoCa(tlsFolder: string): { NODE_EXTRA_CA_CERTS: string } {
	return { NODE_EXTRA_CA_CERTS: simulatorCaFile(tlsFolder) };
}

/**
 * Starts every simulated appliance together, in-process: the demo and `npm run simulators` use this.
 * Each binds 127.0.0.1 on its default port (override per vendor, 0 = any) and serves HTTPS with one
 * throw-away CA (see common.ts), whose PEM and file the set hands out; `plainHttp` serves HTTP instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sharedSimulatorCaFile, simulatorTls } from './common';
import { ForcepointSmcSimulator, type ForcepointSmcSimulatorOptions } from './forcepointSmc';
import { IllumioSimulator, type IllumioSimulatorOptions } from './illumio';
import { LogInsightSimulator, type LogInsightSimulatorOptions } from './logInsight';
import { NetworkInsightSimulator, type NetworkInsightSimulatorOptions } from './networkInsight';
import { startSinks, type SinkSet, type SinkSetOptions } from './sinks';
import { VeloCloudSimulator, type VeloCloudSimulatorOptions } from './velocloud';

export const DEFAULT_PORTS = { vco: 18443, illumio: 18444, smc: 18082, vrni: 18445, vrli: 19000 } as const;

export type Vendor = keyof typeof DEFAULT_PORTS;

export interface SimulatorSetOptions {
	ports?: Partial<Record<Vendor, number>>;
	/** serve plain HTTP instead of HTTPS */
	plainHttp?: boolean;
	/** a steady trickle of new events on every appliance (ms between events; 0 = none) */
	trickleMs?: number;
	vco?: Partial<VeloCloudSimulatorOptions>;
	illumio?: Partial<IllumioSimulatorOptions>;
	smc?: Partial<ForcepointSmcSimulatorOptions>;
	vrni?: Partial<NetworkInsightSimulatorOptions>;
	vrli?: Partial<LogInsightSimulatorOptions>;
	/** the local syslog, SMTP and webhook sinks (ports, logging) */
	sinks?: SinkSetOptions;
}

export interface SimulatorSet {
	vco: VeloCloudSimulator;
	illumio: IllumioSimulator;
	smc: ForcepointSmcSimulator;
	vrni: NetworkInsightSimulator;
	vrli: LogInsightSimulator;
	sinks: SinkSet;
	/** the CA (PEM) every server certificate chains to; undefined with `plainHttp` */
	ca?: string;
	/** a file holding `ca`, for NODE_EXTRA_CA_CERTS or a credential (removed by `stop()` unless shared) */
	caFile?: string;
	/** base URLs and test credentials, one entry per vendor, and where the sinks listen */
	credentials(): {
		vco: ReturnType<VeloCloudSimulator['credentials']>;
		illumio: ReturnType<IllumioSimulator['credentials']>;
		smc: ReturnType<ForcepointSmcSimulator['credentials']>;
		vrni: ReturnType<NetworkInsightSimulator['credentials']>;
		vrli: ReturnType<LogInsightSimulator['credentials']>;
		sinks: ReturnType<SinkSet['credentials']>;
	};
	stop(): Promise<void>;
}

export async function startSimulators(options: SimulatorSetOptions = {}): Promise<SimulatorSet> {
	const trickleMs = options.trickleMs ?? 0;
	const port = (vendor: Vendor) => options.ports?.[vendor] ?? DEFAULT_PORTS[vendor];
	const set = {
		vco: new VeloCloudSimulator({ trickleMs, ...options.vco }),
		illumio: new IllumioSimulator({ trickleMs, ...options.illumio }),
		smc: new ForcepointSmcSimulator({ trickleMs, ...options.smc }),
		vrni: new NetworkInsightSimulator({ trickleMs, ...options.vrni }),
		vrli: new LogInsightSimulator({ ...options.vrli }),
	};
	const tls = options.plainHttp ? undefined : simulatorTls();
	const { caFile, removeCaFile } = tls ? writeCaFile(tls.ca) : { caFile: undefined, removeCaFile: () => {} };
	const started: Array<{ stop(): Promise<void> }> = [];
	let sinks: SinkSet;
	const stopAll = async () => {
		await Promise.all(started.map((simulator) => simulator.stop()));
		removeCaFile();
	};
	try {
		for (const vendor of Object.keys(set) as Vendor[]) {
			await set[vendor].start(port(vendor), { plainHttp: options.plainHttp, tls });
			started.push(set[vendor]);
		}
		sinks = await startSinks({ plainHttp: options.plainHttp, tls, ...options.sinks });
		started.push(sinks);
	} catch (error) {
		await stopAll();
		throw error;
	}
	return {
		...set,
		sinks,
		ca: tls?.ca,
		caFile,
		credentials: () => ({
			vco: set.vco.credentials(),
			illumio: set.illumio.credentials(),
			smc: set.smc.credentials(),
			vrni: set.vrni.credentials(),
			vrli: set.vrli.credentials(),
			sinks: sinks.credentials(),
		}),
		stop: stopAll,
	};
}

/** The shared CA file when there is one (e2e), else a private copy that lives as long as the set. */
function writeCaFile(ca: string): { caFile: string; removeCaFile: () => void } {
	const shared = sharedSimulatorCaFile();
	if (shared) return { caFile: shared, removeCaFile: () => {} };
	const folder = mkdtempSync(join(tmpdir(), 'netsec-sim-ca-'));
	const caFile = join(folder, 'ca.pem');
	writeFileSync(caFile, ca);
	return { caFile, removeCaFile: () => rmSync(folder, { recursive: true, force: true }) };
}

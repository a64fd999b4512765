/**
 * Starts every simulated appliance together, in-process: the demo, the benchmark and `npm run
 * simulators` use this. Each binds 127.0.0.1 on its default port (override per vendor, 0 = any).
 */
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
	const started: Array<{ stop(): Promise<void> }> = [];
	let sinks: SinkSet;
	try {
		for (const vendor of Object.keys(set) as Vendor[]) {
			await set[vendor].start(port(vendor));
			started.push(set[vendor]);
		}
		sinks = await startSinks(options.sinks);
		started.push(sinks);
	} catch (error) {
		await Promise.all(started.map((simulator) => simulator.stop()));
		throw error;
	}
	return {
		...set,
		sinks: sinks,
		credentials: () => ({
			vco: set.vco.credentials(),
			illumio: set.illumio.credentials(),
			smc: set.smc.credentials(),
			vrni: set.vrni.credentials(),
			vrli: set.vrli.credentials(),
			sinks: sinks.credentials(),
		}),
		stop: async () => {
			await Promise.all(started.map((simulator) => simulator.stop()));
		},
	};
}

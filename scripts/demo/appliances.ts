/**
 * The contract between scripts/demo.ts and a vendor's block: the ports it listens on, and how it starts
 * its simulated appliance (or local sink) with the credentials n8n needs for it. The demo prints and
 * provisions exactly what the blocks start; test/unit/demo/appliances.test.ts restarts every block and
 * checks ids and times never go back, and that every credential type belongs to a node of the package.
 */
import type { WorkflowJson } from '../../test/support/n8n/n8nClient';
import type { SimulatorTls } from '../../test/simulators/common';
import { openSimulatorJournal, type SimulatorJournal } from '../../test/simulators/journal';
import type { PortSpec } from './ports';
import type { DemoCredential } from './provision';

export interface ApplianceContext {
	/** the port the user chose for one of the block's `ports` (by key) */
	port(key: string): number;
	/** the demo's CA and server certificate (kept in .demo/simulator-tls) */
	tls: SimulatorTls;
	/** ms between two new events (0 = none) */
	trickleMs: number;
	/** a folder of .demo/ where the appliance keeps what must outlive a restart */
	stateFolder: string;
}

/** An event as the restart test compares them. */
export interface HeldEvent {
	id: string | number;
	timeMs: number;
}

export interface DemoAppliance {
	/** where it listens, as printed (a URL, or host:port list for a sink) */
	where: string;
	credentials: DemoCredential[];
	/**
	 * For the restart test: add one event now, and every event held (ids and times). 'receives only'
	 * for a sink, which holds no events of its own.
	 */
	history: { addEvent(): void; events(): HeldEvent[] } | 'receives only';
	/** fits a bundled workflow to the demo (e.g. a placeholder URL pointed at this sink) */
	adaptWorkflow?(workflow: WorkflowJson): WorkflowJson;
	stop(): Promise<void>;
}

export interface DemoVendor {
	/** what the demo prints for it */
	title: string;
	ports: PortSpec[];
	start(context: ApplianceContext): Promise<DemoAppliance>;
}

/** A journal in the appliance's state folder, so a restart continues its history (see journal.ts). */
export function journalFor<AddedRecord>(context: ApplianceContext, name: string): SimulatorJournal<AddedRecord> {
	return openSimulatorJournal<AddedRecord>(context.stateFolder, name);
}

/**
 * The monitoring query protocol (smc.md §3): one request frame {query, fetch, format}; answers
 * `success` (with the fetch id), `failure`, progress `status`, `records` (a list on the log socket,
 * {added, updated, deleted} on the session socket) and `end`. Unlike smc-python, updated and deleted
 * session records are kept, each with its operation and delta key.
 */
import { ApplianceError } from '../../shared/errors';
import type { SmcFilter } from './filters';
import { SmcSocketError, type SmcMessage, type SmcSocket } from './socket';

export type QueryKind = 'logs' | 'connections' | 'blockList' | 'routes' | 'users' | 'sslVpnUsers' | 'vpnSas' | 'activeAlerts' | 'neighbors';

export interface QueryKindInfo {
	/** session-monitoring definition; the block list's depends on the SMC version */
	definition?: string;
	socketPath: '/monitoring/log/socket' | '/monitoring/session/socket';
	/** what `target` names: an engine, an admin domain, or nothing (logs) */
	target: 'engine' | 'domain' | 'none';
	/** smc-monitoring's default columns (smc.md §3.2) */
	defaultFieldIds: number[];
}

export const QUERY_KINDS: Readonly<Record<QueryKind, QueryKindInfo>> = {
	logs: { socketPath: '/monitoring/log/socket', target: 'none', defaultFieldIds: [1, 602, 14, 4, 7, 9, 8, 10, 11, 6, 19] },
	connections: { definition: 'CONNECTIONS', socketPath: '/monitoring/session/socket', target: 'engine', defaultFieldIds: [1, 4, 7, 9, 46, 8, 10, 47, 27, 134, 11, 116] },
	blockList: { definition: 'BLOCK_LIST', socketPath: '/monitoring/session/socket', target: 'engine', defaultFieldIds: [1, 128, 118, 120, 11, 127, 4, 38, 117] },
	routes: { definition: 'ROUTING', socketPath: '/monitoring/session/socket', target: 'engine', defaultFieldIds: [1, 13, 113, 47, 164, 160, 161, 165, 163] },
	users: { definition: 'USERS', socketPath: '/monitoring/session/socket', target: 'engine', defaultFieldIds: [1, 3001, 7, 4, 38, 534, 3003] },
	sslVpnUsers: { definition: 'SSLVPNV2', socketPath: '/monitoring/session/socket', target: 'engine', defaultFieldIds: [809, 810, 4, 7, 3001] },
	vpnSas: {
		definition: 'VPN_SA',
		socketPath: '/monitoring/session/socket',
		target: 'engine',
		defaultFieldIds: [1, 4, 501, 502, 505, 3000, 504, 506, 535, 536, 539, 20007, 20008, 11, 12200, 12201, 534],
	},
	activeAlerts: { definition: 'ACTIVE_ALERTS', socketPath: '/monitoring/session/socket', target: 'domain', defaultFieldIds: [1, 602, 14, 4, 7, 8, 27, 11, 9, 10, 1000, 20000] },
	neighbors: { definition: 'NEIGHBORS', socketPath: '/monitoring/session/socket', target: 'engine', defaultFieldIds: [4, 24, 38, 19, 34, 485, 733, 734, 735, 736, 737] },
};

/** smc.md §3.2: an SMC from 7.0 on calls the block list BLOCK_LIST; older ones BLACKLIST. */
export function blockListDefinition(smcVersion: string): 'BLOCK_LIST' | 'BLACKLIST' {
	const [major] = smcVersion.trim().split(/[.\s]/).map(Number);
	return Number.isFinite(major) && major < 7 ? 'BLACKLIST' : 'BLOCK_LIST';
}

export interface FormatSpec {
	/** record keys: "name" (Src, NodeId), "pretty" (Management Client labels) or "id" ("7") */
	fieldFormat: 'name' | 'pretty' | 'id';
	/** only these columns; empty = what the SMC returns */
	fieldIds?: number[];
	/** IANA zone or SMC name for rendered times */
	timezone?: string;
}

export interface LogQuerySpec {
	mode: 'stored' | 'current';
	filter?: SmcFilter;
	/** epoch ms; 0 or absent = open */
	startMs?: number;
	endMs?: number;
	/** stored only: at most this many records */
	maxRecords?: number;
	/** stored only: newest first (the SMC's default) or oldest first */
	newestFirst?: boolean;
	/** Log Server / Management Server hrefs; absent = all */
	servers?: string[];
	format: FormatSpec;
}

export interface SessionQuerySpec {
	definition: string;
	target: string;
	filter?: SmcFilter;
	format: FormatSpec;
}

function formatOf(spec: FormatSpec): Record<string, unknown> {
	const resolving: Record<string, unknown> = { senders: true };
	if (spec.timezone) Object.assign(resolving, { timezone: spec.timezone, time_show_zone: true });
	const format: Record<string, unknown> = { type: 'texts', field_format: spec.fieldFormat, resolving };
	if (spec.fieldIds && spec.fieldIds.length > 0) format.field_ids = spec.fieldIds;
	return format;
}

export function logQueryRequest(spec: LogQuerySpec): SmcMessage {
	const query: Record<string, unknown> = { type: spec.mode, start_ms: spec.startMs ?? 0, end_ms: spec.endMs ?? 0 };
	if (spec.filter) query.filter = spec.filter;
	if (spec.servers && spec.servers.length > 0) query.servers = spec.servers;
	const fetch: Record<string, unknown> = { backwards: spec.newestFirst !== false };
	if (spec.mode === 'stored' && spec.maxRecords !== undefined) fetch.quantity = spec.maxRecords;
	return { query, fetch, format: formatOf(spec.format) };
}

export function sessionQueryRequest(spec: SessionQuerySpec): SmcMessage {
	const query: Record<string, unknown> = { definition: spec.definition, target: spec.target };
	if (spec.filter) query.filter = spec.filter;
	return { query, fetch: {}, format: formatOf(spec.format) };
}

export type RecordOperation = 'added' | 'updated' | 'removed';

/** One record as an output item: the SMC's keys, plus `operation` for session records. */
export type MonitoringRecord = Record<string, unknown> & { operation?: RecordOperation };

const BUCKETS: ReadonlyArray<[string, RecordOperation]> = [
	['added', 'added'],
	['updated', 'updated'],
	['deleted', 'removed'],
];

/** The records a message carries, session deltas tagged with their operation; [] when it carries none. */
export function recordsOf(message: SmcMessage): MonitoringRecord[] {
	const records = message.records;
	if (Array.isArray(records)) return records as MonitoringRecord[];
	if (typeof records !== 'object' || records === null) return [];
	const out: MonitoringRecord[] = [];
	for (const [bucket, operation] of BUCKETS) {
		const list = (records as Record<string, unknown>)[bucket];
		if (!Array.isArray(list)) continue;
		for (const record of list as Array<Record<string, unknown>>) out.push({ operation, ...record });
	}
	return out;
}

export class QueryFailedError extends ApplianceError {
	constructor(failure: string, where: string) {
		super('vendor', `The SMC rejected the ${where}: ${failure}`, {
			description: 'Check the filter (field ids, value types), the target engine or domain and the chosen fields.',
		});
		this.name = 'QueryFailedError';
	}
}

export interface FetchProgress {
	/** the fetch id once the SMC accepted the query */
	fetchId?: number;
	/** true once the SMC sent `end` (stored log queries finish by themselves) */
	ended: boolean;
}

export interface FetchOptions {
	/** what the query is, for messages ("CONNECTIONS query on Plano FW") */
	label: string;
	/** handed every batch of records in order; return true to stop reading */
	onRecords: (records: MonitoringRecord[], progress: FetchProgress) => boolean | void | Promise<boolean | void>;
	/** wait at most this long for any one message (absent = forever, for live queries) */
	messageTimeoutMs?: number;
	/**
	 * Session snapshots have no end marker: after the SMC accepted the query, an empty snapshot is
	 * one where no record comes within `snapshotWaitMs`, and a snapshot is complete once the SMC stays
	 * quiet for `quietMs` after records came (both absent = keep reading, for live queries).
	 */
	snapshotWaitMs?: number;
	quietMs?: number;
}

/**
 * Sends `request` and reads its answers until `end`, until `onRecords` says stop, or until the
 * snapshot goes quiet. The caller closes the socket with `progress.fetchId` so the SMC can abort it.
 */
export async function runFetch(socket: SmcSocket, request: SmcMessage, options: FetchOptions): Promise<FetchProgress> {
	const progress: FetchProgress = { ended: false };
	socket.send(request);
	let sawRecords = false;
	for (;;) {
		const snapshotWait = progress.fetchId === undefined ? undefined : sawRecords ? options.quietMs : options.snapshotWaitMs;
		let message: SmcMessage;
		try {
			message = await socket.next(snapshotWait ?? options.messageTimeoutMs);
		} catch (error) {
			// A quiet snapshot is complete; any other timeout or loss is the caller's error.
			if (snapshotWait !== undefined && error instanceof SmcSocketError && error.failure === 'timeout') return progress;
			throw error;
		}
		if (typeof message.fetch === 'number') progress.fetchId = message.fetch;
		if (typeof message.failure === 'string') throw new QueryFailedError(message.failure, options.label);
		const records = recordsOf(message);
		if (records.length > 0) {
			sawRecords = true;
			if ((await options.onRecords(records, progress)) === true) return progress;
		}
		if (message.end !== undefined) {
			progress.ended = true;
			return progress;
		}
	}
}

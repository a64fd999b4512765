/**
 * What the node and the trigger ask of the SMC, built on the REST client and the websockets: engines
 * by name, a monitoring query run in batch, block-list entries added and removed.
 */
import { isIP } from 'node:net';

import { ApplianceError } from '../../shared/errors';
import type { ElementMeta, ForcepointSmcClient } from './client';
import type { SmcFilter } from './filters';
import {
	blockListDefinition,
	logQueryRequest,
	QUERY_KINDS,
	runFetch,
	sessionQueryRequest,
	type FormatSpec,
	type MonitoringRecord,
	type QueryKind,
} from './monitoring';
import { SmcSocketError, type SmcMessage, type SmcSocket } from './socket';

/** Every engine the session's domain sees (the `engine_clusters` collection). */
export async function listEngines(client: ForcepointSmcClient): Promise<ElementMeta[]> {
	const body = await client.get('elements/engine_clusters');
	const result = Array.isArray(body) ? body : ((body as { result?: unknown[] } | undefined)?.result ?? []);
	return (result as Array<Record<string, unknown>>).map((entry) => ({ href: String(entry.href), name: String(entry.name), type: String(entry.type) }));
}

/** The engine or cluster of that exact name, or a config error listing what exists. */
export async function findEngine(client: ForcepointSmcClient, name: string): Promise<ElementMeta> {
	const wanted = name.trim();
	if (!wanted) throw new ApplianceError('config', 'No engine given', { description: 'Choose the engine or cluster to query.' });
	const [engine] = (await client.findElements('engine_clusters', wanted, true)).filter((candidate) => candidate.name === wanted);
	if (engine) return engine;
	const known = (await listEngines(client)).map((candidate) => candidate.name);
	throw new ApplianceError('config', `The SMC has no engine named "${wanted}"`, {
		description: known.length > 0 ? `Engines in this domain: ${known.join(', ')}.` : 'No engine is visible in the credential\'s admin domain.',
	});
}

export interface MonitoringQuery {
	kind: QueryKind;
	/** engine or cluster name, or admin domain for active alerts; ignored for logs */
	target: string;
	filter?: SmcFilter;
	format: FormatSpec;
	/** at most this many records */
	maxRecords: number;
	/** logs: the stored window (epoch ms) and order */
	window?: { start: number; end: number };
	newestFirst?: boolean;
	/** whole-query deadline */
	timeoutMs: number;
	/** session queries: how long an empty snapshot is waited for, and the quiet gap that ends one */
	snapshotWaitMs: number;
	quietMs: number;
}

/** The request a query sends, resolving the block list's name from the SMC's version. */
export async function monitoringRequest(client: ForcepointSmcClient, query: MonitoringQuery): Promise<{ request: SmcMessage; label: string }> {
	const info = QUERY_KINDS[query.kind];
	if (query.kind === 'logs') {
		return {
			label: 'log query',
			request: logQueryRequest({
				mode: 'stored',
				filter: query.filter,
				startMs: query.window?.start,
				endMs: query.window?.end,
				maxRecords: query.maxRecords,
				newestFirst: query.newestFirst,
				format: query.format,
			}),
		};
	}
	const target = query.target.trim();
	if (!target) throw new ApplianceError('config', `No ${info.target === 'domain' ? 'admin domain' : 'engine'} given for the query`);
	const definition = query.kind === 'blockList' ? blockListDefinition(await client.smcVersion()) : info.definition!;
	return {
		label: `${definition} query on ${target}`,
		request: sessionQueryRequest({ definition, target, filter: query.filter, format: query.format }),
	};
}

/**
 * Runs one query over its own socket (smc.md §3.7) and returns its records, stored logs to their end,
 * session tables as their snapshot; always aborts the fetch and closes the socket.
 */
export async function runMonitoringQuery(client: ForcepointSmcClient, query: MonitoringQuery): Promise<MonitoringRecord[]> {
	const { request, label } = await monitoringRequest(client, query);
	const deadline = new AbortController();
	const timer = setTimeout(() => deadline.abort(), query.timeoutMs);
	const records: MonitoringRecord[] = [];
	let socket: SmcSocket | undefined;
	let fetchId: number | undefined;
	try {
		socket = await client.openSocket(QUERY_KINDS[query.kind].socketPath, { signal: deadline.signal });
		const session = query.kind !== 'logs';
		const progress = await runFetch(socket, request, {
			label,
			onRecords: (batch, seen) => {
				fetchId = seen.fetchId;
				for (const record of batch) {
					if (records.length >= query.maxRecords) return true;
					records.push(record);
				}
				return records.length >= query.maxRecords;
			},
			messageTimeoutMs: query.timeoutMs,
			snapshotWaitMs: session ? query.snapshotWaitMs : undefined,
			quietMs: session ? query.quietMs : undefined,
		});
		fetchId = progress.fetchId;
		return records;
	} catch (error) {
		if (deadline.signal.aborted && error instanceof SmcSocketError) {
			throw new ApplianceError('timeout', `The ${label} did not finish within ${Math.round(query.timeoutMs / 1000)} s`, {
				description: 'Narrow the time window or the filter, lower Max Records, or raise the timeout.',
			});
		}
		throw error;
	} finally {
		clearTimeout(timer);
		await socket?.close(fetchId);
	}
}

// ------------------------------------------------------------------ block list

export interface BlockListEntryInput {
	/** "any", an address or a network (a.b.c.d/nn) */
	source: string;
	destination: string;
	/** seconds; 0 keeps the entry until it is removed */
	duration: number;
	/** "80" or "1000-1500"; empty = any port */
	sourcePorts?: string;
	destinationPorts?: string;
	protocol?: 'tcp' | 'udp';
}

/** smc-python's prepare_block_list: end_point1 is the source, end_point2 the destination. */
export function blockListEntryJson(input: BlockListEntryInput): Record<string, unknown> {
	const endpoint = (address: string, ports: string | undefined, side: string): Record<string, unknown> => {
		const text = address.trim();
		const json: Record<string, unknown> = text.toLowerCase() === 'any' ? { address_mode: 'any' } : { address_mode: 'address', ip_network: network(text, side) };
		const range = portRange(ports, side);
		if (range) Object.assign(json, { port1: range[0], port2: range[1], port_mode: input.protocol === 'udp' ? 'predefined_udp' : 'predefined_tcp' });
		return json;
	};
	if (!Number.isInteger(input.duration) || input.duration < 0) {
		throw new ApplianceError('config', `Duration ${input.duration} is not a whole number of seconds (0 or more)`);
	}
	return {
		end_point1: endpoint(input.source, input.sourcePorts, 'Source'),
		end_point2: endpoint(input.destination, input.destinationPorts, 'Destination'),
		duration: input.duration,
	};
}

function network(text: string, side: string): string {
	const [address, prefix, extra] = text.split('/');
	const family = isIP(address);
	const bits = family === 4 ? 32 : 128;
	const valid = family !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits));
	if (!valid) throw new ApplianceError('config', `${side} "${text}" is not "any", an IP address or a network (10.0.0.0/24)`);
	return prefix === undefined ? `${address}/${bits}` : text;
}

function portRange(text: string | undefined, side: string): [number, number] | undefined {
	const value = (text ?? '').trim();
	if (!value) return undefined;
	const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(value);
	const first = Number(match?.[1]);
	const last = match?.[2] === undefined ? first : Number(match[2]);
	if (!match || first < 1 || last > 65535 || last < first) {
		throw new ApplianceError('config', `${side} ports "${value}" are not a port or a range such as 1000-1500`);
	}
	return [first, last];
}

/** Adds an entry on an engine through its block-list link (`blacklist` below API 7.0). */
export async function addBlockListEntry(client: ForcepointSmcClient, engineName: string, entry: BlockListEntryInput): Promise<ElementMeta> {
	const json = blockListEntryJson(entry);
	const engine = await findEngine(client, engineName);
	const element = (await client.get(engine.href)) as { link?: Array<{ rel?: string; href?: string }> };
	const link = (element.link ?? []).find((candidate) => candidate.rel === 'block_list' || candidate.rel === 'blacklist');
	if (!link?.href) {
		throw new ApplianceError('vendor', `The engine "${engine.name}" offers no block-list command`, {
			description: 'Block lists apply to firewall engines; check the engine type and the API client\'s permissions.',
		});
	}
	await client.post(link.href, { entries: [json] });
	return engine;
}

/** Removes an entry by the href a Block List query returned (block_list_href / blacklist_href). */
export async function deleteBlockListEntry(client: ForcepointSmcClient, href: string): Promise<void> {
	const value = href.trim();
	if (!/\/elements\/[a-z0-9_]+\/\d+\/(block_list|blacklist)\/[^/]+$/.test(value)) {
		throw new ApplianceError('config', `"${value}" is not a block-list entry href`, {
			description: 'Use block_list_href (or blacklist_href) from a Block List query of this node.',
		});
	}
	await client.delete(value);
}

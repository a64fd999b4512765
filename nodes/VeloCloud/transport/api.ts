import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { parseTimestamp } from '../../shared/time';
import { describeJsonShape } from '../../shared/transport';
import type { VeloCloudClient } from './client';

/** A VCO enterprise event, keys in VCO's order, as the API returns it. */
export interface VeloCloudEvent extends IDataObject {
	id: number;
	eventTime: string;
	event: string;
	category: string;
	severity: string;
	message: string;
	detail: string;
	enterpriseUsername: string | null;
	edgeName: string | null;
	segmentName?: string | null;
}

export interface VeloCloudEnterprise extends IDataObject {
	id: number;
	name: string;
}

export type EventFilterField = 'event' | 'edgeName' | 'user' | 'severity' | 'message' | 'detail' | 'segmentName';

export interface EventFilterRule {
	field: EventFilterField;
	op: 'is' | 'isNot' | 'in' | 'notIn' | 'contains' | 'notContains' | 'startsWith' | 'endsWith';
	values: string[];
}

export interface EventQuery {
	/** omitted for an enterprise account: VCO infers it */
	enterpriseId?: number;
	/** epoch ms, inclusive */
	start: number;
	end: number;
	rules?: EventFilterRule[];
	edgeIds?: number[];
	/** rows per request; VCO's default is 2048 */
	pageSize?: number;
	/** what VCO's rules cannot express, applied to the rows it returns */
	accept?: (event: VeloCloudEvent) => boolean;
}

interface EventsPage {
	metaData?: { more?: boolean; nextPageLink?: string; limit?: number };
	data?: VeloCloudEvent[];
}

/** VCO's documented page size for events. */
export const DEFAULT_EVENTS_PAGE_SIZE = 2048;

/** More rows than any orchestrator holds for one enterprise and window: past this, paging is broken. */
const MAX_ROWS_PER_WINDOW = 5_000_000;

function pagingError(what: string): ApplianceError {
	return new ApplianceError('malformed', `VCO paging does not advance: ${what}`, {
		description: 'The orchestrator (or a proxy in front of it) answers every page the same way; narrow the time window, or report it to the VCO operator.',
	});
}

/**
 * The one pagination loop for events: follows `metaData.more` + `nextPageLink` to the end. Orchestrators
 * that say `more` without a link get the window narrowed to the oldest event seen instead (the rows at
 * that exact time are de-duplicated), so nothing past the first page is dropped as the VCO archiver script did.
 */
export async function* getEnterpriseEventsPages(client: VeloCloudClient, query: EventQuery): AsyncGenerator<VeloCloudEvent[]> {
	const limit = query.pageSize ?? DEFAULT_EVENTS_PAGE_SIZE;
	const base: IDataObject = {
		interval: { start: query.start, end: query.end },
		filter: { limit, ...(query.rules && query.rules.length > 0 ? { rules: query.rules } : {}) },
	};
	if (query.enterpriseId !== undefined) base.enterpriseId = query.enterpriseId;
	if (query.edgeIds && query.edgeIds.length > 0) base.edgeId = query.edgeIds;

	let params: IDataObject = base;
	let boundaryIds = new Set<number>();
	// A server that repeats a link or a page would otherwise be followed forever.
	const linksSeen = new Set<string>();
	const pagesSeen = new Set<string>();
	let rowsSeen = 0;
	// The next page is requested before this one is handed on, so the orchestrator works while the
	// caller processes rows: paging costs about the server's time, not server time plus ours.
	let pending: Promise<EventsPage> | undefined = client.call<EventsPage>('event/getEnterpriseEvents', params);
	try {
		while (pending) {
			const result = await pending;
			pending = undefined;
			if (!result || !Array.isArray(result.data)) {
				throw new ApplianceError('malformed', 'VCO answered getEnterpriseEvents without a data list', {
					description: 'An invalid token can cause this on some orchestrators: test the credential.',
				});
			}
			const rows = boundaryIds.size > 0 ? result.data.filter((event) => !boundaryIds.has(event.id)) : result.data;
			const meta = result.metaData ?? {};
			rowsSeen += result.data.length;
			if (rowsSeen > MAX_ROWS_PER_WINDOW) throw pagingError(`more than ${MAX_ROWS_PER_WINDOW} events for one window`);
			if (meta.more) {
				if (result.data.length === 0) throw pagingError('an empty page says there are more events');
				if (meta.nextPageLink) {
					if (linksSeen.has(meta.nextPageLink)) throw pagingError('the same nextPageLink came back twice');
					linksSeen.add(meta.nextPageLink);
					const signature = pageSignature(result.data);
					if (pagesSeen.has(signature)) throw pagingError('the same page of events came back twice');
					pagesSeen.add(signature);
					params = { ...base, nextPageLink: meta.nextPageLink, limit };
				} else {
					// `more` without a link: ask again for what is older than (or as old as) the oldest row seen.
					let oldest = Number.POSITIVE_INFINITY;
					for (const event of result.data) oldest = Math.min(oldest, Date.parse(event.eventTime));
					if (!Number.isFinite(oldest) || oldest >= (params.interval as { end: number }).end) {
						throw new ApplianceError('vendor', 'VCO reports more events but gives no way to page to them', {
							description: 'Narrow the time window so that one page holds it.',
						});
					}
					boundaryIds = new Set(result.data.filter((event) => Date.parse(event.eventTime) === oldest).map((event) => event.id));
					params = { ...base, interval: { start: query.start, end: oldest } };
				}
				pending = client.call<EventsPage>('event/getEnterpriseEvents', params);
			}
			if (rows.length > 0) yield rows;
		}
	} finally {
		// A caller that stops early (a limit reached) leaves a request in flight: let it end quietly.
		pending?.catch(() => undefined);
	}
}

/** Identifies a page by its rows, to notice a server that serves the same page under new links. */
function pageSignature(rows: VeloCloudEvent[]): string {
	return `${rows.length}:${String(rows[0]?.id)}:${String(rows[rows.length - 1]?.id)}:${String(rows[0]?.eventTime)}`;
}

function unexpected(method: string, expected: string, value: unknown): ApplianceError {
	return new ApplianceError('malformed', `VCO answered ${method} with ${describeJsonShape(value)}, not ${expected}`, {
		description: 'The host may not be a VeloCloud Orchestrator, or a proxy answered instead: check the Host in the credential.',
	});
}

function asEnterprise(method: string, value: unknown): VeloCloudEnterprise {
	const candidate = value as VeloCloudEnterprise | undefined;
	if (!candidate || typeof candidate !== 'object' || Array.isArray(candidate) || candidate.id === undefined) {
		throw unexpected(method, 'an enterprise', value);
	}
	return candidate;
}

function asList<T>(method: string, what: string, value: unknown): T[] {
	if (!Array.isArray(value)) throw unexpected(method, `a list of ${what}`, value);
	return value as T[];
}

/** Every enterprise the account sees: its own (enterprise), its customers (partner) or all (operator). */
export async function listEnterprises(client: VeloCloudClient): Promise<VeloCloudEnterprise[]> {
	switch (client.credentials.accountType) {
		case 'operator': {
			const method = 'network/getNetworkEnterprises';
			return asList<unknown>(method, 'enterprises', await client.call(method, {})).map((entry) => asEnterprise(method, entry));
		}
		case 'partner': {
			const method = 'enterpriseProxy/getEnterpriseProxyEnterprises';
			return asList<unknown>(method, 'enterprises', await client.call(method, {})).map((entry) => asEnterprise(method, entry));
		}
		default:
			return [await getEnterprise(client)];
	}
}

export async function getEnterprise(client: VeloCloudClient, enterpriseId?: number): Promise<VeloCloudEnterprise> {
	const method = 'enterprise/getEnterprise';
	return asEnterprise(method, await client.call(method, enterpriseId === undefined ? {} : { enterpriseId }));
}

export async function getEnterpriseEdges(client: VeloCloudClient, enterpriseId?: number): Promise<IDataObject[]> {
	const method = 'enterprise/getEnterpriseEdges';
	return asList<IDataObject>(method, 'edges', await client.call(method, enterpriseId === undefined ? {} : { enterpriseId }));
}

/**
 * The enterprises to read events from: the chosen ids, or every one the account sees. An enterprise
 * account passes no id (VCO infers it), operators and partners must.
 */
export async function resolveEnterprises(client: VeloCloudClient, chosenIds: number[]): Promise<VeloCloudEnterprise[]> {
	const visible = await listEnterprises(client);
	if (chosenIds.length === 0) return visible;
	const byId = new Map(visible.map((enterprise) => [enterprise.id, enterprise]));
	return chosenIds.map((id) => {
		const enterprise = byId.get(id);
		if (!enterprise) {
			throw new ApplianceError('config', `Enterprise ${id} is not one this VeloCloud account can see`, {
				description: `Visible enterprises: ${visible.map((entry) => `${entry.name} (${entry.id})`).join(', ') || 'none'}.`,
			});
		}
		return enterprise;
	});
}

export type TaggedEvent = VeloCloudEvent & { enterpriseId: number; enterpriseName: string };

/** The pages of one enterprise's events for a window, each event checked and tagged with the enterprise. */
async function* enterpriseEventPages(
	client: VeloCloudClient,
	enterprise: VeloCloudEnterprise,
	query: Omit<EventQuery, 'enterpriseId'>,
): AsyncGenerator<TaggedEvent[]> {
	const enterpriseId = client.credentials.accountType === 'enterprise' ? undefined : enterprise.id;
	for await (const page of getEnterpriseEventsPages(client, { ...query, enterpriseId })) {
		const tagged: TaggedEvent[] = [];
		for (const event of page) {
			if (!event || typeof event !== 'object' || Array.isArray(event)) {
				throw unexpected('event/getEnterpriseEvents', 'a list of events', page);
			}
			if (query.accept && !query.accept(event)) continue;
			// The parsed rows are ours: tag them in place rather than copy 10^5 objects.
			tagged.push(Object.assign(event, { enterpriseId: enterprise.id, enterpriseName: enterprise.name }));
		}
		yield tagged;
	}
}

/**
 * The events of the chosen enterprises (or all visible) for a window, a page at a time, in VCO's
 * order: what a trigger reads, so that a window of any size never has to sit in memory at once.
 */
export async function* streamEvents(
	client: VeloCloudClient,
	chosenEnterpriseIds: number[],
	query: Omit<EventQuery, 'enterpriseId'>,
): AsyncGenerator<TaggedEvent[]> {
	for (const enterprise of await resolveEnterprises(client, chosenEnterpriseIds)) {
		yield* enterpriseEventPages(client, enterprise, query);
	}
}

/** Events of one enterprise for a window, each tagged with the enterprise. */
export async function collectEnterpriseEvents(
	client: VeloCloudClient,
	enterprise: VeloCloudEnterprise,
	query: Omit<EventQuery, 'enterpriseId'>,
	newest?: number,
): Promise<TaggedEvent[]> {
	const events: TaggedEvent[] = [];
	// VCO does not document its order; when the pages seen so far are newest first, the newest `newest`
	// events are in hand once that many are read, and the rest of the window need not be downloaded.
	let newestFirst = true;
	let previousOldest = Number.POSITIVE_INFINITY;
	for await (const page of enterpriseEventPages(client, enterprise, query)) {
		for (const event of page) {
			const time = Date.parse(event.eventTime);
			if (!(time <= previousOldest)) newestFirst = false;
			previousOldest = time;
			events.push(event);
		}
		if (newest !== undefined && newestFirst && events.length >= newest) break;
	}
	return events;
}

/** Oldest first, ties by id: the order archives and SIEMs expect. Each time is parsed once. */
export function sortByEventTime<T extends { eventTime: string; id: number }>(events: T[]): T[] {
	return events
		.map((event) => ({ time: Date.parse(event.eventTime), event }))
		.sort((a, b) => a.time - b.time || a.event.id - b.event.id)
		.map((entry) => entry.event);
}

/** Events of the chosen enterprises (or all visible) for a window, every page followed, oldest first (or only the newest `newest`). */
export async function collectEvents(
	client: VeloCloudClient,
	chosenEnterpriseIds: number[],
	query: Omit<EventQuery, 'enterpriseId'>,
	newest?: number,
): Promise<TaggedEvent[]> {
	const events = [];
	for (const enterprise of await resolveEnterprises(client, chosenEnterpriseIds)) {
		// A loop, not push(...rows): spreading 10^5 rows as arguments overflows the call stack.
		for (const event of await collectEnterpriseEvents(client, enterprise, query, newest)) events.push(event);
	}
	const sorted = sortByEventTime(events);
	return newest === undefined ? sorted : sorted.slice(-newest);
}

/** An event's identity across polls: its enterprise and VCO id, or its content when VCO gave no id. */
export function eventKey(event: IDataObject): string {
	if (event.id !== undefined && event.id !== null && event.id !== '') return `${String(event.enterpriseId)}:${String(event.id)}`;
	return `${String(event.enterpriseId)}:sha1:${createHash('sha1').update(JSON.stringify(event)).digest('hex')}`;
}

/** An event's time in epoch ms (ISO text, naive UTC text or epoch numbers), NaN when unreadable. */
export function eventTime(event: IDataObject): number {
	return parseTimestamp(event.eventTime)?.getTime() ?? Number.NaN;
}

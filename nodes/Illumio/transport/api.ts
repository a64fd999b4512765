import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { describeJsonShape, headerValues, parseRetryAfter } from '../../shared/transport';
import { collectAsyncJob, type AsyncJob } from './asyncJob';
import type { IllumioClient } from './client';
import { apiPath, eventsQueryParameters, SYNC_MAX_RESULTS, totalCount, type EventQuery, type IllumioEvent } from './events';

/**
 * The most events one async job is asked for: a larger window is split (by counts) into parts of at
 * most this many, one job each, so every datafile stays a bounded answer (about 25 MB).
 */
export const ASYNC_JOB_MAX_EVENTS = 30_000;

/** A datafile of ASYNC_JOB_MAX_EVENTS events is far below this; a larger one is refused unread. */
const DATAFILE_MAX_BYTES = 256 * 1024 * 1024;

/** Count requests one split may make (a window split in halves needs about log2(total / part) each). */
const MAX_SPLIT_COUNTS = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function asEvents(body: unknown, label: string): IllumioEvent[] {
	if (!Array.isArray(body)) {
		throw new ApplianceError('malformed', `The PCE answered ${label} with ${describeJsonShape(body)} instead of a list of events`);
	}
	return body as IllumioEvent[];
}

/** The key of an event for the cursor: its href, unique per PCE. */
export const eventKey = (event: IDataObject): string => String(event.href);

/** The event's time in epoch ms (NaN when unreadable). */
export const eventTime = (event: IDataObject): number => Date.parse(String(event.timestamp));

/**
 * Oldest first, ties by href: the order archives, SIEMs and the cursor expect. The PCE answers newest
 * first, so mostly this is a reversal; otherwise an index sort (each time parsed once, no wrapper per event).
 */
export function oldestFirst(events: IllumioEvent[]): IllumioEvent[] {
	const times = Float64Array.from(events, eventTime);
	let newestFirst = true;
	for (let index = 1; index < times.length && newestFirst; index++) {
		const previous = times[index - 1];
		const current = times[index];
		newestFirst = previous > current || (previous === current && events[index - 1].href > events[index].href);
	}
	if (newestFirst) return events.reverse();
	const order = Uint32Array.from(events, (_, index) => index).sort(
		(a, b) => times[a] - times[b] || (events[a].href < events[b].href ? -1 : events[a].href > events[b].href ? 1 : 0),
	);
	return Array.from(order, (index) => events[index]);
}

/** One synchronous page: the newest `maxResults` events of the query, and how many match in all. */
export async function getEventsPage(client: IllumioClient, query: EventQuery, maxResults: number): Promise<{ events: IllumioEvent[]; total?: number }> {
	const answer = await client.get<unknown>('the events', `${client.orgPath}/events`, { query: eventsQueryParameters(query, maxResults) });
	return { events: asEvents(answer.body, 'the events'), total: totalCount(answer.headers) };
}

/** How many events match, without reading them (`max_results=0` + `X-Total-Count`, as illumio-py counts). */
export async function countEvents(client: IllumioClient, query: EventQuery): Promise<number | undefined> {
	return (await getEventsPage(client, query, 0)).total;
}

/**
 * Every event of the query through the PCE's async collection: `Prefer: respond-async` → 202 with the
 * job's Location and Retry-After → the job polled until done → its datafile downloaded.
 */
export async function collectEventsAsync(client: IllumioClient, query: EventQuery): Promise<IllumioEvent[]> {
	const accepted = await client.get<unknown>('the async event collection', `${client.orgPath}/events`, {
		query: eventsQueryParameters(query),
		headers: { prefer: 'respond-async' },
	});
	// A PCE that answers at once with the list has nothing to wait for.
	if (accepted.status !== 202) return asEvents(accepted.body, 'the async event collection');
	const location = headerValues(accepted.headers, 'location')[0];
	if (!location) {
		throw new ApplianceError('vendor', 'The PCE accepted the async event collection (202) without a Location to follow', {
			description: 'Run again; if it repeats, ask for a narrower time window (up to 10,000 events come without a job).',
		});
	}
	return await collectAsyncJob<IllumioEvent[]>(
		{
			getJob: async (href) => {
				const answer = await client.get<AsyncJob>('the async job', apiPath(href));
				return { job: answer.body ?? {}, retryAfterMs: parseRetryAfter(headerValues(answer.headers, 'retry-after')[0]) };
			},
			getDatafile: async (href) => {
				const answer = await client.get<unknown>('the datafile of the async job', apiPath(href), {
					notFoundIsEmpty: true,
					maxResponseBytes: DATAFILE_MAX_BYTES,
				});
				return answer.status === 404 ? undefined : asEvents(answer.body, 'the datafile of the async job');
			},
			wait: async (ms) => await client.pause(ms),
			now: () => Date.now(),
		},
		{ jobHref: location, retryAfterMs: parseRetryAfter(headerValues(accepted.headers, 'retry-after')[0]) },
		client.asyncLimits,
	);
}

export interface WindowPart {
	start: number;
	end: number;
	/** events the part held when counted */
	count: number;
}

/**
 * Splits [start, end] (inclusive, ms) holding `total` events into consecutive parts of at most `max`
 * events, halving a part while it holds more: `count` tells how many events a sub-window holds. A
 * single millisecond is never split, whatever it holds. Bounded in count requests.
 */
export async function splitWindowByCount(
	count: (start: number, end: number) => Promise<number>,
	window: { start: number; end: number; total: number },
	max: number,
): Promise<WindowPart[]> {
	const parts: WindowPart[] = [];
	const pending: WindowPart[] = [{ start: window.start, end: window.end, count: window.total }];
	for (let requests = 0; pending.length > 0; ) {
		const part = pending.pop()!;
		if (part.count <= max || part.end <= part.start || requests >= MAX_SPLIT_COUNTS) {
			parts.push(part);
			continue;
		}
		const middle = Math.floor((part.start + part.end) / 2);
		const left = await count(part.start, middle);
		requests++;
		// Later parts go on the stack first, so parts come out oldest first.
		pending.push({ start: middle + 1, end: part.end, count: Math.max(0, part.count - left) }, { start: part.start, end: middle, count: left });
	}
	return parts;
}

/**
 * The one collection loop for events: the events of a query, oldest first, at most `limit` (the
 * newest ones when there are more). Up to 10,000 come in one synchronous page; a window that holds more
 * goes through the async collection, in parts of at most ASYNC_JOB_MAX_EVENTS events (one job each), so
 * nothing past the first page is dropped (illumio-pretty-cool-events read 100) and no answer is unbounded.
 */
export async function listEvents(client: IllumioClient, query: EventQuery, limit = Number.POSITIVE_INFINITY): Promise<IllumioEvent[]> {
	if (limit <= 0) return [];
	if (limit > SYNC_MAX_RESULTS) {
		// Count first, so a large window goes straight to the async jobs without a wasted page.
		const total = await countEvents(client, query);
		if (total !== undefined && total > SYNC_MAX_RESULTS) return (await collectLargeWindow(client, query, total)).slice(-limit);
	}
	const page = await getEventsPage(client, query, Math.min(limit, SYNC_MAX_RESULTS));
	if (page.events.length >= limit || page.total === undefined || page.total <= page.events.length) return oldestFirst(page.events);
	// More matched than one page holds (events arrived since the count, or the PCE capped the page).
	return (await collectLargeWindow(client, query, page.total)).slice(-limit);
}

/** A window over the synchronous limit: split by counts, each part through its own async job (or a page when small). */
async function collectLargeWindow(client: IllumioClient, query: EventQuery, total: number): Promise<IllumioEvent[]> {
	if (query.start === undefined || query.end === undefined) return oldestFirst(await collectEventsAsync(client, query));
	const parts = await splitWindowByCount(
		async (start, end) => (await countEvents(client, { ...query, start, end })) ?? 0,
		{ start: query.start, end: query.end, total },
		ASYNC_JOB_MAX_EVENTS,
	);
	const events: IllumioEvent[] = [];
	for (const part of parts) {
		if (part.count === 0) continue;
		const partQuery = { ...query, start: part.start, end: part.end };
		const page = part.count <= SYNC_MAX_RESULTS ? await getEventsPage(client, partQuery, SYNC_MAX_RESULTS) : undefined;
		const found = page && page.total !== undefined && page.total <= page.events.length ? page.events : await collectEventsAsync(client, partQuery);
		for (const event of found) events.push(event);
	}
	return oldestFirst(events);
}

/** `/orgs/1/events/<uuid>`, `/api/v2/orgs/1/events/<uuid>` or a bare UUID (in the credential's org). */
export function eventPath(client: IllumioClient, hrefOrUuid: string): string {
	const value = hrefOrUuid.trim();
	if (UUID.test(value)) return `${client.orgPath}/events/${value.toLowerCase()}`;
	const href = /^(?:\/api\/v2)?(\/orgs\/\d+\/events\/[0-9a-f-]{36})\/?$/i.exec(value);
	if (href && UUID.test(href[1].split('/').pop()!)) return `/api/v2${href[1]}`;
	throw new ApplianceError('config', `"${value}" is neither an event href nor an event UUID`, {
		description: 'Give the event as its href (/orgs/1/events/…) or its UUID, e.g. from an Illumio Trigger item.',
	});
}

export async function getEvent(client: IllumioClient, hrefOrUuid: string): Promise<IllumioEvent> {
	const answer = await client.get<unknown>('that event', eventPath(client, hrefOrUuid));
	const event = answer.body as IllumioEvent | undefined;
	if (!event || typeof event !== 'object' || Array.isArray(event) || typeof event.href !== 'string') {
		throw new ApplianceError('malformed', `The PCE answered the event request with ${describeJsonShape(answer.body)} instead of an event`);
	}
	return event;
}

/** A small org-scoped resource (as illumio-py checks an org): proves the key, the org and the connection. */
export async function checkOrgAccess(client: IllumioClient): Promise<void> {
	const { orgId, baseUrl } = client.credentials;
	try {
		await client.get<unknown>(`org ${orgId}'s workload settings`, `${client.orgPath}/settings/workloads`);
	} catch (error) {
		if (error instanceof ApplianceError && error.kind === 'not-found') {
			throw new ApplianceError('not-found', `Org ${orgId} does not exist on ${baseUrl} (${error.message})`, {
				status: error.details.status,
				vendorCode: error.details.vendorCode,
				description: 'Check the Org ID: the PCE shows it with the API key.',
			});
		}
		throw error;
	}
}

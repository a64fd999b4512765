import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { chunkByCountAndBytes } from '../../shared/node/batching';
import type { TimeWindow } from '../../shared/trigger/cursor';
import { entityItem, type SearchResult } from '../flows';
import type { NetworkInsightClient, SearchPage, SearchRequest } from './client';

/** `/entities/fetch` takes at most 1,000 ids. */
export const MAX_FETCH_IDS = 1000;
/** A search is never followed past this many pages, whatever the cursors say. */
const MAX_PAGES = 100_000;

export interface SearchOptions {
	entityType: string;
	filter: string;
	/** epoch ms, both inclusive; undefined leaves the period to vRNI (its default is the last 24 hours) */
	window?: TimeWindow;
	pageSize: number;
	/** stop after this many results (Infinity: all) */
	limit: number;
}

/** One page of results with the entities fetched for them, in the same order; a result vRNI had no details for has none. */
export interface DetailedPage {
	results: SearchResult[];
	entities: Array<IDataObject | undefined>;
	totalCount?: number;
}

function firstRequest(options: SearchOptions): SearchRequest {
	const request: SearchRequest = { entity_type: options.entityType, size: options.pageSize };
	if (options.filter !== '') request.filter = options.filter;
	if (options.window) request.time_range = { start_time: Math.floor(options.window.start / 1000), end_time: Math.floor(options.window.end / 1000) };
	return request;
}

/**
 * The search's pages, the cursor followed to the end (or to `limit`), each page's entities fetched in
 * bulk while the next page is already being asked for. A cursor vRNI repeats ends the search with an
 * error rather than a loop.
 */
export async function* searchWithDetails(
	client: NetworkInsightClient,
	options: SearchOptions,
	{ details }: { details: boolean } = { details: true },
): AsyncGenerator<DetailedPage> {
	const request = firstRequest(options);
	const seenCursors = new Set<string>();
	let remaining = options.limit;
	let next: Promise<SearchPage> | undefined = client.search(request);
	for (let pages = 0; next && remaining > 0; pages++) {
		const page: SearchPage = await next;
		next = undefined;
		const cursor = page.cursor ?? undefined;
		const results = page.results.slice(0, Math.min(page.results.length, remaining));
		remaining -= results.length;
		if (cursor && remaining > 0 && page.results.length > 0) {
			if (seenCursors.has(cursor) || pages + 1 >= MAX_PAGES) {
				throw new ApplianceError('malformed', `vRNI kept returning more pages (${pages + 1}) for the search`, { description: 'Narrow the time window or the filter.' });
			}
			seenCursors.add(cursor);
			next = client.search({ ...request, cursor });
			// Awaited on the next turn; a failure must not surface as unhandled meanwhile.
			next.catch(() => undefined);
		}
		yield { results, entities: details ? await fetchDetails(client, results) : [], totalCount: page.total_count };
	}
}

/** The entities of `results`, in order, fetched in chunks of 1,000; missing ones stay undefined. */
export async function fetchDetails(client: NetworkInsightClient, results: readonly SearchResult[]): Promise<Array<IDataObject | undefined>> {
	const byKey = new Map<string, IDataObject>();
	for (const chunk of chunkByCountAndBytes(results, { maxCount: MAX_FETCH_IDS, maxBytes: Number.POSITIVE_INFINITY, sizeOf: () => 0 })) {
		for (const fetched of await client.fetchEntities(chunk)) {
			if (fetched?.entity && typeof fetched.entity === 'object') byKey.set(`${fetched.entity_id}@${String(fetched.time ?? '')}`, fetched.entity);
			if (fetched?.entity && !byKey.has(fetched.entity_id)) byKey.set(fetched.entity_id, fetched.entity);
		}
	}
	return results.map((result) => byKey.get(`${result.entity_id}@${result.time}`) ?? byKey.get(result.entity_id));
}

/**
 * The items of a page: each entity with its result's time; without details, the results themselves. A
 * result vRNI returned no details for is still an item, marked detailsMissing, never dropped.
 */
export function pageItems(page: DetailedPage, details = true): IDataObject[] {
	return page.results.map((result, position) => {
		if (!details) return { ...result };
		const entity = page.entities[position];
		return entity ? entityItem(result, entity) : { ...result, detailsMissing: true };
	});
}

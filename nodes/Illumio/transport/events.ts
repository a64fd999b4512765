import type { IDataObject } from 'n8n-workflow';

import type { IllumioSeverity } from '../eventFilters';

/** The most events a synchronous GET returns; beyond it the PCE needs an async collection. */
export const SYNC_MAX_RESULTS = 10_000;

/** A PCE audit event; the fields the nodes rely on, the rest passed through as the PCE sends it. */
export interface IllumioEvent extends IDataObject {
	href: string;
	timestamp: string;
	event_type: string;
	status?: string;
	severity?: string;
}

export interface EventQuery {
	/** epoch ms, inclusive; omitted = no lower bound */
	start?: number;
	/** epoch ms, inclusive; omitted = no upper bound */
	end?: number;
	/** exact event types (the PCE does not take wildcards); ORed */
	eventTypes?: readonly string[];
	severities?: readonly IllumioSeverity[];
	status?: 'success' | 'failure';
}

/** RFC 3339 with milliseconds in UTC, as the PCE writes its own timestamps. */
export function toRfc3339(epochMs: number): string {
	return new Date(epochMs).toISOString();
}

/**
 * The query string of `GET /orgs/{org}/events`. Repeated `event_type` / `severity` values are ORed by
 * the PCE; a filter that lists every severity is left out (it filters nothing).
 */
export function eventsQueryParameters(query: EventQuery, maxResults?: number): Record<string, string | number | string[]> {
	const parameters: Record<string, string | number | string[]> = {};
	if (query.start !== undefined) parameters['timestamp[gte]'] = toRfc3339(query.start);
	if (query.end !== undefined) parameters['timestamp[lte]'] = toRfc3339(query.end);
	if (query.eventTypes && query.eventTypes.length > 0) parameters.event_type = [...query.eventTypes];
	if (query.severities && query.severities.length > 0 && query.severities.length < 8) parameters.severity = [...query.severities];
	if (query.status) parameters.status = query.status;
	if (maxResults !== undefined) parameters.max_results = maxResults;
	return parameters;
}

/** `X-Total-Count`, read case-insensitively (Illumio's advice); undefined when absent or unreadable. */
export function totalCount(headers: IDataObject): number | undefined {
	for (const [name, value] of Object.entries(headers)) {
		if (name.toLowerCase() !== 'x-total-count') continue;
		const count = Number(Array.isArray(value) ? value[0] : value);
		return Number.isInteger(count) && count >= 0 ? count : undefined;
	}
	return undefined;
}

/**
 * The PCE's error body `[{"token":"...","message":"..."}]` (sometimes `[{"error":"..."}]`) as one line,
 * token first so a user can look it up; undefined when the body is something else.
 */
export function describeIllumioError(body: unknown): { token?: string; text: string } | undefined {
	const entries = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
	const parts: string[] = [];
	let token: string | undefined;
	for (const entry of entries as IDataObject[]) {
		if (!entry || typeof entry !== 'object') continue;
		const entryToken = typeof entry.token === 'string' ? entry.token : undefined;
		const message = typeof entry.message === 'string' ? entry.message : typeof entry.error === 'string' ? entry.error : undefined;
		if (!entryToken && !message) continue;
		token ??= entryToken;
		parts.push(entryToken && message ? `${entryToken}: ${message}` : (entryToken ?? message)!);
	}
	return parts.length > 0 ? { token, text: parts.join('; ') } : undefined;
}

/** `/orgs/1/jobs/x`, `/api/v2/orgs/1/jobs/x` or a full URL, as the path under the PCE's base URL. */
export function apiPath(hrefOrUrl: string): string {
	let path = hrefOrUrl.trim();
	if (/^https?:\/\//i.test(path)) path = new URL(path).pathname;
	return path.startsWith('/api/') ? path : `/api/v2${path.startsWith('/') ? '' : '/'}${path}`;
}

/**
 * What the trigger listens to: element changes on the Notification socket, or a live log query. Each
 * source starts on a fresh socket (subscriptions or the query sent again after every reconnect),
 * turns messages into items, and closes its socket the way the SMC expects.
 */
import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { runMonitoringQuery, type ForcepointSmcClient } from '../transport';
import type { SmcFilter } from '../transport/filters';
import { logQueryRequest, QueryFailedError, recordsOf, type FormatSpec } from '../transport/monitoring';
import { changesOf, subscribe } from '../transport/notifications';
import { SmcSocketError, type SmcMessage, type SmcSocket } from '../transport/socket';
import type { StartedStream, StreamGap } from '../transport/stream';

export interface TriggerSource {
	start(signal: AbortSignal): Promise<StartedStream>;
	/** the items a message carries ([] for acknowledgements and progress) */
	toItems(message: SmcMessage): Promise<IDataObject[]>;
	close(socket: SmcSocket): Promise<void>;
	/** items that fill a gap after a reconnect, if the source can */
	backfill?(gap: StreamGap): Promise<IDataObject[]>;
}

const ACK_TIMEOUT_MS = 15_000;

export interface ElementChangeSettings {
	/** entry points to watch, one subscription each; empty = every element ("*") */
	entryPoints: string[];
	/** actions to pass; empty = all */
	actions: string[];
	includeElement: boolean;
}

export function elementChangeSource(client: ForcepointSmcClient, settings: ElementChangeSettings): TriggerSource {
	let contexts = new Map<number, string>();
	let checked = false;
	return {
		async start(signal) {
			if (!checked && settings.entryPoints.length > 0) {
				// Named up front: the SMC's own refusal does not say which entry points it knows.
				const known = new Set((await client.listEntryPoints()).map((entry) => entry.rel));
				const unknown = settings.entryPoints.filter((name) => !known.has(name));
				if (unknown.length > 0) {
					throw new ApplianceError('config', `The SMC has no entry point ${unknown.map((name) => `"${name}"`).join(', ')}`, {
						description: 'Choose entry points from the list the SMC offers (host, network, single_fw…), or none for every element.',
					});
				}
				checked = true;
			}
			const socket = await client.openSocket('/notification/socket', { signal });
			let started = false;
			try {
				const subscribed = await subscribe(socket, settings.entryPoints.length > 0 ? settings.entryPoints : ['*'], ACK_TIMEOUT_MS);
				contexts = subscribed.contexts;
				started = true;
				return { socket, pending: subscribed.early };
			} finally {
				if (!started) await socket.close();
			}
		},
		async toItems(message) {
			const items: IDataObject[] = [];
			for (const change of changesOf(message, contexts)) {
				if (settings.actions.length > 0 && !settings.actions.includes(change.action)) continue;
				const item: IDataObject = { ...change, receivedAt: new Date().toISOString() };
				if (settings.includeElement && change.action !== 'delete') {
					try {
						item.elementData = (await client.get(change.element)) as IDataObject;
					} catch (error) {
						// The element may be gone already (deleted right after the change): say so, keep the change.
						item.elementError = error instanceof Error ? error.message : String(error);
					}
				}
				items.push(item);
			}
			return items;
		},
		close: async (socket) => await socket.close(),
	};
}

export interface LiveLogSettings {
	filter?: SmcFilter;
	format: FormatSpec;
	backfillGaps: boolean;
	/** most records one backfill reads */
	backfillLimit: number;
}

export function liveLogSource(client: ForcepointSmcClient, settings: LiveLogSettings): TriggerSource {
	const fetchIds = new WeakMap<SmcSocket, number>();
	return {
		async start(signal) {
			const socket = await client.openSocket('/monitoring/log/socket', { signal });
			let started = false;
			try {
				socket.send(logQueryRequest({ mode: 'current', filter: settings.filter, format: settings.format }));
				const pending: SmcMessage[] = [];
				for (;;) {
					const message = await socket.next(ACK_TIMEOUT_MS);
					if (typeof message.failure === 'string') throw new QueryFailedError(message.failure, 'live log query');
					if (typeof message.fetch === 'number') fetchIds.set(socket, message.fetch);
					if (message.success !== undefined) {
						started = true;
						return { socket, pending };
					}
					pending.push(message);
				}
			} finally {
				if (!started) await socket.close(fetchIds.get(socket));
			}
		},
		async toItems(message) {
			if (typeof message.failure === 'string') throw new QueryFailedError(message.failure, 'live log query');
			// A live query has no end of its own: the SMC stopped it, so start it again.
			if (message.end !== undefined) throw new SmcSocketError('closed', `The SMC ended the live log query (${String(message.end)})`);
			return recordsOf(message) as IDataObject[];
		},
		close: async (socket) => await socket.close(fetchIds.get(socket)),
		backfill: settings.backfillGaps
			? async (gap) => {
					const records = await runMonitoringQuery(client, {
						kind: 'logs',
						target: '',
						filter: settings.filter,
						format: settings.format,
						maxRecords: settings.backfillLimit,
						window: { start: gap.from, end: gap.to },
						newestFirst: false,
						timeoutMs: 120_000,
						snapshotWaitMs: 0,
						quietMs: 0,
					});
					return records.map((record) => ({ ...record, backfill: true }));
				}
			: undefined,
	};
}

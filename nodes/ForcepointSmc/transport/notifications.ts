/**
 * The Notification socket (smc.md §4): subscriptions sent one at a time, each waiting for its
 * acknowledgement (so ids map to contexts without guessing), and events in both forms: API 6.5's
 * `events` list and 6.6+'s single `event`.
 */
import { ApplianceError } from '../../shared/errors';
import type { SmcMessage, SmcSocket } from './socket';

export const NOTIFICATION_ACTIONS = ['create', 'update', 'delete', 'trashed', 'untrashed', 'validating', 'validated'] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];

export interface ElementChange {
	subscriptionId: number;
	/** what the subscription asked for ("*" or "host,network") */
	context: string;
	action: string;
	/** the element's href */
	element: string;
	/** the entry point the element belongs to, read from its href */
	entryPoint: string;
	elementId?: number;
}

export class SubscriptionError extends ApplianceError {
	constructor(context: string, failure: string) {
		super('vendor', `The SMC refused the subscription to "${context}": ${failure}`, {
			description: 'Choose entry points the SMC lists (they load into the Entry Points option), or All.',
		});
		this.name = 'SubscriptionError';
	}
}

export interface Subscriptions {
	/** subscription id → context */
	contexts: Map<number, string>;
	/** event messages that arrived while later subscriptions were still being acknowledged */
	early: SmcMessage[];
}

/** Subscribes to each context in turn; an empty list or "*" means every element. */
export async function subscribe(socket: SmcSocket, contexts: string[], ackTimeoutMs: number): Promise<Subscriptions> {
	const result: Subscriptions = { contexts: new Map(), early: [] };
	for (const context of contexts) {
		socket.send({ context });
		for (;;) {
			const message = await socket.next(ackTimeoutMs);
			if (typeof message.failure === 'string') throw new SubscriptionError(context, message.failure);
			if (message.success !== undefined && typeof message.subscription_id === 'number') {
				result.contexts.set(message.subscription_id, context);
				break;
			}
			result.early.push(message);
		}
	}
	return result;
}

/** The element changes a message carries ([] for anything else). */
export function changesOf(message: SmcMessage, contexts: ReadonlyMap<number, string>): ElementChange[] {
	const events = Array.isArray(message.events) ? message.events : message.event !== undefined ? [message.event] : [];
	const subscriptionId = typeof message.subscription_id === 'number' ? message.subscription_id : -1;
	const changes: ElementChange[] = [];
	for (const event of events as Array<Record<string, unknown>>) {
		if (typeof event !== 'object' || event === null || typeof event.element !== 'string') continue;
		const match = /\/elements\/([a-z0-9_]+)(?:\/(\d+))?/.exec(event.element);
		changes.push({
			subscriptionId,
			context: contexts.get(subscriptionId) ?? '',
			action: String(event.type ?? ''),
			element: event.element,
			entryPoint: match?.[1] ?? '',
			elementId: match?.[2] === undefined ? undefined : Number(match[2]),
		});
	}
	return changes;
}

import type { IDataObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import type { PollOptions } from '../../shared/trigger/pollTrigger';
import { eventTime } from '../transport/api';
import { routeEvents, type RouteOptions } from './route';
import type { ThrottleState } from './throttle';
import { compileWatchers, type Watcher, type WatcherSpec } from './watchers';

export interface TriggerOptions extends PollOptions {
	emitUnmatched?: boolean;
	groupMin?: number;
}

/** The watchers and routing options the parameters describe; no watcher at all emits every event. */
export function readRouting(specs: readonly WatcherSpec[], options: TriggerOptions): { watchers: Watcher[]; options: RouteOptions } {
	const groupMin = options.groupMin ?? 0;
	if (typeof groupMin !== 'number' || !Number.isInteger(groupMin) || groupMin < 0) {
		throw new ApplianceError('config', `Group Same-Type Events (Minimum) must be 0 (off) or a whole number of 2 or more, not ${String(groupMin)}`, {
			description: 'With K, a poll that finds K or more events of one type for the same watchers emits one summary item for them.',
		});
	}
	const watchers = compileWatchers(specs);
	return { watchers, options: { emitUnmatched: watchers.length === 0 || options.emitUnmatched === true, groupMin } };
}

/**
 * How the trigger presents a batch of new events: routed by the watchers from the throttle state the
 * last confirmed batch left. The cursor keeps the new state with the batch and commits it only when the
 * batch's execution succeeded, so a batch delivered again after a failed execution gets the same decisions.
 */
export function routedPresentation(routing: { watchers: Watcher[]; options: RouteOptions }) {
	return (batch: IDataObject[], state: IDataObject | undefined): { items: IDataObject[]; state: IDataObject } => {
		const result = routeEvents(batch, routing.watchers, routing.options, state as ThrottleState | undefined, eventTime);
		return { items: result.items, state: result.throttle as unknown as IDataObject };
	};
}

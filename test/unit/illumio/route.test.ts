import type { IDataObject } from 'n8n-workflow';

import { routeEvents, type RouteOptions } from '../../../nodes/Illumio/trigger/route';
import { MAX_THROTTLE_ENTRIES, resourceOf, Throttle, type ThrottleState } from '../../../nodes/Illumio/trigger/throttle';
import { compileWatchers, type WatcherSpec } from '../../../nodes/Illumio/trigger/watchers';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');
const MINUTE = 60_000;
let serial = 0;

function event(event_type: string, atMinute: number, extra: IDataObject = {}): IDataObject {
	serial++;
	return {
		href: `/orgs/1/events/${String(serial).padStart(8, '0')}-0000-4000-8000-000000000000`,
		timestamp: new Date(T0 + atMinute * MINUTE).toISOString(),
		event_type,
		status: 'success',
		severity: 'info',
		pce_fqdn: 'pce.example.com',
		org_id: 1,
		...extra,
	};
}

const timeOf = (item: IDataObject) => Date.parse(String(item.timestamp));
const route = (events: IDataObject[], specs: WatcherSpec[], state?: ThrottleState, options: Partial<RouteOptions> = {}) =>
	routeEvents(events, compileWatchers(specs), { emitUnmatched: false, groupMin: 0, ...options }, state, timeOf);

describe('Illumio trigger routing', () => {
	it('tags each event with the watchers it matched and drops the rest unless asked', () => {
		const events = [event('user.login', 0), event('workload.update', 1), event('label.delete', 2)];
		const specs = [
			{ name: 'Users', eventTypes: 'user.*' },
			{ name: 'Deletes', eventTypes: '*.delete' },
		];
		const dropped = route(events.map((entry) => ({ ...entry })), specs);
		expect(dropped.items.map((item) => [item.event_type, item.watchers])).toEqual([
			['user.login', ['Users']],
			['label.delete', ['Deletes']],
		]);
		expect(dropped.counts).toEqual({ matched: 2, unmatched: 1, suppressed: 0, grouped: 0 });
		const kept = route(events, specs, undefined, { emitUnmatched: true });
		expect(kept.items.map((item) => item.watchers)).toEqual([['Users'], [], ['Deletes']]);
		expect(kept.items[1]).toMatchObject({ href: events[1].href, suppressedCount: 0 });
		expect(kept.items[1].suppressedByWatcher).toBeUndefined();
	});

	it('throttles per watcher and event type, counting the suppressed into the next item', () => {
		const specs = [{ name: 'Logins', eventTypes: 'user.login', throttleMinutes: 10 }];
		const first = route([event('user.login', 0), event('user.login', 1), event('user.login', 2), event('user.login', 9)], specs);
		expect(first.items).toHaveLength(1);
		expect(first.items[0]).toMatchObject({ suppressedCount: 0, watchers: ['Logins'] });
		expect(first.counts.suppressed).toBe(3);

		// The next poll, from the kept state: still inside the window, then past it.
		const second = route([event('user.login', 9.5), event('user.login', 10), event('user.login', 11)], specs, first.throttle);
		expect(second.items).toHaveLength(1);
		expect(second.items[0]).toMatchObject({ timestamp: new Date(T0 + 10 * MINUTE).toISOString(), suppressedCount: 4, suppressedByWatcher: { Logins: 4 } });

		// Another event type has its own window.
		const other = route([event('user.logout', 10.5)], [{ name: 'Logins', eventTypes: 'user.*', throttleMinutes: 10 }], second.throttle);
		expect(other.items).toHaveLength(1);
	});

	it('throttles each watcher on its own: an item keeps the watchers that let it through', () => {
		const specs = [
			{ name: 'Quiet', eventTypes: 'user.*', throttleMinutes: 60 },
			{ name: 'Loud', eventTypes: 'user.*' },
		];
		const result = route([event('user.login', 0), event('user.login', 1)], specs);
		expect(result.items.map((item) => item.watchers)).toEqual([['Quiet', 'Loud'], ['Loud']]);
		expect(result.counts.suppressed).toBe(0);
	});

	it('throttles per resource when asked', () => {
		const on = (href: string, minute: number) =>
			event('workload.update', minute, { resource_changes: [{ resource: { workload: { href } }, change_type: 'update' }] });
		const events = [on('/orgs/1/workloads/a', 0), on('/orgs/1/workloads/b', 1), on('/orgs/1/workloads/a', 2)];
		expect(route(events, [{ name: 'W', eventTypes: 'workload.*', throttleMinutes: 30 }]).items).toHaveLength(1);
		expect(route(events, [{ name: 'W', eventTypes: 'workload.*', throttleMinutes: 30, throttleByResource: true }]).items).toHaveLength(2);
	});

	it('finds the resource of an event: changed resource, then notification subject, then actor', () => {
		expect(resourceOf({ resource_changes: [{ resource: { ip_list: { href: '/orgs/1/ip_lists/3' } } }] })).toBe('/orgs/1/ip_lists/3');
		expect(resourceOf({ resource_changes: [], notifications: [{ info: { agent: { href: '/orgs/1/agents/9' } } }] })).toBe('/orgs/1/agents/9');
		expect(resourceOf({ created_by: { user: { href: '/users/2', username: 'x' } } })).toBe('/users/2');
		expect(resourceOf({ created_by: { system: {} } })).toBe('');
	});

	it('decides the same way when a batch is delivered again from the same state', () => {
		const specs = [{ name: 'Logins', eventTypes: 'user.login', throttleMinutes: 5 }];
		const before = route([event('user.login', 0), event('user.login', 1)], specs).throttle;
		const batch = [event('user.login', 3), event('user.login', 6), event('user.login', 7)];
		const once = route(batch, specs, before);
		const again = route(batch, specs, before);
		expect(again.items).toEqual(once.items);
		expect(again.throttle).toEqual(once.throttle);
		expect(once.items.map((item) => item.suppressedCount)).toEqual([2]);
		// The state passed in is not changed.
		expect(before.entries[Object.keys(before.entries)[0]].suppressed).toBe(1);
	});

	it('keeps the state bounded: closed windows without counts go, counts wait, removed watchers go', () => {
		const specs = [{ name: 'Logins', eventTypes: 'user.*', throttleMinutes: 5 }];
		const closed = route([event('user.login', 0), event('user.logout', 20)], specs).throttle;
		expect(Object.keys(closed.entries)).toEqual(['Logins\u0001user.logout\u0001']);
		const pending = route([event('user.login', 0), event('user.login', 1), event('user.logout', 20)], specs).throttle;
		expect(Object.keys(pending.entries).sort()).toEqual(['Logins\u0001user.login\u0001', 'Logins\u0001user.logout\u0001']);
		expect(route([], [{ name: 'Other', eventTypes: '*', throttleMinutes: 5 }], pending).throttle.entries).toEqual({});
		expect(route([], [{ name: 'Logins', eventTypes: '*' }], pending).throttle.entries).toEqual({});

		const many = Array.from({ length: MAX_THROTTLE_ENTRIES + 50 }, (_, index) => event(`type_${index}.create`, index / 1000));
		const capped = route(many, [{ name: 'All', eventTypes: '*', throttleMinutes: 60 }]).throttle;
		expect(Object.keys(capped.entries)).toHaveLength(MAX_THROTTLE_ENTRIES);
		expect(capped.entries['All\u0001type_0.create\u0001']).toBeUndefined();
	});

	it('lets every event through when throttling is off', () => {
		const throttle = new Throttle(undefined, compileWatchers([{ name: 'A', eventTypes: '*' }]));
		const watcher = compileWatchers([{ name: 'A', eventTypes: '*' }])[0];
		for (let i = 0; i < 3; i++) expect(throttle.admit(watcher, event('user.login', 0), T0)).toEqual({ reported: 0 });
		expect(throttle.state().entries).toEqual({});
	});

	it('folds K or more same-type items of a batch into one summary with count, times and hrefs', () => {
		const events = [
			event('user.login', 0),
			event('user.sign_in', 1),
			event('user.login', 2, { severity: 'warning', status: 'failure' }),
			event('user.login', 3),
			event('user.sign_in', 4),
		];
		const result = route(events, [{ name: 'Users', eventTypes: 'user.*' }], undefined, { groupMin: 3 });
		expect(result.items.map((item) => item.event_type)).toEqual(['user.sign_in', 'user.login', 'user.sign_in']);
		const summary = result.items[1];
		expect(summary).toMatchObject({
			event_type: 'user.login',
			is_grouped: true,
			group_count: 3,
			group_first_timestamp: events[0].timestamp,
			group_last_timestamp: events[3].timestamp,
			timestamp: events[3].timestamp,
			group_hrefs: [events[0].href, events[2].href, events[3].href],
			severity: 'warning',
			status: 'mixed',
			watchers: ['Users'],
			suppressedCount: 0,
		});
		const { watchers: _watchers, suppressedCount: _count, ...firstEvent } = events[0];
		expect(summary.group_sample).toEqual(firstEvent);
		expect(result.counts.grouped).toBe(3);
		// Below K nothing is folded.
		expect(route(events, [{ name: 'Users', eventTypes: 'user.*' }], undefined, { groupMin: 4 }).items).toHaveLength(5);
	});
});

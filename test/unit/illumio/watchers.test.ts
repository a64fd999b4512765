import type { IDataObject } from 'n8n-workflow';

import { compileEventTypePatterns, exactEventTypes, severitiesFrom, splitPatterns } from '../../../nodes/Illumio/eventFilters';
import { compileWatchers, matchingWatchers, type WatcherSpec } from '../../../nodes/Illumio/trigger/watchers';

const event = (event_type: string, severity = 'info', status = 'success'): IDataObject => ({ href: `/orgs/1/events/${event_type}`, event_type, severity, status });
const names = (specs: WatcherSpec[], subject: IDataObject) => matchingWatchers(compileWatchers(specs), subject).map((watcher) => watcher.name);

describe('Illumio event type patterns', () => {
	it('splits on commas and lines and drops blanks', () => {
		expect(splitPatterns(' user.*, *.delete\n\nsec_policy.create ,')).toEqual(['user.*', '*.delete', 'sec_policy.create']);
		expect(splitPatterns(undefined)).toEqual([]);
	});

	it('matches exact names, prefixes, suffixes and everything', () => {
		const matches = compileEventTypePatterns(['user.*', '*.delete', 'sec_policy.create'], 'Event Types');
		expect(['user.login', 'user.pce_session_terminated', 'ip_list.delete', 'sec_policy.create'].map(matches)).toEqual([true, true, true, true]);
		expect(['users.login', 'sec_policy.create_draft', 'agent.tampering', 'ruleset.deleted'].map(matches)).toEqual([false, false, false, false]);
		expect(compileEventTypePatterns(['*'], 'x')('system_task.expire_service_account_api_keys')).toBe(true);
		// A dot in a pattern is a dot, not "any character".
		expect(compileEventTypePatterns(['user.login'], 'x')('userXlogin')).toBe(false);
	});

	it.each([
		['User.Login', /can never match.*lowercase: write "user.login"/s],
		['user.(login|logout)', /"user.\(login\|logout\)" can never match/],
		['user..login', /can never match/],
		['.user', /can never match/],
		['user login', /can never match/],
		['user.login?', /can never match/],
	])('refuses the pattern %j, naming the field', (pattern, message) => {
		let thrown: Error | undefined;
		try {
			compileEventTypePatterns([pattern], 'Event Types');
		} catch (error) {
			thrown = error as Error & { details?: { description?: string } };
		}
		expect(thrown).toBeDefined();
		const text = `${thrown!.message} ${(thrown as { details?: { description?: string } }).details?.description ?? ''}`;
		expect(text).toMatch(/^Event Types: /);
		expect(text).toMatch(message);
	});

	it('sends exact names to the PCE and keeps wildcards client-side', () => {
		expect(exactEventTypes(['user.login', 'user.logout'])).toEqual(['user.login', 'user.logout']);
		expect(exactEventTypes(['user.login', 'user.*'])).toBeUndefined();
	});

	it('lists the severities at least as severe as a minimum', () => {
		expect(severitiesFrom('err')).toEqual(['emerg', 'alert', 'crit', 'err']);
		expect(severitiesFrom('any')).toHaveLength(8);
		expect(() => severitiesFrom('high' as never)).toThrow(/Unknown minimum severity "high"/);
	});
});

describe('Illumio watchers', () => {
	const watchers: WatcherSpec[] = [
		{ name: 'Sign-ins', eventTypes: 'user.*' },
		{ name: 'Deletes', eventTypes: '*.delete' },
		{ name: 'Tampering', eventTypes: 'agent.tampering', minSeverity: 'err' },
		{ name: 'Failures', eventTypes: '*', status: 'failure' },
	];

	it('names every watcher an event matches, in order', () => {
		expect(names(watchers, event('user.login'))).toEqual(['Sign-ins']);
		expect(names(watchers, event('user.login', 'warning', 'failure'))).toEqual(['Sign-ins', 'Failures']);
		expect(names(watchers, event('label.delete'))).toEqual(['Deletes']);
		expect(names(watchers, event('workload.update'))).toEqual([]);
	});

	it('applies the minimum severity, most severe first', () => {
		expect(names(watchers, event('agent.tampering', 'warning'))).toEqual([]);
		expect(names(watchers, event('agent.tampering', 'err'))).toEqual(['Tampering']);
		expect(names(watchers, event('agent.tampering', 'emerg'))).toEqual(['Tampering']);
		// An unknown severity cannot prove it is severe enough.
		expect(names(watchers, event('agent.tampering', 'high'))).toEqual([]);
		expect(names([{ name: 'All', eventTypes: '*' }], event('agent.tampering', 'high'))).toEqual(['All']);
	});

	it('applies the status filter', () => {
		expect(names([{ name: 'Ok', eventTypes: '*', status: 'success' }], event('user.login', 'info', 'failure'))).toEqual([]);
		expect(names([{ name: 'Ok', eventTypes: '*', status: 'success' }], event('user.login'))).toEqual(['Ok']);
	});

	it.each<[WatcherSpec[], RegExp]>([
		[[{ name: '', eventTypes: 'user.*' }], /Watcher 1 has no name/],
		[[{ name: 'A', eventTypes: ' , ' }], /Watcher "A" has no event type pattern/],
		[[{ name: 'A', eventTypes: 'User.*' }], /Watcher "A": the event type pattern "User.\*" can never match/],
		[[{ name: 'A', eventTypes: 'user.*', throttleMinutes: -5 }], /Watcher "A": Throttle \(Minutes\) must be 0 or more, not -5/],
		[[{ name: 'A', eventTypes: 'user.*', throttleMinutes: Number.NaN }], /Throttle \(Minutes\) must be 0 or more/],
		[[{ name: 'A', eventTypes: 'user.*', minSeverity: 'high' as never }], /Watcher "A": unknown minimum severity "high"/],
		[[{ name: 'A', eventTypes: 'user.*', status: 'ok' as never }], /Watcher "A": unknown status "ok"/],
		[
			[
				{ name: 'A', eventTypes: 'user.*' },
				{ name: ' A ', eventTypes: '*' },
			],
			/Two watchers are named "A"/,
		],
	])('refuses bad watchers with a message naming the watcher and field (%#)', (specs, message) => {
		expect(() => compileWatchers(specs)).toThrow(message);
	});
});

/**
 * Illumio Core PCE REST API v2 simulator: the events collection (sync and async, filters incl.
 * `created_by`), single events (with `org_id`, `version`, `event_id`), the labels and workloads
 * collections illumio-pretty-cool-events reads, health, a small org resource for credential
 * checks, HTTP Basic API-key auth, the 500/min rate limit and Illumio's error bodies
 * (`[{"token":"...","message":"..."}]`).
 *
 * Sources: ../shared/api/rest-apis.md §2 (illumio-py, illumio-pretty-cool-events, illumioapi,
 * Illumio docs). Where the sources are silent the choice is marked "[choice]" below.
 *
 * Volume: the `eventCount` base events are a pure function of (seed, index). Their timestamps are
 * monotonic in the index, so a time window maps to an index range by binary search and a query
 * only builds the events it returns. Events added later (control API, trickle) live in a small
 * sorted array and are merged in.
 *
 * Choices where the sources are silent: wrong org → 403 `forbidden_error`; bad query values →
 * 406 `input_validation_error`, unknown query parameters → 406 `invalid_uri`; max_results above
 * 10000 → 406; repeated event_type/severity/status values are ORed; a datafile holds every match
 * (max_results applies only if sent, up to `asyncMaxResults`) as of the moment the job was
 * requested; an `expireSession` fault revokes the API key (401) until /__sim/reset.
 *
 * Control API (besides /__sim/faults, /__sim/reset, /__sim/stats from SimulatorBase):
 *   POST /__sim/illumio/events   {"count":3,"event_type"?,"severity"?,"status"?,"backdateMs"?}
 *   GET  /__sim/illumio/events[/<start>/<end>]   events of a window (inclusive), oldest first;
 *        start/end are epoch ms or RFC 3339; `?start=&end=` works too.
 *   POST /__sim/illumio/async    {"outcome":"done"|"failed","jobMs"?,"retryAfterSeconds"?}
 */
import { SimulatorBase, weightedPicker, json, lowerBound, seededRandom, type SimRequest, type SimResponse } from './common';

export const ILLUMIO_SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export type IllumioSeverity = (typeof ILLUMIO_SEVERITIES)[number];
export type IllumioStatus = 'success' | 'failure';

export interface IllumioSimulatorOptions {
	seed: number;
	orgId: number;
	apiKeyUser: string;
	apiKeySecret: string;
	pceFqdn: string;
	/** base events, spread over `spanMs` ending at `anchorMs` */
	eventCount: number;
	spanMs: number;
	/** newest possible base-event time; defaults to the construction time */
	anchorMs: number;
	/** when > 0, one new event is added every `trickleMs` while started */
	trickleMs: number;
	rateLimitPerMinute: number;
	/** the rate-limit window; 60000 on a real PCE, shorter in tests */
	rateLimitWindowMs: number;
	defaultMaxResults: number;
	maxResultsLimit: number;
	asyncRetryAfterSeconds: number;
	asyncJobMs: number;
	/** cap on a datafile's length (no max_results cut otherwise) */
	asyncMaxResults: number;
	asyncOutcome: 'done' | 'failed';
	healthStatus: 'normal' | 'warning' | 'critical';
	release: string;
}

const DEFAULTS: IllumioSimulatorOptions = {
	seed: 1,
	orgId: 1,
	apiKeyUser: 'api_1d9f490a0eabff1c4',
	apiKeySecret: 'illumio-sim-secret-5b8e',
	pceFqdn: 'pce.netsec-sim.example.com',
	eventCount: 500,
	spanMs: 24 * 60 * 60 * 1000,
	anchorMs: 0,
	trickleMs: 0,
	rateLimitPerMinute: 500,
	rateLimitWindowMs: 60_000,
	defaultMaxResults: 100,
	maxResultsLimit: 10_000,
	asyncRetryAfterSeconds: 1,
	asyncJobMs: 300,
	asyncMaxResults: 200_000,
	asyncOutcome: 'done',
	healthStatus: 'normal',
	release: '23.2.10-129',
};

export interface IllumioEvent {
	href: string;
	timestamp: string;
	pce_fqdn: string;
	created_by: Record<string, unknown>;
	event_type: string;
	status: IllumioStatus;
	severity: IllumioSeverity;
	action: {
		uuid: string;
		api_endpoint: string | null;
		api_method: string | null;
		http_status_code: number | null;
		src_ip: string;
	};
	resource_changes: Array<Record<string, unknown>>;
	notifications: Array<Record<string, unknown>>;
	/** the event schema version ([choice] 2, an integer; the docs' table says String) */
	version: number;
	org_id: number;
	/** the request/transaction the event came from */
	event_id: string;
}

export interface AddEventsOptions {
	event_type?: string;
	severity?: IllumioSeverity;
	status?: IllumioStatus;
	/** the event's timestamp is now minus this (a late event) */
	backdateMs?: number;
}

/**
 * One added event as a journal keeps it: its time and what was asked. Replayed in the order they were
 * added, records rebuild the same events (uuids and bodies come from seeded streams).
 */
export interface IllumioAddedEventRecord extends Omit<AddEventsOptions, 'backdateMs'> {
	/** epoch ms */
	ts: number;
}

// ---------------------------------------------------------------------------------------------
// Event catalogue. Shapes follow illumio-py tests/data/events.json; endpoints not seen in a
// source (agent.*, sec_policy.create notifications) are plausible inventions.
// ---------------------------------------------------------------------------------------------

interface Ctx {
	org: number;
	rng: () => number;
	uuid: () => string;
	user: { href: string; username: string };
	agent: { href: string; hostname: string; workload: string };
	failed: boolean;
}

interface Template {
	type: string;
	weight: number;
	actor: 'user' | 'system' | 'agent';
	failureRate: number;
	severities: ReadonlyArray<readonly [IllumioSeverity, number]>;
	failureSeverity?: IllumioSeverity;
	/** null: a system task, whose action fields are null and src_ip FILTERED */
	action: null | { endpoint: (c: Ctx) => string; method: string; ok: number; failed?: number };
	changes?: (c: Ctx) => Array<Record<string, unknown>>;
	notifications?: (c: Ctx) => Array<Record<string, unknown>>;
}

const USERS = [
	'amelia.hart@example.com',
	'ben.okafor@example.com',
	'chen.wei@example.com',
	'dana.kowalski@example.com',
	'eli.svensson@example.com',
	'farah.haddad@example.com',
];
const INFO_ONLY = [['info', 1]] as const;

const userInfo = (c: Ctx, local = false) => ({
	user: local ? { href: c.user.href, type: 'local', username: c.user.username } : { ...c.user },
});
const int = (c: Ctx, max: number) => 1 + Math.floor(c.rng() * max);

const TEMPLATES: readonly Template[] = [
	{
		type: 'user.sign_in',
		weight: 12,
		actor: 'user',
		failureRate: 0.08,
		severities: INFO_ONLY,
		failureSeverity: 'warning',
		action: { endpoint: () => '/login/users/sign_in', method: 'POST', ok: 302, failed: 401 },
		changes: (c) => {
			if (c.failed) return [];
			const count = int(c, 400);
			return [
				{
					uuid: c.uuid(),
					resource: { user: { href: c.user.href, type: 'local', username: c.user.username } },
					changes: { sign_in_count: { before: count, after: count + 1 } },
					change_type: 'update',
				},
			];
		},
		notifications: (c) =>
			c.failed ? [] : [{ uuid: c.uuid(), notification_type: 'user.login_session_created', info: userInfo(c, true) }],
	},
	{
		type: 'user.login',
		weight: 12,
		actor: 'user',
		failureRate: 0.03,
		severities: INFO_ONLY,
		failureSeverity: 'warning',
		action: { endpoint: () => '/api/v2/users/login', method: 'GET', ok: 200, failed: 401 },
		notifications: (c) =>
			c.failed ? [] : [{ uuid: c.uuid(), notification_type: 'user.pce_session_created', info: userInfo(c) }],
	},
	{
		type: 'user.logout',
		weight: 8,
		actor: 'system',
		failureRate: 0,
		severities: INFO_ONLY,
		action: { endpoint: () => '/api/v2/users/logout_from_jwt', method: 'POST', ok: 204 },
		notifications: (c) => [
			{ uuid: c.uuid(), notification_type: 'user.pce_session_terminated', info: { reason: 'user_logout', ...userInfo(c) } },
		],
	},
	{
		type: 'user.sign_out',
		weight: 5,
		actor: 'user',
		failureRate: 0,
		severities: INFO_ONLY,
		action: { endpoint: () => '/login/logout', method: 'GET', ok: 302 },
	},
	{
		type: 'request.authentication_failed',
		weight: 6,
		actor: 'system',
		failureRate: 1,
		severities: INFO_ONLY,
		failureSeverity: 'err',
		action: {
			endpoint: (c) => (c.rng() < 0.5 ? `/api/v2/orgs/${c.org}/workloads` : `/api/v2/orgs/${c.org}/events`),
			method: 'GET',
			ok: 200,
			failed: 401,
		},
	},
	{
		type: 'sec_policy.create',
		weight: 5,
		actor: 'user',
		failureRate: 0.02,
		severities: INFO_ONLY,
		failureSeverity: 'err',
		action: { endpoint: (c) => `/api/v2/orgs/${c.org}/sec_policy`, method: 'POST', ok: 201, failed: 406 },
		changes: (c) => {
			if (c.failed) return [];
			const version = int(c, 900);
			const message = `Provision ${['web tier', 'db tier', 'PCI scope', 'jump hosts'][Math.floor(c.rng() * 4)]} rules`;
			return [
				{
					uuid: c.uuid(),
					resource: { sec_policy: { href: `/orgs/${c.org}/sec_policy/${version}`, commit_message: message, version } },
					changes: { commit_message: { before: null, after: message }, version: { before: null, after: version } },
					change_type: 'create',
				},
			];
		},
		notifications: (c) =>
			c.failed ? [] : [{ uuid: c.uuid(), notification_type: 'workloads_affected', info: { workloads_affected: { after: int(c, 250) } } }],
	},
	{
		type: 'agent.tampering',
		weight: 3,
		actor: 'agent',
		failureRate: 0,
		severities: [
			['warning', 0.6],
			['err', 0.25],
			['crit', 0.1],
			['alert', 0.04],
			['emerg', 0.01],
		],
		action: {
			endpoint: (c) => `/api/v6/orgs/${c.org}/agents/${c.agent.href.split('/').pop()}/tampering`,
			method: 'POST',
			ok: 201,
		},
		notifications: (c) => [
			{ uuid: c.uuid(), notification_type: 'agent.firewall_tampered', info: { agent: { href: c.agent.href, hostname: c.agent.hostname } } },
		],
	},
	{
		type: 'agent.activate',
		weight: 4,
		actor: 'agent',
		failureRate: 0.05,
		severities: INFO_ONLY,
		failureSeverity: 'err',
		action: { endpoint: () => '/api/v25/agents/activate', method: 'POST', ok: 201, failed: 406 },
		changes: (c) =>
			c.failed
				? []
				: [
						{ uuid: c.uuid(), resource: { agent: { href: c.agent.href, hostname: c.agent.hostname } }, changes: null, change_type: 'create' },
						{ uuid: c.uuid(), resource: { workload: { href: c.agent.workload, hostname: c.agent.hostname } }, changes: null, change_type: 'create' },
					],
	},
	{
		type: 'workload.update',
		weight: 14,
		actor: 'user',
		failureRate: 0.02,
		severities: [
			['info', 0.9],
			['notice', 0.1],
		],
		failureSeverity: 'err',
		action: { endpoint: (c) => `/api/v2${c.agent.workload}`, method: 'PUT', ok: 204, failed: 406 },
		changes: (c) => {
			if (c.failed) return [];
			const before = int(c, 60);
			return [
				{
					uuid: c.uuid(),
					resource: { workload: { href: c.agent.workload, hostname: c.agent.hostname } },
					changes: { labels: { before: [{ href: `/orgs/${c.org}/labels/${before}` }], after: [{ href: `/orgs/${c.org}/labels/${before + 1}` }] } },
					change_type: 'update',
				},
			];
		},
	},
	{
		type: 'ip_list.create',
		weight: 4,
		actor: 'user',
		failureRate: 0.02,
		severities: INFO_ONLY,
		failureSeverity: 'err',
		action: { endpoint: (c) => `/api/v2/orgs/${c.org}/sec_policy/draft/ip_lists`, method: 'POST', ok: 201, failed: 406 },
		changes: (c) => {
			if (c.failed) return [];
			const id = int(c, 500);
			const name = `partner-net-${id}`;
			const range = `10.${int(c, 250)}.0.0/16`;
			return [
				{
					uuid: c.uuid(),
					resource: { ip_list: { href: `/orgs/${c.org}/sec_policy/draft/ip_lists/${id}`, name } },
					changes: { name: { before: null, after: name }, ip_ranges: { created: [{ from_ip: range, exclusion: false }] } },
					change_type: 'create',
				},
			];
		},
	},
	{
		type: 'rule_set.update',
		weight: 8,
		actor: 'user',
		failureRate: 0.02,
		severities: INFO_ONLY,
		failureSeverity: 'err',
		action: { endpoint: (c) => `/api/v2/orgs/${c.org}/sec_policy/draft/rule_sets/${int(c, 300)}`, method: 'PUT', ok: 204, failed: 406 },
		changes: (c) => {
			if (c.failed) return [];
			const enabled = c.rng() < 0.5;
			return [
				{
					uuid: c.uuid(),
					resource: { rule_set: { href: `/orgs/${c.org}/sec_policy/draft/rule_sets/${int(c, 300)}` } },
					changes: { enabled: { before: !enabled, after: enabled } },
					change_type: 'update',
				},
			];
		},
	},
	{
		type: 'system_task.expire_service_account_api_keys',
		weight: 3,
		actor: 'system',
		failureRate: 0,
		severities: [
			['info', 0.7],
			['debug', 0.3],
		],
		action: null,
	},
	{
		type: 'sec_rule.create',
		weight: 6,
		actor: 'user',
		failureRate: 0.02,
		severities: INFO_ONLY,
		failureSeverity: 'err',
		action: { endpoint: (c) => `/api/v2/orgs/${c.org}/sec_policy/draft/rule_sets/${int(c, 300)}/sec_rules`, method: 'POST', ok: 201, failed: 406 },
		changes: (c) => {
			if (c.failed) return [];
			const ruleSet = int(c, 300);
			return [
				{
					uuid: c.uuid(),
					resource: { sec_rule: { href: `/orgs/${c.org}/sec_policy/draft/rule_sets/${ruleSet}/sec_rules/${int(c, 900)}` } },
					changes: {
						rule_list: { before: null, after: { href: `/orgs/${c.org}/sec_policy/draft/rule_sets/${ruleSet}` } },
						type: { before: null, after: 'SecRule' },
						providers: { created: [{ label: { href: `/orgs/${c.org}/labels/${int(c, 60)}` } }] },
						consumers: { created: [{ actors: 'ams' }] },
					},
					change_type: 'create',
				},
			];
		},
	},
];

/** Used for control-added events whose event_type is not in the catalogue. */
function genericTemplate(type: string): Template {
	return { type, weight: 0, actor: 'system', failureRate: 0, severities: INFO_ONLY, action: null };
}

const pickTemplate = weightedPicker(TEMPLATES);

function pickSeverity(template: Template, failed: boolean, draw: number): IllumioSeverity {
	if (failed && template.failureSeverity) return template.failureSeverity;
	let rest = draw;
	for (const [severity, weight] of template.severities) {
		rest -= weight;
		if (rest < 0) return severity;
	}
	return template.severities[template.severities.length - 1][0];
}

/** Murmur3-style finaliser: decorrelates (seed, index) into a PRNG seed. */
function mix32(a: number, b: number): number {
	let h = Math.imul(a ^ 0x85ebca6b, 0xcc9e2d51) ^ b;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

const HEX_DIGITS = '0123456789abcdef';

/** `digits` random hex digits (a plain loop: this runs several times per generated event). */
function hex(random: () => number, digits: number): string {
	let text = '';
	for (let i = 0; i < digits; i++) text += HEX_DIGITS[Math.floor(random() * 16)];
	return text;
}
const hex8 = (value: number) => value.toString(16).padStart(8, '0');

function uuidWithHead(head: string, random: () => number): string {
	return `${head}-${hex(random, 4)}-4${hex(random, 3)}-${'89ab'[Math.floor(random() * 4)]}${hex(random, 3)}-${hex(random, 12)}`;
}

// Invertible 32-bit permutation so a base event's uuid encodes its index: GET /events/{uuid}
// then costs one decode plus one event build instead of an index of 10^6 uuids.
const PERM_MULT = 0x2c1b3c6d;
const PERM_INV = (() => {
	let inv = PERM_MULT;
	for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(PERM_MULT, inv));
	return inv >>> 0;
})();

/** Parses RFC 3339 to epoch ms, keeping sub-millisecond precision as a fraction. */
export function parseRfc3339(value: string): number | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(value);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s, fraction, zone] = match;
	const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	if (Number.isNaN(base) || +mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return undefined;
	const offset = zone === 'Z' || zone === 'z' ? 0 : (zone[0] === '-' ? -1 : 1) * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
	return base + (fraction ? Number(fraction) * 1000 : 0) - offset;
}

interface Query {
	gte: number;
	lte: number;
	eventTypes?: Set<string>;
	severities?: Set<string>;
	statuses?: Set<string>;
	/** `created_by` values; see `createdByMatches` */
	creators?: string[];
}

/**
 * [choice] The docs list `created_by` as a query parameter without its syntax. A value matches
 * when it names the actor's kind (`system`, `user`, `agent`...), its href, or its username /
 * hostname / name; repeated values OR like the other filters.
 */
export function createdByMatches(values: readonly string[], createdBy: Record<string, unknown>): boolean {
	for (const [kind, actor] of Object.entries(createdBy)) {
		const fields = (actor ?? {}) as Record<string, unknown>;
		const names = [kind, fields.href, fields.username, fields.hostname, fields.name];
		if (values.some((value) => names.includes(value))) return true;
	}
	return false;
}

interface Core {
	ts: number;
	template: Template;
	failed: boolean;
	severity: IllumioSeverity;
	rng: () => number;
}

interface AddedEvent {
	ts: number;
	seq: number;
	uuid: string;
	event: IllumioEvent;
}

interface Job {
	id: string;
	requestedAt: number;
	readyAt: number;
	outcome: 'done' | 'failed';
	query: Query;
	limit: number;
	seqCutoff: number;
	datafileId: string;
}

const ALLOWED_PARAMS = new Set(['timestamp[gte]', 'timestamp[lte]', 'event_type', 'severity', 'status', 'max_results', 'pce_fqdn', 'created_by']);

// ---------------------------------------------------------------------------------------------
// Inventory: the labels and workloads collections illumio-pretty-cool-events reads (its label
// resolver lists labels; its enricher resolves workload hrefs found in events). Shapes follow the
// PCE docs' labels and workloads pages; values are inventions. Event generation draws hosts
// from the first `HOSTS.length` workloads, so every workload href in an event resolves.
// ---------------------------------------------------------------------------------------------

export interface IllumioLabel {
	href: string;
	key: string;
	value: string;
	created_at: string;
	updated_at: string;
	created_by: { href: string };
	updated_by: { href: string };
}

export type IllumioLabelRef = Pick<IllumioLabel, 'href' | 'key' | 'value'>;

export interface IllumioWorkload {
	href: string;
	name: string;
	hostname: string;
	description: string | null;
	managed: boolean;
	online: boolean;
	enforcement_mode: 'idle' | 'visibility_only' | 'selective' | 'full';
	visibility_level: string;
	os_id: string;
	os_detail: string;
	public_ip: string | null;
	interfaces: Array<Record<string, unknown>>;
	labels: IllumioLabelRef[];
	agent: Record<string, unknown>;
	ven: Record<string, unknown> | null;
	created_at: string;
	updated_at: string;
	created_by: { href: string };
	updated_by: { href: string };
}

/** Label ids 1..64 in this order; event changes refer to /orgs/<org>/labels/1..61. */
const LABEL_CATALOGUE: ReadonlyArray<readonly [string, readonly string[]]> = [
	['env', ['Production', 'Staging', 'Development', 'Test']],
	['loc', ['Amsterdam', 'Frankfurt', 'London', 'New York', 'Singapore', 'Sydney']],
	['role', ['Web', 'Database', 'Application', 'Jump Host', 'Kubernetes Node', 'Mail Gateway', 'Load Balancer', 'Cache', 'Queue', 'Storage', 'Monitoring', 'DNS']],
	[
		'app',
		[
			'Payments', 'ERP', 'CRM', 'Billing', 'HR Portal', 'Intranet', 'Data Warehouse', 'Mail', 'Ticketing', 'Wiki', 'CI', 'Artifact Repository',
			'Logging', 'Metrics', 'VPN', 'Identity', 'Search', 'Reporting', 'Inventory', 'Shipping', 'Procurement', 'Analytics', 'Backup', 'Chat',
			'Video', 'Documents', 'Directory', 'Licensing', 'Printing', 'Kiosk', 'Point of Sale', 'Loyalty', 'Fraud', 'Risk', 'Treasury', 'Trading',
			'Claims', 'Underwriting', 'Telematics', 'IoT Hub', 'Scheduler', 'Notifications',
		],
	],
];

interface WorkloadSpec {
	hostname: string;
	managed: boolean;
	online: boolean;
	mode: IllumioWorkload['enforcement_mode'];
	os: readonly [string, string];
	/** env, loc, role, app values from LABEL_CATALOGUE */
	labels: readonly [string, string, string, string];
}

const LINUX = ['centos-x86_64-7.0', 'Linux 3.10.0-1160.el7.x86_64 (CentOS Linux release 7.9.2009)'] as const;
const UBUNTU = ['ubuntu-x86_64-jammy', 'Linux 5.15.0-91-generic (Ubuntu 22.04.3 LTS)'] as const;
const WINDOWS = ['win-x86_64-2019', 'Windows Server 2019 Datacenter (10.0.17763)'] as const;

/** Managed workloads come first: they are the hosts events mention (HOSTS), at the same index. */
const WORKLOADS: readonly WorkloadSpec[] = [
	{ hostname: 'web-prod-01', managed: true, online: true, mode: 'full', os: UBUNTU, labels: ['Production', 'Amsterdam', 'Web', 'Payments'] },
	{ hostname: 'web-prod-02', managed: true, online: true, mode: 'full', os: UBUNTU, labels: ['Production', 'Frankfurt', 'Web', 'Payments'] },
	{ hostname: 'db-prod-01', managed: true, online: true, mode: 'selective', os: LINUX, labels: ['Production', 'Amsterdam', 'Database', 'Payments'] },
	{ hostname: 'app-stg-03', managed: true, online: false, mode: 'visibility_only', os: LINUX, labels: ['Staging', 'London', 'Application', 'ERP'] },
	{ hostname: 'jump-01', managed: true, online: true, mode: 'full', os: WINDOWS, labels: ['Production', 'Amsterdam', 'Jump Host', 'Identity'] },
	{ hostname: 'k8s-node-07', managed: true, online: true, mode: 'visibility_only', os: UBUNTU, labels: ['Production', 'Frankfurt', 'Kubernetes Node', 'CI'] },
	{ hostname: 'erp-app-02', managed: true, online: true, mode: 'selective', os: WINDOWS, labels: ['Production', 'London', 'Application', 'ERP'] },
	{ hostname: 'mail-gw-01', managed: true, online: true, mode: 'full', os: LINUX, labels: ['Production', 'Amsterdam', 'Mail Gateway', 'Mail'] },
	{ hostname: 'nas-legacy-01', managed: false, online: true, mode: 'idle', os: LINUX, labels: ['Production', 'Amsterdam', 'Storage', 'Backup'] },
	{ hostname: 'print-srv-02', managed: false, online: true, mode: 'idle', os: WINDOWS, labels: ['Development', 'London', 'Application', 'Printing'] },
];

const HOSTS = WORKLOADS.filter((workload) => workload.managed).map((workload) => workload.hostname);
const LABEL_PARAMS = new Set(['key', 'value', 'max_results']);
const WORKLOAD_PARAMS = new Set(['hostname', 'name', 'managed', 'online', 'enforcement_mode', 'labels', 'max_results']);
/** The PCE's general synchronous collection limit. */
const COLLECTION_DEFAULT_MAX = 500;
const DAY_MS = 86_400_000;

export class IllumioSimulator extends SimulatorBase {
	readonly options: IllumioSimulatorOptions;
	private readonly startMs: number;
	private readonly permMask: number;
	private added: AddedEvent[] = [];
	private addedByUuid = new Map<string, AddedEvent>();
	private addedRandom: () => number;
	private addedCounter = 0;
	/** told of every added event (trickle or control API), e.g. to journal it across restarts */
	onEventAdded?: (record: IllumioAddedEventRecord) => void;
	private jobs = new Map<string, Job>();
	private jobRandom: () => number;
	private requestTimes: number[] = [];
	private keyRevoked = false;
	private asyncOutcome: 'done' | 'failed';
	private asyncJobMs: number;
	private asyncRetryAfterSeconds: number;
	private readonly startedAt = Date.now();
	private readonly labels: IllumioLabel[];
	private readonly workloads: IllumioWorkload[];

	constructor(options: Partial<IllumioSimulatorOptions> = {}) {
		super('illumio');
		this.options = { ...DEFAULTS, ...options };
		if (!options.anchorMs) this.options.anchorMs = Date.now();
		this.startMs = this.options.anchorMs - this.options.spanMs;
		this.permMask = mix32(this.options.seed, 0x1e3779b9);
		this.addedRandom = seededRandom(mix32(this.options.seed, 0x5bd1e995));
		this.jobRandom = seededRandom(mix32(this.options.seed, 0x27d4eb2f));
		this.asyncOutcome = this.options.asyncOutcome;
		this.asyncJobMs = this.options.asyncJobMs;
		this.asyncRetryAfterSeconds = this.options.asyncRetryAfterSeconds;
		this.labels = this.buildLabels();
		this.workloads = WORKLOADS.map((spec, index) => this.buildWorkload(spec, index));
		this.registerRoutes();
	}

	/** The labels collection, in id order (for tests). */
	labelList(): IllumioLabel[] {
		return this.labels.map((label) => ({ ...label }));
	}

	/** The workloads collection; the first ones are the hosts events mention (for tests). */
	workloadList(): IllumioWorkload[] {
		return this.workloads.map((workload) => structuredClone(workload));
	}

	credentials(): { url: string; orgId: number; apiKeyUser: string; apiKeySecret: string } {
		return { url: this.url, orgId: this.options.orgId, apiKeyUser: this.options.apiKeyUser, apiKeySecret: this.options.apiKeySecret };
	}

	protected override trickleEveryMs(): number {
		return this.options.trickleMs;
	}

	protected override trickleOnce(): void {
		this.addEvents(1);
	}

	/** Adds events stamped now (minus `backdateMs`); returns them. */
	addEvents(count: number, options: AddEventsOptions = {}): IllumioEvent[] {
		const { backdateMs, ...asked } = options;
		const ts = Date.now() - (backdateMs ?? 0);
		const result: IllumioEvent[] = [];
		for (let n = 0; n < count; n++) {
			const record: IllumioAddedEventRecord = { ts, ...asked };
			result.push(this.addEventAt(record));
			this.onEventAdded?.(record);
		}
		return result;
	}

	/**
	 * Puts back events added by an earlier run, in the order they were added: the same uuids, times and
	 * bodies, and events added after them get new uuids.
	 */
	restoreAddedEvents(records: readonly IllumioAddedEventRecord[]): void {
		for (const record of records) this.addEventAt(record);
	}

	private addEventAt(record: IllumioAddedEventRecord): IllumioEvent {
		const { ts, ...options } = record;
		const rng = seededRandom(mix32(this.options.seed ^ 0x68e31da4, this.addedCounter++));
		const template = options.event_type
			? (TEMPLATES.find((t) => t.type === options.event_type) ?? genericTemplate(options.event_type))
			: pickTemplate(rng());
		const failed = options.status ? options.status === 'failure' : rng() < template.failureRate;
		const severity = options.severity ?? pickSeverity(template, failed, rng());
		const uuid = uuidWithHead(hex(this.addedRandom, 8), this.addedRandom);
		const event = this.build(uuid, { ts, template, failed, severity, rng });
		const entry: AddedEvent = { ts, seq: this.addedCounter, uuid, event };
		// After every event with the same millisecond: later additions are newer.
		this.added.splice(lowerBound(this.added, ts + 1, (e) => e.ts), 0, entry);
		this.addedByUuid.set(uuid, entry);
		return event;
	}

	/** All events with start <= timestamp <= end, oldest first (for tests). */
	eventsBetween(startMs: number, endMs: number, cap = 200_000): IllumioEvent[] {
		const query = { gte: startMs, lte: endMs };
		// Unfiltered totals are arithmetic, so check the size before building anything.
		const { total } = this.select(query, 0);
		if (total > cap) throw new Error(`window holds ${total} events, more than the cap of ${cap}; narrow it`);
		return this.select(query, cap).events.reverse();
	}

	/** Number of events the PCE holds now (base + added). */
	get totalEvents(): number {
		return this.options.eventCount + this.added.length;
	}

	protected override expireSessions(): void {
		// API keys have no session; the nearest thing is the key expiring (cf. the event type
		// system_task.expire_service_account_api_keys). Requests get 401 until /__sim/reset.
		this.keyRevoked = true;
	}

	protected override resetState(): void {
		this.added = [];
		this.addedByUuid = new Map();
		this.jobs = new Map();
		this.requestTimes = [];
		this.keyRevoked = false;
		this.asyncOutcome = this.options.asyncOutcome;
		this.asyncJobMs = this.options.asyncJobMs;
		this.asyncRetryAfterSeconds = this.options.asyncRetryAfterSeconds;
	}

	protected override notFound(request: SimRequest): SimResponse {
		return illumioError(404, 'not_found', `Resource not found: ${request.method} ${request.path}`);
	}

	// -------------------------------------------------------------------------------------------
	// Event generation
	// -------------------------------------------------------------------------------------------

	private baseRandom(index: number): () => number {
		return seededRandom(mix32(this.options.seed, index));
	}

	/** Base event timestamp: non-decreasing in the index (the jitter stays inside one slot). */
	private baseTs(index: number): number {
		const frac = this.baseRandom(index)();
		return this.startMs + Math.floor(((index + frac) * this.options.spanMs) / this.options.eventCount);
	}

	private baseCore(index: number): Core {
		const rng = this.baseRandom(index);
		const frac = rng();
		const ts = this.startMs + Math.floor(((index + frac) * this.options.spanMs) / this.options.eventCount);
		const template = pickTemplate(rng());
		const failed = rng() < template.failureRate;
		const severity = pickSeverity(template, failed, rng());
		return { ts, template, failed, severity, rng };
	}

	private baseUuid(index: number, rng: () => number): string {
		let x = (index ^ this.permMask) >>> 0;
		x = Math.imul(x, PERM_MULT) >>> 0;
		x = (x ^ (x >>> 16)) >>> 0;
		return uuidWithHead(hex8(x), rng);
	}

	private indexFromUuid(uuid: string): number | undefined {
		if (!/^[0-9a-f]{8}-/.test(uuid)) return undefined;
		let x = parseInt(uuid.slice(0, 8), 16) >>> 0;
		x = (x ^ (x >>> 16)) >>> 0;
		x = Math.imul(x, PERM_INV) >>> 0;
		return (x ^ this.permMask) >>> 0;
	}

	private baseEvent(index: number): IllumioEvent {
		const core = this.baseCore(index);
		return this.build(this.baseUuid(index, core.rng), core);
	}

	private build(uuid: string, core: Core): IllumioEvent {
		const { template, failed, rng } = core;
		const org = this.options.orgId;
		const userIndex = Math.floor(rng() * USERS.length);
		const hostIndex = Math.floor(rng() * HOSTS.length);
		const ctx: Ctx = {
			org,
			rng,
			uuid: () => uuidWithHead(hex(rng, 8), rng),
			user: { href: `/users/${userIndex + 2}`, username: USERS[userIndex] },
			agent: {
				href: this.agentHref(hostIndex),
				hostname: HOSTS[hostIndex],
				workload: this.workloadHref(hostIndex),
			},
			failed,
		};
		const srcIp = `10.${1 + Math.floor(rng() * 250)}.${Math.floor(rng() * 256)}.${1 + Math.floor(rng() * 254)}`;
		const createdBy =
			template.actor === 'user'
				? { user: { ...ctx.user } }
				: template.actor === 'agent'
					? { agent: { href: ctx.agent.href, hostname: ctx.agent.hostname } }
					: { system: {} };
		const action = template.action
			? {
					uuid: ctx.uuid(),
					api_endpoint: template.action.endpoint(ctx),
					api_method: template.action.method,
					http_status_code: failed ? (template.action.failed ?? 400) : template.action.ok,
					src_ip: srcIp,
				}
			: { uuid: ctx.uuid(), api_endpoint: null, api_method: null, http_status_code: null, src_ip: 'FILTERED' };
		return {
			href: `/orgs/${org}/events/${uuid}`,
			timestamp: new Date(core.ts).toISOString(),
			pce_fqdn: this.options.pceFqdn,
			created_by: createdBy,
			event_type: template.type,
			status: failed ? 'failure' : 'success',
			severity: core.severity,
			action,
			resource_changes: template.changes ? template.changes(ctx) : [],
			notifications: template.notifications ? template.notifications(ctx) : [],
			version: 2,
			org_id: org,
			event_id: ctx.uuid(),
		};
	}

	/** First base index whose timestamp is >= value (binary search on the pure timestamp). */
	private baseLowerBound(value: number): number {
		let low = 0;
		let high = this.options.eventCount;
		while (low < high) {
			const middle = Math.floor((low + high) / 2);
			if (this.baseTs(middle) < value) low = middle + 1;
			else high = middle;
		}
		return low;
	}

	/** `event` builds the event only when a filter needs more than type, severity and status. */
	private matches(query: Query, type: string, severity: string, failed: boolean, event: () => IllumioEvent): boolean {
		if (query.eventTypes && !query.eventTypes.has(type)) return false;
		if (query.severities && !query.severities.has(severity)) return false;
		if (query.statuses && !query.statuses.has(failed ? 'failure' : 'success')) return false;
		if (query.creators && !createdByMatches(query.creators, event().created_by)) return false;
		return true;
	}

	/**
	 * Newest-first events matching `query`, at most `limit`, and the total before the cut.
	 * Cost: O(log n) to find the window, then O(returned) without filters or O(window) cheap
	 * draws with filters (every candidate's type/severity/status must be known to count it).
	 */
	private select(query: Query, limit: number, seqCutoff = Number.POSITIVE_INFINITY): { total: number; events: IllumioEvent[] } {
		const lo = this.baseLowerBound(query.gte);
		const hi = this.baseLowerBound(Math.floor(query.lte) + 1) - 1;
		const alo = lowerBound(this.added, query.gte, (e) => e.ts);
		const ahi = lowerBound(this.added, Math.floor(query.lte) + 1, (e) => e.ts) - 1;
		const filtered = Boolean(query.eventTypes || query.severities || query.statuses || query.creators);
		let total = 0;
		if (!filtered) {
			total = Math.max(0, hi - lo + 1);
			for (let a = alo; a <= ahi; a++) if (this.added[a].seq <= seqCutoff) total++;
		}
		const events: IllumioEvent[] = [];
		let bi = hi;
		let ai = ahi;
		let core: Core | undefined = bi >= lo ? this.baseCore(bi) : undefined;
		while (bi >= lo || ai >= alo) {
			if (!filtered && events.length >= limit) break;
			const addedEntry = ai >= alo ? this.added[ai] : undefined;
			// On equal milliseconds an added event is newer than a base event.
			if (addedEntry && (!core || addedEntry.ts >= core.ts)) {
				ai--;
				if (addedEntry.seq > seqCutoff) continue;
				const e = addedEntry.event;
				if (!this.matches(query, e.event_type, e.severity, e.status === 'failure', () => e)) continue;
				if (filtered) total++;
				if (events.length < limit) events.push(e);
			} else if (core) {
				const current = core;
				const index = bi;
				bi--;
				core = bi >= lo ? this.baseCore(bi) : undefined;
				// build() advances the core's PRNG, so an event is built at most once.
				let built: IllumioEvent | undefined;
				const event = () => (built ??= this.build(this.baseUuid(index, current.rng), current));
				if (!this.matches(query, current.template.type, current.severity, current.failed, event)) continue;
				if (filtered) total++;
				if (events.length < limit) events.push(event());
			}
		}
		return { total, events };
	}

	// -------------------------------------------------------------------------------------------
	// HTTP API
	// -------------------------------------------------------------------------------------------

	private registerRoutes(): void {
		this.route('GET', '/api/v2/health', (request) => this.guarded(request, undefined, () => json(200, this.health())));
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/settings\/workloads$/, (request, [org]) =>
			this.guarded(request, org, () => json(200, this.workloadSettings())),
		);
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/events$/, (request, [org]) => this.guarded(request, org, () => this.listEvents(request)));
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/events\/([^/]+)$/, (request, [org, uuid]) =>
			this.guarded(request, org, () => this.getEvent(uuid)),
		);
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/labels$/, (request, [org]) => this.guarded(request, org, () => this.listLabels(request.query)));
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/labels\/([^/]+)$/, (request, [org, id]) =>
			this.guarded(request, org, () => this.getInventory(this.labels, `/orgs/${org}/labels/${id}`, `Label ${id} not found`)),
		);
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/workloads$/, (request, [org]) => this.guarded(request, org, () => this.listWorkloads(request.query)));
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/workloads\/([^/]+)$/, (request, [org, id]) =>
			this.guarded(request, org, () => this.getInventory(this.workloads, `/orgs/${org}/workloads/${id}`, `Workload ${id} not found`)),
		);
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/jobs\/([^/]+)$/, (request, [org, id]) => this.guarded(request, org, () => this.getJob(id)));
		this.route('GET', /^\/api\/v2\/orgs\/([^/]+)\/datafiles\/([^/]+)$/, (request, [org, id]) =>
			this.guarded(request, org, () => this.getDatafile(id)),
		);
	}

	/** Auth, then rate limit, then org: the order a PCE front end would apply them. */
	private guarded(request: SimRequest, org: string | undefined, handler: () => SimResponse): SimResponse {
		const header = request.headers.authorization;
		if (!header) return illumioError(401, 'authentication_required', 'Authentication required: supply API key credentials with HTTP Basic auth');
		const match = /^Basic\s+(.+)$/i.exec(header);
		const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
		const colon = decoded.indexOf(':');
		const user = colon >= 0 ? decoded.slice(0, colon) : '';
		const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
		if (this.keyRevoked || user !== this.options.apiKeyUser || secret !== this.options.apiKeySecret) {
			return illumioError(401, 'authentication_failed', 'Authentication failed: invalid API key or secret');
		}
		const now = Date.now();
		const window = this.options.rateLimitWindowMs;
		while (this.requestTimes.length > 0 && this.requestTimes[0] <= now - window) this.requestTimes.shift();
		if (this.requestTimes.length >= this.options.rateLimitPerMinute) {
			const retryAfter = Math.max(1, Math.ceil((this.requestTimes[0] + window - now) / 1000));
			return illumioError(429, 'too_many_requests_error', `API rate limit of ${this.options.rateLimitPerMinute} requests per minute exceeded`, {
				'retry-after': String(retryAfter),
			});
		}
		this.requestTimes.push(now);
		// [choice] An API key belongs to one org; another org id is a permission failure (403).
		if (org !== undefined && org !== String(this.options.orgId)) {
			return illumioError(403, 'forbidden_error', `Forbidden: API key ${this.options.apiKeyUser} has no access to org ${org}`);
		}
		return handler();
	}

	/** [choice] One cluster entry, shaped like the PCE health API (a JSON array of clusters). */
	private health(): unknown[] {
		const now = Date.now();
		const uptime = Math.floor((now - this.startedAt) / 1000) + 86_400 * 12;
		return [
			{
				fqdn: this.options.pceFqdn,
				type: 'standalone',
				status: this.options.healthStatus,
				available_seconds: uptime,
				generated_at: new Date(now).toISOString(),
				release: this.options.release,
				notifications: [],
				listen_only_mode_enabled_at: null,
				nodes: [
					{
						hostname: `core0.${this.options.pceFqdn}`,
						ip_address: '10.0.0.11',
						runlevel: 5,
						type: 'core',
						status: this.options.healthStatus,
						uptime_seconds: uptime,
						services: { status: 'running', running: ['agent_service', 'auditable_events_service', 'collector_service', 'executor'] },
					},
					{
						hostname: `data0.${this.options.pceFqdn}`,
						ip_address: '10.0.0.21',
						runlevel: 5,
						type: 'data0',
						status: this.options.healthStatus,
						uptime_seconds: uptime,
						services: { status: 'running', running: ['database_service', 'traffic_worker'] },
					},
				],
			},
		];
	}

	private workloadSettings(): unknown {
		const org = this.options.orgId;
		return {
			href: `/orgs/${org}/settings/workloads`,
			workload_disconnected_timeout_seconds: [{ scope: [], value: 3600 }],
			workload_goodbye_timeout_seconds: [{ scope: [], value: 900 }],
			ven_uninstall_timeout_hours: [{ scope: [], value: 168 }],
		};
	}

	/** Parses and validates the events query; an error answers 406 like other PCE input errors. */
	private parseQuery(params: URLSearchParams, async: boolean): { query: Query; limit: number } | SimResponse {
		for (const key of params.keys()) {
			if (!ALLOWED_PARAMS.has(key)) return illumioError(406, 'invalid_uri', `Invalid URI: unsupported query parameter '${key}'`);
		}
		const query: Query = { gte: Number.NEGATIVE_INFINITY, lte: Number.POSITIVE_INFINITY };
		for (const [key, field] of [
			['timestamp[gte]', 'gte'],
			['timestamp[lte]', 'lte'],
		] as const) {
			const raw = params.get(key);
			if (raw === null) continue;
			const parsed = parseRfc3339(raw);
			if (parsed === undefined) return illumioError(406, 'input_validation_error', `Input validation failed: '${key}' is not an RFC 3339 timestamp: '${raw}'`);
			query[field] = parsed;
		}
		// [choice] Repeating event_type / severity / status ORs the values; a comma is not a separator.
		const eventTypes = params.getAll('event_type');
		if (eventTypes.length > 0) query.eventTypes = new Set(eventTypes);
		const severities = params.getAll('severity');
		for (const severity of severities) {
			if (!(ILLUMIO_SEVERITIES as readonly string[]).includes(severity)) {
				return illumioError(406, 'input_validation_error', `Input validation failed: invalid severity '${severity}'`);
			}
		}
		if (severities.length > 0) query.severities = new Set(severities);
		const statuses = params.getAll('status');
		for (const status of statuses) {
			if (status !== 'success' && status !== 'failure') {
				return illumioError(406, 'input_validation_error', `Input validation failed: invalid status '${status}'`);
			}
		}
		if (statuses.length > 0) query.statuses = new Set(statuses);
		const creators = params.getAll('created_by');
		if (creators.some((value) => value === '')) return illumioError(406, 'input_validation_error', "Input validation failed: 'created_by' must not be empty");
		if (creators.length > 0) query.creators = creators;
		const fqdn = params.get('pce_fqdn');
		if (fqdn !== null && fqdn !== this.options.pceFqdn) query.eventTypes = new Set();
		const rawLimit = params.get('max_results');
		const max = async ? this.options.asyncMaxResults : this.options.maxResultsLimit;
		let limit = async ? this.options.asyncMaxResults : this.options.defaultMaxResults;
		if (rawLimit !== null) {
			if (!/^\d+$/.test(rawLimit) || Number(rawLimit) > max) {
				return illumioError(406, 'input_validation_error', `Input validation failed: max_results must be an integer from 0 to ${max}`);
			}
			limit = Number(rawLimit);
		}
		return { query, limit };
	}

	private listEvents(request: SimRequest): SimResponse {
		const prefer = String(request.headers.prefer ?? '');
		const async = /(^|[,\s])respond-async($|[,;\s])/i.test(prefer);
		const parsed = this.parseQuery(request.query, async);
		if ('status' in parsed) return parsed;
		if (async) return this.createJob(parsed.query, parsed.limit);
		const { total, events } = this.select(parsed.query, parsed.limit);
		return json(200, events, { 'x-total-count': String(total) });
	}

	private getEvent(uuid: string): SimResponse {
		const added = this.addedByUuid.get(uuid);
		if (added) return json(200, added.event);
		const index = this.indexFromUuid(uuid);
		if (index !== undefined && index < this.options.eventCount) {
			const event = this.baseEvent(index);
			if (event.href.endsWith(`/${uuid}`)) return json(200, event);
		}
		return illumioError(404, 'not_found', `Event ${uuid} not found`);
	}

	private createJob(query: Query, limit: number): SimResponse {
		const id = uuidWithHead(hex(this.jobRandom, 8), this.jobRandom);
		const datafileId = uuidWithHead(hex(this.jobRandom, 8), this.jobRandom);
		const now = Date.now();
		// The datafile is the collection as it stood when the job was requested.
		this.jobs.set(id, { id, requestedAt: now, readyAt: now + this.asyncJobMs, outcome: this.asyncOutcome, query, limit, seqCutoff: this.addedCounter, datafileId });
		return json(202, undefined, {
			location: `/orgs/${this.options.orgId}/jobs/${id}`,
			'retry-after': String(this.asyncRetryAfterSeconds),
		});
	}

	private getJob(id: string): SimResponse {
		const job = this.jobs.get(id);
		if (!job) return illumioError(404, 'not_found', `Job ${id} not found`);
		const org = this.options.orgId;
		const finished = Date.now() >= job.readyAt;
		const status = finished ? job.outcome : 'running';
		const result =
			status === 'done'
				? { href: `/orgs/${org}/datafiles/${job.datafileId}` }
				: status === 'failed'
					? { message: 'Async request failed: the PCE could not generate the datafile' }
					: {};
		return json(200, {
			href: `/orgs/${org}/jobs/${job.id}`,
			job_type: ':illumio/async_requests',
			description: `/orgs/${org}/events`,
			result,
			status,
			requested_at: new Date(job.requestedAt).toISOString(),
			...(finished ? { terminated_at: new Date(job.readyAt).toISOString() } : {}),
			requested_by: { href: '/users/1' },
		});
	}

	private getDatafile(id: string): SimResponse {
		for (const job of this.jobs.values()) {
			if (job.datafileId !== id || job.outcome !== 'done' || Date.now() < job.readyAt) continue;
			return json(200, this.select(job.query, job.limit, job.seqCutoff).events);
		}
		return illumioError(404, 'not_found', `Datafile ${id} not found`);
	}

	// -------------------------------------------------------------------------------------------
	// Inventory: labels and workloads
	// -------------------------------------------------------------------------------------------

	/** Stable per (seed, index): events name these hrefs, and GET /workloads/{uuid} serves them. */
	private workloadHref(index: number): string {
		return `/orgs/${this.options.orgId}/workloads/${uuidWithHead(hex8(mix32(this.options.seed, 0x3c6ef372 + index)), seededRandom(index + 11))}`;
	}

	private agentHref(index: number): string {
		return `/orgs/${this.options.orgId}/agents/${1000 + index * 7}`;
	}

	private buildLabels(): IllumioLabel[] {
		const org = this.options.orgId;
		const labels: IllumioLabel[] = [];
		for (const [key, values] of LABEL_CATALOGUE) {
			for (const value of values) {
				const id = labels.length + 1;
				const at = new Date(this.startMs - 90 * DAY_MS + id * 60_000).toISOString();
				labels.push({ href: `/orgs/${org}/labels/${id}`, key, value, created_at: at, updated_at: at, created_by: { href: '/users/1' }, updated_by: { href: '/users/1' } });
			}
		}
		return labels;
	}

	private labelRef(key: string, value: string): IllumioLabelRef {
		const label = this.labels.find((candidate) => candidate.key === key && candidate.value === value);
		if (!label) throw new Error(`no label ${key}=${value} in the catalogue`);
		return { href: label.href, key, value };
	}

	private buildWorkload(spec: WorkloadSpec, index: number): IllumioWorkload {
		const org = this.options.orgId;
		const rng = seededRandom(mix32(this.options.seed, 0x7f4a7c15 + index));
		const subnet = `10.${20 + index}.${Math.floor(rng() * 256)}`;
		const created = new Date(this.startMs - 60 * DAY_MS + index * 3_600_000).toISOString();
		const updated = new Date(this.startMs - 7 * DAY_MS + index * 3_600_000).toISOString();
		const [osId, osDetail] = spec.os;
		return {
			href: this.workloadHref(index),
			name: spec.hostname,
			hostname: spec.hostname,
			description: null,
			managed: spec.managed,
			online: spec.online,
			enforcement_mode: spec.mode,
			visibility_level: spec.managed ? 'flow_summary' : 'flow_off',
			os_id: osId,
			os_detail: osDetail,
			public_ip: null,
			interfaces: [
				{
					name: osId.startsWith('win') ? 'Ethernet0' : 'eth0',
					address: `${subnet}.${10 + Math.floor(rng() * 200)}`,
					cidr_block: 24,
					default_gateway_address: `${subnet}.1`,
					link_state: 'up',
					network_detection_mode: 'single_private_brn',
					friendly_name: null,
				},
			],
			labels: spec.labels.map((value, position) => this.labelRef(LABEL_CATALOGUE[position][0], value)),
			agent: spec.managed
				? {
						href: this.agentHref(index),
						config: { mode: 'illuminated', log_traffic: false, security_policy_update_mode: 'adaptive' },
						status: {
							uid: hex(rng, 32),
							status: spec.online ? 'active' : 'stopped',
							agent_version: this.options.release,
							managed_since: created,
							last_heartbeat_on: new Date(this.options.anchorMs - (index + 1) * 60_000).toISOString(),
							uptime_seconds: 86_400 * (3 + index),
						},
					}
				: {},
			ven: spec.managed
				? { href: `/orgs/${org}/vens/${uuidWithHead(hex(rng, 8), rng)}`, hostname: spec.hostname, name: spec.hostname, status: 'active' }
				: null,
			created_at: created,
			updated_at: updated,
			created_by: { href: '/users/1' },
			updated_by: { href: '/users/1' },
		};
	}

	private getInventory(items: ReadonlyArray<{ href: string }>, href: string, missing: string): SimResponse {
		const item = items.find((candidate) => candidate.href === href);
		return item ? json(200, item) : illumioError(404, 'not_found', missing);
	}

	/** GET /labels: `key` exact, `value` partial (as documented), `max_results` (default 500). */
	private listLabels(params: URLSearchParams): SimResponse {
		const invalid = unsupportedParam(params, LABEL_PARAMS);
		if (invalid) return invalid;
		const limit = parseCollectionLimit(params);
		if (typeof limit !== 'number') return limit;
		const key = params.get('key');
		const value = params.get('value')?.toLowerCase();
		const matched = this.labels.filter((label) => (key === null || label.key === key) && (value === undefined || label.value.toLowerCase().includes(value)));
		return json(200, matched.slice(0, limit), { 'x-total-count': String(matched.length) });
	}

	/**
	 * GET /workloads: `hostname` and `name` partial, `managed` / `online` true|false,
	 * `enforcement_mode`, `labels` as a JSON list of lists of label hrefs (inner AND, outer OR).
	 */
	private listWorkloads(params: URLSearchParams): SimResponse {
		const invalid = unsupportedParam(params, WORKLOAD_PARAMS);
		if (invalid) return invalid;
		const limit = parseCollectionLimit(params);
		if (typeof limit !== 'number') return limit;
		const filters: Array<(workload: IllumioWorkload) => boolean> = [];
		for (const field of ['hostname', 'name'] as const) {
			const wanted = params.get(field)?.toLowerCase();
			if (wanted !== undefined) filters.push((workload) => workload[field].toLowerCase().includes(wanted));
		}
		for (const field of ['managed', 'online'] as const) {
			const raw = params.get(field);
			if (raw === null) continue;
			if (raw !== 'true' && raw !== 'false') return illumioError(406, 'input_validation_error', `Input validation failed: '${field}' must be true or false`);
			filters.push((workload) => workload[field] === (raw === 'true'));
		}
		const mode = params.get('enforcement_mode');
		if (mode !== null) {
			if (!['idle', 'visibility_only', 'selective', 'full'].includes(mode)) {
				return illumioError(406, 'input_validation_error', `Input validation failed: invalid enforcement_mode '${mode}'`);
			}
			filters.push((workload) => workload.enforcement_mode === mode);
		}
		const rawLabels = params.get('labels');
		if (rawLabels !== null) {
			const groups = parseLabelGroups(rawLabels);
			if (!groups) return illumioError(406, 'input_validation_error', "Input validation failed: 'labels' must be a JSON list of lists of label hrefs");
			filters.push((workload) => groups.some((group) => group.every((href) => workload.labels.some((label) => label.href === href))));
		}
		const matched = this.workloads.filter((workload) => filters.every((filter) => filter(workload)));
		return json(200, matched.slice(0, limit), { 'x-total-count': String(matched.length) });
	}

	// -------------------------------------------------------------------------------------------
	// Control API
	// -------------------------------------------------------------------------------------------

	protected override vendorControl(method: string, path: string, body: unknown, query?: URLSearchParams): SimResponse | undefined {
		const input = (body ?? {}) as Record<string, unknown>;
		if (method === 'POST' && path === '/__sim/illumio/events') {
			const count = input.count === undefined ? 1 : Number(input.count);
			if (!Number.isInteger(count) || count < 0 || count > 100_000) return json(400, { error: 'count must be an integer from 0 to 100000' });
			const severity = input.severity as IllumioSeverity | undefined;
			if (severity !== undefined && !ILLUMIO_SEVERITIES.includes(severity)) return json(400, { error: `invalid severity ${String(severity)}` });
			const status = input.status as IllumioStatus | undefined;
			if (status !== undefined && status !== 'success' && status !== 'failure') return json(400, { error: `invalid status ${String(status)}` });
			const events = this.addEvents(count, {
				event_type: typeof input.event_type === 'string' ? input.event_type : undefined,
				severity,
				status,
				backdateMs: Number(input.backdateMs ?? 0),
			});
			return json(200, { added: events.length, events });
		}
		const window = /^\/__sim\/illumio\/events(?:\/([^/]+)\/([^/]+))?$/.exec(path);
		if (method === 'GET' && window) {
			const start = parseBound(window[1] ?? query?.get('start') ?? undefined, Number.NEGATIVE_INFINITY);
			const end = parseBound(window[2] ?? query?.get('end') ?? undefined, Number.POSITIVE_INFINITY);
			if (start === undefined || end === undefined) return json(400, { error: 'start and end must be epoch ms or RFC 3339' });
			try {
				const events = this.eventsBetween(start, end);
				return json(200, { count: events.length, events });
			} catch (error) {
				return json(413, { error: (error as Error).message });
			}
		}
		if (method === 'POST' && path === '/__sim/illumio/async') {
			if (input.outcome === 'done' || input.outcome === 'failed') this.asyncOutcome = input.outcome;
			if (typeof input.jobMs === 'number') this.asyncJobMs = input.jobMs;
			if (typeof input.retryAfterSeconds === 'number') this.asyncRetryAfterSeconds = input.retryAfterSeconds;
			return json(200, { outcome: this.asyncOutcome, jobMs: this.asyncJobMs, retryAfterSeconds: this.asyncRetryAfterSeconds });
		}
		return undefined;
	}
}

function parseBound(raw: string | undefined, fallback: number): number | undefined {
	if (raw === undefined || raw === '') return fallback;
	const decoded = decodeURIComponent(raw);
	if (/^-?\d+$/.test(decoded)) return Number(decoded);
	return parseRfc3339(decoded);
}

function unsupportedParam(params: URLSearchParams, allowed: ReadonlySet<string>): SimResponse | undefined {
	for (const key of params.keys()) {
		if (!allowed.has(key)) return illumioError(406, 'invalid_uri', `Invalid URI: unsupported query parameter '${key}'`);
	}
	return undefined;
}

function parseCollectionLimit(params: URLSearchParams): number | SimResponse {
	const raw = params.get('max_results');
	if (raw === null) return COLLECTION_DEFAULT_MAX;
	if (!/^\d+$/.test(raw)) return illumioError(406, 'input_validation_error', 'Input validation failed: max_results must be a non-negative integer');
	return Number(raw);
}

function parseLabelGroups(raw: string): string[][] | undefined {
	try {
		const parsed: unknown = JSON.parse(raw);
		if (!Array.isArray(parsed)) return undefined;
		const groups = parsed as unknown[];
		if (!groups.every((group) => Array.isArray(group) && group.every((href) => typeof href === 'string'))) return undefined;
		return groups as string[][];
	} catch {
		return undefined;
	}
}

function illumioError(status: number, token: string, message: string, headers?: Record<string, string>): SimResponse {
	return json(status, [{ token, message }], headers);
}

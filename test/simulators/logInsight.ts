/**
 * VMware vRealize Log Insight (vRLI) API v1 simulator: CFAPI ingestion (events and the deprecated
 * messages variant), sessions, version, a subset of the events query API, and a read-back of
 * everything ingested for tests.
 *
 * Sources: ../shared/api/specs/vrli-api-v1-reference.txt (the v1 reference, "vRLI v8.0") and
 * ../shared/api/rest-apis.md §4. Where the reference is silent the choice is marked "[choice]".
 *
 * Control API (besides /__sim/faults, /__sim/reset, /__sim/stats from SimulatorBase):
 *   GET  /__sim/vrli/events     {"count":N,"events":[IngestedEvent...]} in arrival order
 *   GET  /__sim/vrli/batches    {"count":N,"batches":[IngestBatch...]} one per accepted POST
 *   POST /__sim/vrli/clear      forget ingested events and batches
 *   POST /__sim/vrli/overload   {"count":2,"retryAfter":5,"status"?:429}: the next `count` ingest POSTs get 503
 *                               (or 429, the throttle answer of newer releases [choice]) with Retry-After
 */
import { SimulatorBase, json, seededRandom, seededUuid, text, type SimRequest, type SimResponse } from './common';

export interface LogInsightSimulatorOptions {
	seed: number;
	/** the agent id handed out by credentials(); ingestion accepts any agent id, as vRLI does */
	agentId: string;
	username: string;
	password: string;
	provider: 'Local' | 'ActiveDirectory' | 'vIDM';
	sessionTtlSeconds: number;
	/** "a maximum of 4MB of JSON in a single submission" */
	maxBodyBytes: number;
	/** "16KB in a single text field", counted in UTF-8 bytes [choice] */
	maxTextBytes: number;
	/** [choice] reject the whole POST (default) or truncate the text and accept */
	textLimitMode: 'reject' | 'truncate';
	/** config.api-server.max-tolerated-client-time-drift */
	maxClientDriftMs: number;
	/**
	 * Unauthenticated timestamps beyond the drift: 'replace' with server time (the 4.3 docs'
	 * "ignored and replaced by server time") or 'clamp' to the nearest edge of the window
	 * (the v1 reference's "clamped to within 10 minutes").
	 */
	driftMode: 'replace' | 'clamp';
	version: string;
	releaseName: string;
	/** the first N ingest POSTs get 503 (more can be queued with overload()) */
	overloadRequests: number;
	overloadRetryAfterSeconds: number;
	/** keep every ingested event for read-back (tests); the benchmark keeps counts and batches only */
	storeEvents: boolean;
}

const DEFAULTS: LogInsightSimulatorOptions = {
	seed: 1,
	agentId: '4a3b6c1e-0f4e-4a55-9a0e-1b2c3d4e5f60',
	username: 'admin',
	password: 'vrli-sim-pass-3d1f',
	provider: 'Local',
	sessionTtlSeconds: 1800,
	maxBodyBytes: 4 * 1024 * 1024,
	maxTextBytes: 16 * 1024,
	textLimitMode: 'reject',
	maxClientDriftMs: 600_000,
	driftMode: 'replace',
	version: '8.10.2-21145187',
	releaseName: 'GA',
	overloadRequests: 0,
	overloadRetryAfterSeconds: 5,
	storeEvents: true,
};

export type IngestField = { name: string; content: string } | { name: string; startPosition: number; length: number } | { name: string };

export interface IngestedEvent {
	/** 1-based arrival order across all batches */
	seq: number;
	batch: number;
	agentId: string;
	api: 'events' | 'messages';
	authenticated: boolean;
	receivedAt: number;
	text: string;
	/** the timestamp vRLI stored */
	timestamp: number;
	/** the timestamp the client sent, or null when it sent none */
	clientTimestamp: number | null;
	/** true when the stored timestamp differs from the client's because of the drift rule */
	clamped: boolean;
	truncated: boolean;
	fields: IngestField[];
}

export interface IngestBatch {
	batch: number;
	agentId: string;
	api: 'events' | 'messages';
	authenticated: boolean;
	events: number;
	bytes: number;
	receivedAt: number;
}

interface Session {
	userId: string;
	expiresAt: number;
}

const SESSION_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DEPRECATED_HEADERS = (): Record<string, string> => ({
	'vmware-li-api-status': 'Deprecated',
	warning: `299 - "Deprecated: This API is deprecated, and will be removed in a future release." ${new Date().toUTCString()}`,
});

type Auth = { kind: 'none' } | { kind: 'ok'; session: Session } | { kind: 'error'; response: SimResponse };

export class LogInsightSimulator extends SimulatorBase {
	readonly options: LogInsightSimulatorOptions;
	private readonly userId: string;
	private readonly random: () => number;
	private sessions = new Map<string, Session>();
	private events: IngestedEvent[] = [];
	/** events ingested since the last clear, stored or not */
	private eventTotal = 0;
	private batchLog: IngestBatch[] = [];
	private overloadLeft: number;
	private overloadRetryAfter: number;
	private overloadStatus: 503 | 429 = 503;

	constructor(options: Partial<LogInsightSimulatorOptions> = {}) {
		super('logInsight');
		this.options = { ...DEFAULTS, ...options };
		this.random = seededRandom(this.options.seed);
		this.userId = seededUuid(seededRandom(this.options.seed ^ 0x51ed270b));
		this.overloadLeft = this.options.overloadRequests;
		this.overloadRetryAfter = this.options.overloadRetryAfterSeconds;
		this.registerRoutes();
	}

	credentials(): { url: string; agentId: string; username: string; password: string } {
		return { url: this.url, agentId: this.options.agentId, username: this.options.username, password: this.options.password };
	}

	/** Everything ingested so far, in arrival order. */
	ingested(): IngestedEvent[] {
		return this.events.map((event) => ({ ...event, fields: event.fields.map((field) => ({ ...field })) }));
	}

	batches(): IngestBatch[] {
		return this.batchLog.map((batch) => ({ ...batch }));
	}

	clear(): void {
		this.events = [];
		this.eventTotal = 0;
		this.batchLog = [];
	}

	/** How many events were ingested since the last clear (also when storeEvents is off). */
	get ingestedCount(): number {
		return this.eventTotal;
	}

	/** The next `count` ingest POSTs answer 503 (or 429) with Retry-After. */
	overload(count: number, retryAfterSeconds = this.options.overloadRetryAfterSeconds, status: 503 | 429 = 503): void {
		this.overloadLeft = count;
		this.overloadRetryAfter = retryAfterSeconds;
		this.overloadStatus = status;
	}

	protected override expireSessions(): void {
		for (const session of this.sessions.values()) session.expiresAt = 0;
	}

	protected override resetState(): void {
		this.sessions = new Map();
		this.clear();
		this.overloadLeft = this.options.overloadRequests;
		this.overloadRetryAfter = this.options.overloadRetryAfterSeconds;
		this.overloadStatus = 503;
	}

	protected override notFound(request: SimRequest): SimResponse {
		return json(404, { errorMessage: `Not found: ${request.method} ${request.path}` });
	}

	protected override vendorControl(method: string, path: string, body: unknown): SimResponse | undefined {
		if (method === 'GET' && path === '/__sim/vrli/events') {
			const events = this.ingested();
			return json(200, { count: events.length, events });
		}
		if (method === 'GET' && path === '/__sim/vrli/batches') return json(200, { count: this.batchLog.length, batches: this.batches() });
		if (method === 'POST' && path === '/__sim/vrli/clear') {
			this.clear();
			return json(200, { cleared: true });
		}
		if (method === 'POST' && path === '/__sim/vrli/overload') {
			const input = (body ?? {}) as { count?: unknown; retryAfter?: unknown; status?: unknown };
			if (input.status !== undefined && input.status !== 503 && input.status !== 429) return json(400, { error: 'status must be 503 or 429' });
			this.overload(Number(input.count ?? 1), Number(input.retryAfter ?? this.options.overloadRetryAfterSeconds), input.status === 429 ? 429 : 503);
			return json(200, { overloadRequests: this.overloadLeft, retryAfter: this.overloadRetryAfter, status: this.overloadStatus });
		}
		return undefined;
	}

	private registerRoutes(): void {
		this.route('POST', /^\/api\/v1\/events\/ingest\/([^/]+)$/, (request, [agentId]) => this.ingest(request, decodeURIComponent(agentId), 'events'));
		// Deprecated, still served; the reference marks it authenticated but agents used it without [choice: optional auth].
		this.route('POST', /^\/api\/v1\/messages\/ingest\/([^/]+)$/, (request, [agentId]) => {
			const response = this.ingest(request, decodeURIComponent(agentId), 'messages');
			return { ...response, headers: { ...response.headers, ...DEPRECATED_HEADERS() } };
		});
		this.route('POST', '/api/v1/sessions', (request) => this.login(request));
		this.route('GET', '/api/v1/sessions/current', (request) =>
			this.authenticated(request, (session) =>
				json(200, { userId: session.userId, ttl: Math.max(0, Math.floor((session.expiresAt - Date.now()) / 1000)) }),
			),
		);
		// The reference lists 401/440 for /version: it needs a session.
		this.route('GET', '/api/v1/version', (request) =>
			this.authenticated(request, () => json(200, { releaseName: this.options.releaseName, version: this.options.version })),
		);
		this.route('GET', /^\/api\/v1\/events(?:\/(.*))?$/, (request, [constraints]) =>
			this.authenticated(request, () => this.query(request, constraints ?? '')),
		);
	}

	// -------------------------------------------------------------------------------------------
	// Sessions
	// -------------------------------------------------------------------------------------------

	private login(request: SimRequest): SimResponse {
		const body = request.json as Record<string, unknown> | undefined;
		if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidBody('expected a JSON object');
		const { username, password, provider } = body;
		if (typeof username !== 'string' || typeof password !== 'string' || typeof provider !== 'string') {
			return invalidBody("'username', 'password' and 'provider' are required strings");
		}
		if (!/^(Local|ActiveDirectory|vIDM)$/.test(provider)) return invalidBody(`'provider' must be Local, ActiveDirectory or vIDM`);
		if (username !== this.options.username || password !== this.options.password || provider !== this.options.provider) {
			return json(401, { errorMessage: 'Invalid username or password.', errorCode: 'FIELD_ERROR' });
		}
		const sessionId = Array.from({ length: 48 }, () => SESSION_ALPHABET[Math.floor(this.random() * 64)]).join('');
		this.sessions.set(sessionId, { userId: this.userId, expiresAt: Date.now() + this.options.sessionTtlSeconds * 1000 });
		return json(200, { userId: this.userId, sessionId, ttl: this.options.sessionTtlSeconds });
	}

	/** Reads `Authorization: Bearer <sessionId>`; no header at all is anonymous. */
	private auth(request: SimRequest): Auth {
		const header = request.headers.authorization;
		if (header === undefined) return { kind: 'none' };
		const match = /^Bearer (.+)$/.exec(header);
		const session = match ? this.sessions.get(match[1]) : undefined;
		if (!session) return { kind: 'error', response: text(401, 'Invalid session ID') };
		if (Date.now() >= session.expiresAt) return { kind: 'error', response: text(440, 'Login Timeout') };
		return { kind: 'ok', session };
	}

	private authenticated(request: SimRequest, handler: (session: Session) => SimResponse): SimResponse {
		const auth = this.auth(request);
		if (auth.kind === 'error') return auth.response;
		if (auth.kind === 'none') return text(401, 'Invalid session ID');
		return handler(auth.session);
	}

	// -------------------------------------------------------------------------------------------
	// Ingestion
	// -------------------------------------------------------------------------------------------

	private ingest(request: SimRequest, agentId: string, api: 'events' | 'messages'): SimResponse {
		if (this.overloadLeft > 0) {
			this.overloadLeft--;
			const message = this.overloadStatus === 429 ? 'Too many ingestion requests; retry later.' : 'The server is overloaded and unable to handle this ingestion request.';
			return json(this.overloadStatus, { errorMessage: message }, { 'retry-after': String(this.overloadRetryAfter) });
		}
		// [choice] Undocumented status for an oversized POST: 413 with vRLI's error body.
		if (request.body.length > this.options.maxBodyBytes) {
			return json(413, {
				errorMessage: `Request body of ${request.body.length} bytes exceeds the limit of ${this.options.maxBodyBytes} bytes.`,
				errorCode: 'LIMIT_ERROR',
			});
		}
		const auth = this.auth(request);
		if (auth.kind === 'error') return auth.response;
		const authenticated = auth.kind === 'ok';

		// The router already parsed the body; it is parsed again only to quote the parser's complaint.
		let body: unknown = request.json;
		if (body === undefined && request.body.length > 0) {
			try {
				body = JSON.parse(request.body.toString('utf8'));
			} catch (error) {
				return invalidBody((error as Error).message);
			}
		}
		if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) return invalidBody('expected a JSON object');
		const list = body === undefined ? undefined : (body as Record<string, unknown>)[api];
		if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) return json(400, { errorMessage: 'Missing events' });
		if (!Array.isArray(list)) return invalidBody(`'${api}' must be an array`);

		const now = Date.now();
		const accepted: IngestedEvent[] = [];
		const batch = this.batchLog.length + 1;
		for (let i = 0; i < list.length; i++) {
			const checked = this.checkEvent(list[i], `${api}[${i}]`);
			if (typeof checked === 'object' && 'status' in checked) return checked;
			const { text: rawText, timestamp, fields } = checked;
			let eventText = rawText;
			let truncated = false;
			// A text of n UTF-16 units is at most 3n UTF-8 bytes: short texts need no count.
			if (eventText.length * 3 > this.options.maxTextBytes && Buffer.byteLength(eventText, 'utf8') > this.options.maxTextBytes) {
				if (this.options.textLimitMode === 'reject') {
					return json(400, {
						errorMessage: `Text of ${api}[${i}] is ${Buffer.byteLength(eventText, 'utf8')} bytes; the limit is ${this.options.maxTextBytes} bytes.`,
						errorCode: 'LIMIT_ERROR',
					});
				}
				eventText = truncateUtf8(eventText, this.options.maxTextBytes);
				truncated = true;
			}
			const stored = this.storedTimestamp(timestamp, authenticated, now);
			accepted.push({
				seq: 0,
				batch,
				agentId,
				api,
				authenticated,
				receivedAt: now,
				text: eventText,
				timestamp: stored,
				clientTimestamp: timestamp ?? null,
				clamped: timestamp !== undefined && stored !== timestamp,
				truncated,
				fields,
			});
		}
		this.batchLog.push({ batch, agentId, api, authenticated, events: accepted.length, bytes: request.body.length, receivedAt: now });
		for (const event of accepted) {
			event.seq = ++this.eventTotal;
			if (this.options.storeEvents) this.events.push(event);
		}
		return json(200, { status: 'ok', message: 'events ingested', ingested: accepted.length });
	}

	/** Validates one event against the IngestLogEvents schema (fields: additionalProperties false). */
	private checkEvent(raw: unknown, where: string): { text: string; timestamp?: number; fields: IngestField[] } | SimResponse {
		if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalidBody(`${where} must be an object`);
		const event = raw as Record<string, unknown>;
		if (event.text !== undefined && event.text !== null && typeof event.text !== 'string') return invalidBody(`${where}.text must be a string`);
		const eventText = typeof event.text === 'string' ? event.text : '';
		let timestamp: number | undefined;
		if (event.timestamp !== undefined && event.timestamp !== null) {
			if (typeof event.timestamp !== 'number' || !Number.isInteger(event.timestamp)) {
				return invalidBody(`${where}.timestamp must be an integer (ms since epoch)`);
			}
			timestamp = event.timestamp;
		}
		const fields: IngestField[] = [];
		if (event.fields !== undefined && event.fields !== null) {
			if (!Array.isArray(event.fields)) return invalidBody(`${where}.fields must be an array`);
			for (let f = 0; f < event.fields.length; f++) {
				const field = event.fields[f] as Record<string, unknown>;
				const at = `${where}.fields[${f}]`;
				if (typeof field !== 'object' || field === null || Array.isArray(field)) return invalidBody(`${at} must be an object`);
				if (typeof field.name !== 'string' || field.name === '') return invalidBody(`${at}.name must be a non-empty string`);
				const keys = fieldShape(field);
				if (keys === 'content,name') {
					if (typeof field.content !== 'string') return invalidBody(`${at}.content must be a string`);
					fields.push({ name: field.name, content: field.content });
				} else if (keys === 'length,name,startPosition') {
					const { startPosition, length } = field;
					if (!Number.isInteger(startPosition) || !Number.isInteger(length)) return invalidBody(`${at}: startPosition and length must be integers`);
					const start = startPosition as number;
					const size = length as number;
					if (start < 0 || size < 0 || start + size > eventText.length) return invalidBody(`${at}: startPosition/length fall outside the text`);
					fields.push({ name: field.name, startPosition: start, length: size });
				} else if (keys === 'name') {
					fields.push({ name: field.name });
				} else {
					return invalidBody(`${at} must be {name,content}, {name,startPosition,length} or {name}`);
				}
			}
		}
		return { text: eventText, timestamp, fields };
	}

	private storedTimestamp(client: number | undefined, authenticated: boolean, now: number): number {
		if (client === undefined) return now;
		if (authenticated) return client;
		const drift = this.options.maxClientDriftMs;
		if (Math.abs(client - now) <= drift) return client;
		if (this.options.driftMode === 'replace') return now;
		return client < now ? now - drift : now + drift;
	}

	// -------------------------------------------------------------------------------------------
	// Query API (subset): GET /api/v1/events/<field>/<operator value>/...
	// -------------------------------------------------------------------------------------------

	private query(request: SimRequest, path: string): SimResponse {
		const started = Date.now();
		const segments = path.split('/').filter((segment) => segment !== '');
		if (segments.length % 2 !== 0) return searchError(`constraint '${decodeURIComponent(segments[segments.length - 1])}' has no operator`);
		const groups = new Map<string, Array<(event: IngestedEvent) => boolean>>();
		let hasTimestamp = false;
		for (let i = 0; i < segments.length; i += 2) {
			const field = decodeURIComponent(segments[i]);
			const parsed = parseOperator(decodeURIComponent(segments[i + 1]));
			if (!parsed) return searchError(`unsupported constraint '${field}/${decodeURIComponent(segments[i + 1])}'`);
			const predicate = this.predicate(field, parsed.op, parsed.value, started);
			if (typeof predicate === 'string') return searchError(predicate);
			if (field === 'timestamp') hasTimestamp = true;
			// Same field and operator: OR; everything else: AND.
			const key = `${field}\u0000${parsed.op}`;
			groups.set(key, [...(groups.get(key) ?? []), predicate]);
		}
		if (!hasTimestamp) groups.set('timestamp\u0000default', [(event) => event.timestamp >= started - 60_000]);

		const rawLimit = request.query.get('limit');
		const limit = rawLimit === null ? 100 : Number(rawLimit);
		if (!Number.isInteger(limit) || limit < 1) return searchError(`invalid limit '${rawLimit}'`);
		const direction = (request.query.get('order-by-direction') ?? 'DESC').toUpperCase();
		if (direction !== 'ASC' && direction !== 'DESC') return searchError(`invalid order-by-direction '${direction}'`);
		const view = (request.query.get('view') ?? 'DEFAULT').toUpperCase();

		const matching = this.events.filter((event) => [...groups.values()].every((alternatives) => alternatives.some((test) => test(event))));
		matching.sort((a, b) => (direction === 'ASC' ? a.timestamp - b.timestamp || a.seq - b.seq : b.timestamp - a.timestamp || b.seq - a.seq));
		const selected = matching.slice(0, Math.min(limit, 20_000));
		const duration = Date.now() - started;
		if (view === 'SIMPLE') {
			const results = selected.map((event) => {
				const flat: Record<string, unknown> = { text: event.text, timestamp: event.timestamp, timestampString: timestampString(event.timestamp) };
				for (const field of event.fields) flat[field.name] = fieldContent(event, field);
				return flat;
			});
			return json(200, { complete: true, duration, results });
		}
		const events = selected.map((event) => ({
			text: event.text,
			timestamp: event.timestamp,
			timestampString: timestampString(event.timestamp),
			fields: event.fields.map((field) => ({ ...field })),
		}));
		return json(200, { complete: true, duration, events });
	}

	private predicate(field: string, op: string, value: string, now: number): ((event: IngestedEvent) => boolean) | string {
		if (op === 'MATCHES_REGEX' || op === 'NOT_MATCHES_REGEX') return 'regular expression constraints are disabled (config.api-server.regex-query-enabled)';
		const read = (event: IngestedEvent): string | number | undefined => {
			if (field === 'text') return event.text;
			if (field === 'timestamp') return event.timestamp;
			const found = event.fields.find((candidate) => candidate.name === field);
			return found ? fieldContent(event, found) : undefined;
		};
		if (op === 'EXISTS') return (event) => read(event) !== undefined;
		if (op === 'LAST') {
			if (field !== 'timestamp') return 'LAST applies only to the timestamp field';
			const span = Number(value);
			if (!Number.isFinite(span)) return `invalid LAST value '${value}'`;
			return (event) => event.timestamp >= now - span;
		}
		if (['CONTAINS', 'NOT_CONTAINS', 'HAS', 'NOT_HAS'].includes(op)) {
			const wanted = tokens(value);
			const test = op.endsWith('CONTAINS') ? (have: string[]) => containsPhrase(have, wanted) : (have: string[]) => wanted.every((token) => have.includes(token));
			const negate = op.startsWith('NOT_');
			return (event) => {
				const content = read(event);
				const result = content !== undefined && test(tokens(String(content)));
				return negate ? !result : result;
			};
		}
		const numeric = Number(value);
		return (event) => {
			const content = read(event);
			if (content === undefined) return op === '!=';
			const useNumbers = value.trim() !== '' && Number.isFinite(numeric) && Number.isFinite(Number(content));
			const left: number | string = useNumbers ? Number(content) : String(content).toLowerCase();
			const right: number | string = useNumbers ? numeric : value.toLowerCase();
			switch (op) {
				case '=':
					return left === right;
				case '!=':
					return left !== right;
				case '<':
					return left < right;
				case '<=':
					return left <= right;
				case '>':
					return left > right;
				default:
					return left >= right;
			}
		};
	}
}

const WORD_OPERATORS: Record<string, string> = {
	EQ: '=',
	NE: '!=',
	LT: '<',
	LE: '<=',
	GT: '>',
	GE: '>=',
	CONTAINS: 'CONTAINS',
	NOT_CONTAINS: 'NOT_CONTAINS',
	HAS: 'HAS',
	NOT_HAS: 'NOT_HAS',
	MATCHES_REGEX: 'MATCHES_REGEX',
	NOT_MATCHES_REGEX: 'NOT_MATCHES_REGEX',
	LAST: 'LAST',
	EXISTS: 'EXISTS',
};
const SYMBOL_OPERATORS: Array<[string, string]> = [
	['!=~', 'NOT_MATCHES_REGEX'],
	['=~', 'MATCHES_REGEX'],
	['!=', '!='],
	['<=', '<='],
	['>=', '>='],
	['=', '='],
	['<', '<'],
	['>', '>'],
];

function parseOperator(raw: string): { op: string; value: string } | undefined {
	for (const [symbol, op] of SYMBOL_OPERATORS) {
		if (raw.startsWith(symbol)) return { op, value: raw.slice(symbol.length).trim() };
	}
	const match = /^([A-Z_]+)(?:\s+(.*))?$/.exec(raw);
	if (!match || !(match[1] in WORD_OPERATORS)) return undefined;
	const op = WORD_OPERATORS[match[1]];
	if (op !== 'EXISTS' && match[2] === undefined) return undefined;
	return { op, value: match[2] ?? '' };
}

/** Case-insensitive word tokens; punctuation separates tokens and is otherwise ignored. */
function tokens(value: string): string[] {
	return value.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((token) => token !== '');
}

function containsPhrase(have: string[], wanted: string[]): boolean {
	if (wanted.length === 0) return true;
	const same = (token: string, pattern: string) =>
		pattern.includes('*') ? new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`).test(token) : token === pattern;
	for (let start = 0; start + wanted.length <= have.length; start++) {
		if (wanted.every((pattern, offset) => same(have[start + offset], pattern))) return true;
	}
	return false;
}

function escapeRegex(value: string): string {
	return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fieldContent(event: IngestedEvent, field: IngestField): string {
	if ('content' in field) return field.content;
	if ('startPosition' in field) return event.text.slice(field.startPosition, field.startPosition + field.length);
	return '';
}

function timestampString(ms: number): string {
	return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} GMT+00:00`;
}

function truncateUtf8(value: string, maxBytes: number): string {
	let result = value;
	while (Buffer.byteLength(result, 'utf8') > maxBytes) result = result.slice(0, Math.max(0, result.length - Math.ceil((Buffer.byteLength(result, 'utf8') - maxBytes) / 4)));
	// Never leave half a surrogate pair behind.
	if (/[\ud800-\udbff]$/.test(result)) result = result.slice(0, -1);
	return result;
}

/** The sorted key list of a field object, without sorting in the common two- and three-key cases. */
function fieldShape(field: Record<string, unknown>): string {
	const keys = Object.keys(field);
	if (keys.length === 2 && 'name' in field && 'content' in field) return 'content,name';
	if (keys.length === 1 && 'name' in field) return 'name';
	return keys.sort().join(',');
}

function invalidBody(reason: string): SimResponse {
	return json(400, { errorMessage: 'Invalid request body.', errorCode: 'JSON_FORMAT_ERROR', errorDetails: { reason } });
}

function searchError(reason: string): SimResponse {
	return json(400, { errorMessage: `Invalid query: ${reason}`, errorCode: 'SEARCH_ERROR' });
}

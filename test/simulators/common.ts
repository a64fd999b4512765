/**
 * Machinery shared by every simulated appliance: a seeded PRNG, a tiny router on node:http,
 * JSON helpers and faults on demand. Each vendor file holds only what is that vendor's.
 *
 * Faults are injected through the control API every simulator serves under `/__sim/`
 * (or in-process through `SimulatorBase.faults`):
 *   POST /__sim/faults  {"faults":[{"path":"/portal/rest/event/getEnterpriseEvents","kind":"status","status":429,"retryAfter":5,"times":1}]}
 *   POST /__sim/reset   clears faults and counters
 *   GET  /__sim/stats   request counts per path
 *
 * Transport. Real appliances are HTTPS only, so every simulator serves HTTPS by default with a
 * throw-away CA and a server certificate for 127.0.0.1 and localhost (`simulatorTls()`, made with the
 * openssl CLI once per process, or read from $NETSEC_SIMULATOR_TLS_DIR so that several processes, e.g.
 * the e2e tests and the n8n they drive, share one CA). Clients trust that CA (a credential's CA field,
 * NODE_EXTRA_CA_CERTS, axios' `httpsAgent`) instead of switching verification off. `start(port,
 * { plainHttp: true })` serves plain HTTP instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** mulberry32: small, fast and deterministic for a given seed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function pick<T>(random: () => number, values: readonly T[]): T {
	return values[Math.floor(random() * values.length)];
}

/** A picker that draws items in proportion to their `weight` from a uniform draw in [0, 1). */
export function weightedPicker<T extends { weight: number }>(items: readonly T[]): (draw: number) => T {
	const total = items.reduce((sum, item) => sum + item.weight, 0);
	return (draw) => {
		let rest = draw * total;
		for (const item of items) {
			rest -= item.weight;
			if (rest < 0) return item;
		}
		return items[items.length - 1];
	};
}

/** A deterministic RFC 4122-looking UUID from the PRNG. */
export function seededUuid(random: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** PEM texts of a simulator CA and of the server certificate it signed (for 127.0.0.1 and localhost). */
export interface SimulatorTls {
	ca: string;
	cert: string;
	key: string;
}

/** Names the folder whose ca.pem, cert.pem and key.pem every simulator of this process serves with. */
export const SIMULATOR_TLS_DIR_VARIABLE = 'NETSEC_SIMULATOR_TLS_DIR';

const TLS_FILES = { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' } as const;

/**
 * Makes a throw-away CA and a server certificate for 127.0.0.1/localhost signed by it, and writes
 * ca.pem, cert.pem and key.pem into `folder`. The CA key is deleted: nothing else can ever be signed.
 */
export function makeSimulatorTls(folder: string, validDays = 30): SimulatorTls {
	mkdirSync(folder, { recursive: true });
	const file = (name: string) => join(folder, name);
	const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', timeout: 30_000 });
	const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	try {
		writeFileSync(file('ca.cnf'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
		writeFileSync(
			file('server.cnf'),
			'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nauthorityKeyIdentifier=keyid\n',
		);
		openssl(['req', '-new', ...ecKey, '-subj', '/CN=netsec-events simulator CA (throw-away)', '-keyout', file('ca.key'), '-out', file('ca.csr')]);
		openssl(['x509', '-req', '-days', String(validDays), '-in', file('ca.csr'), '-signkey', file('ca.key'), '-extfile', file('ca.cnf'), '-out', file(TLS_FILES.ca)]);
		openssl(['req', '-new', ...ecKey, '-subj', '/CN=127.0.0.1', '-keyout', file(TLS_FILES.key), '-out', file('server.csr')]);
		openssl(['x509', '-req', '-days', String(validDays), '-in', file('server.csr'), '-CA', file(TLS_FILES.ca), '-CAkey', file('ca.key'), '-set_serial', String(Date.now()), '-extfile', file('server.cnf'), '-out', file(TLS_FILES.cert)]);
	} finally {
		for (const name of ['ca.key', 'ca.csr', 'ca.cnf', 'server.csr', 'server.cnf']) rmSync(file(name), { force: true });
	}
	return readSimulatorTls(folder);
}

export function readSimulatorTls(folder: string): SimulatorTls {
	const read = (name: string) => readFileSync(join(folder, name), 'utf8');
	return { ca: read(TLS_FILES.ca), cert: read(TLS_FILES.cert), key: read(TLS_FILES.key) };
}

let processTls: SimulatorTls | undefined;

/**
 * The TLS material simulators of this process serve with: read from $NETSEC_SIMULATOR_TLS_DIR (made
 * there first if missing), otherwise made once in a temporary folder that is removed right away.
 */
export function simulatorTls(): SimulatorTls {
	if (processTls) return processTls;
	const shared = process.env[SIMULATOR_TLS_DIR_VARIABLE];
	if (shared) {
		processTls = existsSync(join(shared, TLS_FILES.ca)) ? readSimulatorTls(shared) : makeSimulatorTls(shared);
		return processTls;
	}
	const folder = mkdtempSync(join(tmpdir(), 'netsec-sim-tls-'));
	try {
		processTls = makeSimulatorTls(folder);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
	return processTls;
}

/** Where `makeSimulatorTls(folder)` puts the CA. */
export function simulatorCaFile(folder: string): string {
	return join(folder, TLS_FILES.ca);
}

/** The CA file of $NETSEC_SIMULATOR_TLS_DIR, when simulators of this process read their TLS from there. */
export function sharedSimulatorCaFile(): string | undefined {
	const shared = process.env[SIMULATOR_TLS_DIR_VARIABLE];
	return shared ? simulatorCaFile(shared) : undefined;
}

export interface StartOptions {
	/** serve plain HTTP instead of HTTPS */
	plainHttp?: boolean;
	/** TLS material to serve with; default `simulatorTls()` */
	tls?: SimulatorTls;
}

export type FaultKind =
	/** answer with `status` (and `Retry-After` when given) and `body` (JSON) instead of the real answer */
	| 'status'
	/** destroy the socket without answering */
	| 'drop'
	/** wait `delayMs`, then answer normally */
	| 'delay'
	/** answer 200 with a body that is not valid JSON */
	| 'malformed'
	/** answer 200 with a body of `bytes` bytes of valid JSON padding */
	| 'oversized'
	/** vendor-specific: invalidate the current session or token before answering */
	| 'expireSession';

export interface Fault {
	/** exact request path (without query string), or `*` for any non-control path */
	path: string;
	kind: FaultKind;
	status?: number;
	retryAfter?: number;
	body?: unknown;
	delayMs?: number;
	bytes?: number;
	/** how many matching requests this fault applies to (default 1) */
	times?: number;
	/** skip this many matching requests before the fault starts applying (default 0) */
	after?: number;
}

export interface SimRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** parsed JSON body, or undefined when the body is empty or not JSON */
	json: unknown;
	raw: http.IncomingMessage;
}

export interface SimResponse {
	status: number;
	headers?: Record<string, string | string[]>;
	body?: unknown;
	/** send this text as is instead of JSON-encoding `body` */
	text?: string;
}

export type Handler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

interface Route {
	method: string;
	pattern: RegExp;
	handler: (request: SimRequest, params: string[]) => SimResponse | Promise<SimResponse>;
}

export function json(status: number, body: unknown, headers?: Record<string, string | string[]>): SimResponse {
	return { status, body, headers };
}

export function text(status: number, body: string, headers?: Record<string, string | string[]>): SimResponse {
	return { status, text: body, headers: { 'content-type': 'text/plain', ...headers } };
}

/** Largest request body a simulator reads; vRLI enforces its own 4 MB limit below this. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export abstract class SimulatorBase {
	readonly faults: Fault[] = [];
	readonly stats = new Map<string, number>();
	private readonly routes: Route[] = [];
	private server?: http.Server | https.Server;
	private tls?: SimulatorTls;
	private readonly sockets = new Set<Socket>();
	private faultSeen = new Map<Fault, number>();
	private trickleTimer?: NodeJS.Timeout;

	constructor(readonly name: string) {}

	protected route(
		method: string,
		pattern: string | RegExp,
		handler: (request: SimRequest, params: string[]) => SimResponse | Promise<SimResponse>,
	): void {
		const regex = typeof pattern === 'string' ? new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : pattern;
		this.routes.push({ method, pattern: regex, handler });
	}

	/** Vendor hook for `expireSession` faults. */
	protected expireSessions(): void {}

	/** Vendor hook for `/__sim/reset`: clear vendor state that tests may have changed. */
	protected resetState(): void {}

	/** Vendor hook for the websocket upgrade (SMC). */
	protected onUpgrade?(request: http.IncomingMessage, socket: Socket, head: Buffer): void;

	/** Vendor hook: ms between two `trickleOnce` calls while started; 0 = no trickle. */
	protected trickleEveryMs(): number {
		return 0;
	}

	/** Vendor hook: one beat of the steady trickle (a new event, an element change...). */
	protected trickleOnce(): void {}

	get url(): string {
		const address = this.server?.address() as AddressInfo | null;
		if (!address) throw new Error(`${this.name} simulator is not started`);
		return `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
	}

	/** The CA (PEM) the server certificate chains to; undefined when serving plain HTTP. */
	get ca(): string | undefined {
		return this.tls?.ca;
	}

	get port(): number {
		return (this.server?.address() as AddressInfo).port;
	}

	injectFaults(faults: Fault[]): void {
		this.faults.push(...faults);
	}

	reset(): void {
		this.faults.length = 0;
		this.faultSeen = new Map();
		this.stats.clear();
		this.resetState();
	}

	async start(port = 0, options: StartOptions = {}): Promise<this> {
		const tls = options.plainHttp ? undefined : (options.tls ?? simulatorTls());
		const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
		const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
		server.keepAliveTimeout = 5000;
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		if (this.onUpgrade) {
			server.on('upgrade', (req, socket, head) => {
				this.countRequest(new URL(req.url ?? '/', 'http://x').pathname);
				this.onUpgrade!(req, socket as Socket, head);
			});
		}
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve());
		});
		this.server = server;
		this.tls = tls;
		// The trickle starts with the server, never at construction: what a test sees depends on when it starts.
		const every = this.trickleEveryMs();
		if (every > 0) {
			this.trickleTimer = setInterval(() => this.trickleOnce(), every);
			this.trickleTimer.unref();
		}
		return this;
	}

	async stop(): Promise<void> {
		clearInterval(this.trickleTimer);
		this.trickleTimer = undefined;
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private countRequest(path: string): void {
		this.stats.set(path, (this.stats.get(path) ?? 0) + 1);
	}

	/** Takes the next fault that applies to `path`, honouring `after` and `times`. */
	protected takeFault(path: string): Fault | undefined {
		for (const fault of this.faults) {
			if (fault.path !== path && fault.path !== '*') continue;
			const seen = (this.faultSeen.get(fault) ?? 0) + 1;
			this.faultSeen.set(fault, seen);
			const after = fault.after ?? 0;
			if (seen <= after) continue;
			if (seen - after >= (fault.times ?? 1)) this.faults.splice(this.faults.indexOf(fault), 1);
			return fault;
		}
		return undefined;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		// A client that joins a host with a trailing slash sends `//portal/...`; URL would read `portal` as a host.
		const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://127.0.0.1');
		const path = url.pathname;
		try {
			const body = await readBody(req);
			if (body === undefined) {
				send(res, json(413, { error: 'request body too large' }));
				return;
			}
			if (path.startsWith('/__sim/')) {
				send(res, this.control(req.method ?? 'GET', path, body, url.searchParams));
				return;
			}
			this.countRequest(path);
			const fault = this.takeFault(path);
			if (fault) {
				const handled = await this.applyFault(fault, res);
				if (handled) return;
			}
			const request: SimRequest = {
				method: req.method ?? 'GET',
				path,
				query: url.searchParams,
				headers: req.headers,
				body,
				json: parseJson(body),
				raw: req,
			};
			for (const route of this.routes) {
				if (route.method !== request.method && route.method !== '*') continue;
				const match = route.pattern.exec(path);
				if (!match) continue;
				send(res, await route.handler(request, match.slice(1)));
				return;
			}
			send(res, this.notFound(request));
		} catch (error) {
			send(res, json(500, { error: (error as Error).message }));
		}
	}

	/** Vendor hook: the shape of a 404 on this appliance. */
	protected notFound(request: SimRequest): SimResponse {
		return json(404, { error: `no route for ${request.method} ${request.path}` });
	}

	/** Returns true when the fault fully answered (or killed) the request. */
	private async applyFault(fault: Fault, res: http.ServerResponse): Promise<boolean> {
		switch (fault.kind) {
			case 'status': {
				const headers: Record<string, string> = {};
				if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
				send(res, json(fault.status ?? 500, fault.body ?? { error: 'simulated fault' }, headers));
				return true;
			}
			case 'drop':
				res.socket?.destroy();
				return true;
			case 'delay':
				await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
				return false;
			case 'malformed':
				send(res, { status: 200, text: '{"data": [ {"id": 1, "eventTime": ', headers: { 'content-type': 'application/json' } });
				return true;
			case 'oversized': {
				const padding = 'x'.repeat(Math.max(0, (fault.bytes ?? 64 * 1024 * 1024) - 16));
				send(res, { status: 200, text: `{"padding":"${padding}"}`, headers: { 'content-type': 'application/json' } });
				return true;
			}
			case 'expireSession':
				this.expireSessions();
				return false;
		}
	}

	private control(method: string, path: string, body: Buffer, query: URLSearchParams): SimResponse {
		if (method === 'POST' && path === '/__sim/faults') {
			const parsed = parseJson(body) as { faults?: Fault[] } | undefined;
			if (!parsed || !Array.isArray(parsed.faults)) return json(400, { error: 'expected {"faults":[...]}' });
			this.injectFaults(parsed.faults);
			return json(200, { queued: this.faults.length });
		}
		if (method === 'POST' && path === '/__sim/reset') {
			this.reset();
			return json(200, { reset: true });
		}
		if (method === 'GET' && path === '/__sim/stats') {
			return json(200, { requests: Object.fromEntries(this.stats), faults: this.faults });
		}
		const extra = this.vendorControl(method, path, parseJson(body), query);
		return extra ?? json(404, { error: `unknown control ${method} ${path}` });
	}

	/** Vendor hook for extra control endpoints (add events, read back ingested data...). */
	protected vendorControl(_method: string, _path: string, _body: unknown, _query?: URLSearchParams): SimResponse | undefined {
		return undefined;
	}
}

function parseJson(body: Buffer): unknown {
	if (body.length === 0) return undefined;
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		return undefined;
	}
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function send(res: http.ServerResponse, response: SimResponse): void {
	if (res.headersSent || res.destroyed) return;
	const payload =
		response.text !== undefined ? response.text : response.body === undefined ? '' : JSON.stringify(response.body);
	const headers: Record<string, string | string[]> = {
		'content-type': 'application/json',
		...response.headers,
	};
	headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(response.status, headers);
	res.end(payload);
}

/** `https` when the request came over TLS: for the absolute links some appliances put in their answers. */
export function schemeOf(request: http.IncomingMessage): 'https' | 'http' {
	return (request.socket as TLSSocket).encrypted ? 'https' : 'http';
}

/** Parses a Cookie header into a map. */
export function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index > 0) cookies.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
	}
	return cookies;
}

/** Binary search: first index in a sorted array whose key is >= value. */
export function lowerBound<T>(items: readonly T[], value: number, key: (item: T) => number): number {
	let low = 0;
	let high = items.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (key(items[middle]) < value) low = middle + 1;
		else high = middle;
	}
	return low;
}

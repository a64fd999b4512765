/**
 * Plain clients for the SMC simulator's tests: axios and the `ws` client, speaking the wire as
 * smc-python does (never our node code). Every wait is bounded.
 */
import axios, { type AxiosResponse } from 'axios';
import { WebSocket } from 'ws';
import { simulatorTls } from './common';
import type { ForcepointSmcSimulator } from './forcepointSmc';

export const WAIT_MS = 3000;

export interface Msg {
	success?: string;
	failure?: string;
	fetch?: number;
	status?: string;
	end?: string;
	records?: Array<Record<string, unknown>> | { added: Array<Record<string, unknown>>; updated: Array<Record<string, unknown>>; deleted: Array<Record<string, unknown>> };
	fields?: Array<{ id: number; name: string; pretty: string }>;
	subscription_id?: number;
	context?: string;
	event?: { type: string; element: string };
	events?: Array<{ type: string; element: string }>;
}

export type SessionRecords = { added: Array<Record<string, unknown>>; updated: Array<Record<string, unknown>>; deleted: Array<Record<string, unknown>> };

/** Buffers a socket's JSON messages; every wait is bounded. */
export class Inbox {
	private readonly queue: Msg[] = [];
	private readonly waiters: Array<(message: Msg) => void> = [];
	readonly closed: Promise<{ code: number; reason: string }>;

	constructor(readonly ws: WebSocket) {
		ws.on('message', (data) => {
			const message = JSON.parse(data.toString()) as Msg;
			const waiter = this.waiters.shift();
			if (waiter) waiter(message);
			else this.queue.push(message);
		});
		this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	}

	next(timeoutMs = WAIT_MS): Promise<Msg> {
		const queued = this.queue.shift();
		if (queued) return Promise.resolve(queued);
		return new Promise((resolve, reject) => {
			const waiter = (message: Msg): void => {
				clearTimeout(timer);
				resolve(message);
			};
			const timer = setTimeout(() => {
				this.waiters.splice(this.waiters.indexOf(waiter), 1);
				reject(new Error(`no websocket message within ${timeoutMs} ms`));
			}, timeoutMs);
			this.waiters.push(waiter);
		});
	}

	/** Reads messages until one satisfies `done`; returns all of them, the last included. */
	async until(done: (message: Msg) => boolean, timeoutMs = WAIT_MS): Promise<Msg[]> {
		const messages: Msg[] = [];
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const message = await this.next(Math.max(1, deadline - Date.now()));
			messages.push(message);
			if (done(message)) return messages;
		}
	}

	/** True when nothing arrives within `ms`. */
	async quiet(ms: number): Promise<boolean> {
		try {
			await this.next(ms);
			return false;
		} catch {
			return true;
		}
	}

	send(message: unknown): void {
		this.ws.send(JSON.stringify(message));
	}

	async closeWithin(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
		let timer: NodeJS.Timeout | undefined;
		try {
			return await Promise.race([
				this.closed,
				new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
				}),
			]);
		} finally {
			clearTimeout(timer);
		}
	}
}

/** Opens a socket as smc-python does: the session cookie, or in token mode the `access_token` subprotocol offer. */
export function connect(url: string, cookie?: string, protocols?: string[]): Promise<Inbox> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, protocols, { headers: cookie ? { Cookie: cookie } : {}, handshakeTimeout: WAIT_MS, ca: simulatorTls().ca });
		const inbox = new Inbox(ws);
		ws.once('open', () => resolve(inbox));
		ws.once('error', (error) => reject(error));
	});
}

/** The HTTP status the server refused an upgrade with. */
export async function refusedStatus(url: string, cookie?: string): Promise<number> {
	try {
		const inbox = await connect(url, cookie);
		inbox.ws.close();
		return 101;
	} catch (error) {
		const match = /Unexpected server response: (\d+)/.exec((error as Error).message);
		if (!match) throw error;
		return Number(match[1]);
	}
}

/** Polls `condition` every 10 ms for at most WAIT_MS. */
export async function waitFor(condition: () => boolean): Promise<void> {
	const deadline = Date.now() + WAIT_MS;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

export const http = axios.create({ validateStatus: () => true, timeout: WAIT_MS });

export async function login(sim: ForcepointSmcSimulator, version = '7.1', domain = 'Shared Domain'): Promise<string> {
	const response = await http.post(`${sim.url}/${version}/login`, { domain, authenticationkey: sim.options.apiKey });
	expect(response.status).toBe(200);
	return cookieOf(response);
}

export function cookieOf(response: AxiosResponse): string {
	const header = response.headers['set-cookie']?.[0] ?? '';
	return header.split(';')[0];
}

export function wsUrl(sim: ForcepointSmcSimulator, path: string): string {
	return `${sim.url.replace('http', 'ws')}${path}`;
}

export function addedOf(messages: Msg[]): Array<Record<string, unknown>> {
	return messages.flatMap((message) => (message.records && !Array.isArray(message.records) ? message.records.added : []));
}

export function logRecordsOf(messages: Msg[]): Array<Record<string, unknown>> {
	return messages.flatMap((message) => (Array.isArray(message.records) ? message.records : []));
}

/** The reconnecting stream against the SMC simulator: drops, expired sessions, fatal refusals, abort. */
import axios from 'axios';

import { changesOf, subscribe, type ElementChange } from '../../../nodes/ForcepointSmc/transport/notifications';
import { SmcSocket, SmcSocketError } from '../../../nodes/ForcepointSmc/transport/socket';
import { backoffDelayMs, isTransient, runStream, type StartedStream, type StreamGap } from '../../../nodes/ForcepointSmc/transport/stream';
import { ApplianceError } from '../../../nodes/shared/errors';
import { simulatorTls } from '../../simulators/common';
import { ForcepointSmcSimulator } from '../../simulators/forcepointSmc';

const sim = new ForcepointSmcSimulator();
beforeAll(() => sim.start(0));
afterAll(() => sim.stop());

async function login(): Promise<string> {
	const response = await axios.post(`${sim.url}/7.1/login`, { domain: 'Shared Domain', authenticationkey: sim.options.apiKey });
	return String(response.headers['set-cookie']?.[0]).split(';')[0];
}

async function until(condition: () => boolean): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** A notification stream on `host`, logging in again whenever the SMC refuses the session. */
function hostStream() {
	let cookie = '';
	let logins = 0;
	const changes: ElementChange[] = [];
	const gaps: StreamGap[] = [];
	const fatal: Error[] = [];
	let contexts = new Map<number, string>();
	const start = async (signal: AbortSignal): Promise<StartedStream> => {
		if (!cookie) {
			cookie = await login();
			logins++;
		}
		let socket: SmcSocket;
		try {
			socket = await SmcSocket.open({ url: `${sim.url.replace('http', 'ws')}/7.1/notification/socket`, cookie, keepAliveMs: 0, signal, tls: { ca: simulatorTls().ca } });
		} catch (error) {
			if (error instanceof SmcSocketError && error.failure === 'unauthorized') {
				cookie = '';
				return await start(signal);
			}
			throw error;
		}
		const subscribed = await subscribe(socket, ['host'], 2000);
		contexts = subscribed.contexts;
		return { socket, pending: subscribed.early };
	};
	return {
		start,
		changes,
		gaps,
		fatal,
		logins: () => logins,
		handlers: {
			start,
			onMessage: (message: Record<string, unknown>) => void changes.push(...changesOf(message, contexts)),
			onGap: (gap: StreamGap) => void gaps.push(gap),
			onFatal: (error: Error) => void fatal.push(error),
			close: (socket: SmcSocket) => socket.close(),
		},
	};
}

describe('reconnecting SMC stream', () => {
	it('survives drops and an expired session: resubscribes, reports each gap, misses nothing sent while connected', async () => {
		const stream = hostStream();
		const controller = new AbortController();
		const running = runStream(await stream.start(controller.signal), stream.handlers, { initialMs: 5, maxMs: 50 }, controller.signal);
		for (let round = 0; round < 5; round++) {
			await until(() => sim.activity().subscriptions === 1);
			sim.elementChange('host', 'create', `stream-${round}`);
			await until(() => stream.changes.length === round + 1);
			if (round === 2) sim.expireAllSessions();
			sim.dropSockets();
			await until(() => stream.gaps.length === round + 1);
		}
		controller.abort();
		await running;
		expect(stream.changes.map((change) => [change.action, change.context])).toEqual(Array.from({ length: 5 }, () => ['create', 'host']));
		expect(stream.gaps).toHaveLength(5);
		for (const gap of stream.gaps) {
			expect(gap.from).toBeLessThanOrEqual(gap.to);
			expect(gap.reason).toMatch(/^The SMC closed \/7.1\/notification\/socket \(code 1006/);
			expect(gap.attempts).toBeGreaterThanOrEqual(1);
		}
		expect(stream.logins()).toBe(2);
		expect(stream.fatal).toEqual([]);
		await until(() => sim.socketCounts().notification === 0);
	});

	it('stops with onFatal when resubscribing is refused, and leaves no socket', async () => {
		const stream = hostStream();
		const controller = new AbortController();
		const first = await stream.start(controller.signal);
		const refused = new ApplianceError('vendor', 'The SMC refused the subscription to "host": gone');
		const running = runStream(first, { ...stream.handlers, start: () => Promise.reject(refused) }, { initialMs: 5, maxMs: 50 }, controller.signal);
		sim.dropSockets();
		await running;
		expect(stream.fatal).toEqual([refused]);
		expect(sim.socketCounts().notification).toBe(0);
	});

	it('keeps retrying an unreachable SMC with growing delays until aborted', async () => {
		const stream = hostStream();
		const controller = new AbortController();
		const delays: number[] = [];
		const unreachable = new SmcSocketError('unreachable', 'Cannot reach the SMC');
		const handlers = {
			...stream.handlers,
			start: () => Promise.reject(unreachable),
			onRetry: (_error: Error, _attempt: number, delay: number) => {
				delays.push(delay);
				if (delays.length === 4) controller.abort();
			},
		};
		const running = runStream(await stream.start(controller.signal), handlers, { initialMs: 1, maxMs: 8 }, controller.signal);
		sim.dropSockets();
		await running;
		expect(delays).toHaveLength(4);
		expect(stream.fatal).toEqual([]);
		expect(stream.gaps).toEqual([]);
	});

	it('closes the socket when aborted while reading', async () => {
		const stream = hostStream();
		const controller = new AbortController();
		const running = runStream(await stream.start(controller.signal), stream.handlers, { initialMs: 5, maxMs: 50 }, controller.signal);
		await until(() => sim.socketCounts().notification === 1);
		controller.abort();
		await running;
		await until(() => sim.socketCounts().notification === 0);
	});
});

describe('stream policy', () => {
	it('backs off exponentially with full jitter under a cap', () => {
		const backoff = { initialMs: 1000, maxMs: 30_000 };
		expect([1, 2, 3, 6, 10].map((attempt) => backoffDelayMs(backoff, attempt, () => 0))).toEqual([500, 1000, 2000, 15_000, 15_000]);
		expect([1, 2, 3, 6, 10].map((attempt) => backoffDelayMs(backoff, attempt, () => 1))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
	});

	it('retries network losses and SMC 5xx, not refusals or bad input', () => {
		expect(isTransient(new SmcSocketError('closed', 'x'))).toBe(true);
		expect(isTransient(new SmcSocketError('malformed', 'x'))).toBe(true);
		expect(isTransient(new SmcSocketError('unauthorized', 'x'))).toBe(false);
		expect(isTransient(new SmcSocketError('not-found', 'x'))).toBe(false);
		expect(isTransient(new SmcSocketError('oversized', 'x'))).toBe(false);
		expect(isTransient(new ApplianceError('server', 'x'))).toBe(true);
		expect(isTransient(new ApplianceError('auth', 'x'))).toBe(false);
		expect(isTransient(new Error('x'))).toBe(false);
	});
});

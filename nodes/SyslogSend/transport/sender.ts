/**
 * One connection to a syslog receiver per execution, reused for every item.
 *
 * Frames stay "unconfirmed" until the transport confirms them: TCP and TLS when the connection ends
 * cleanly (the receiver read everything and closed its side), UDP when the next datagram draws no
 * "port unreachable". When a connection breaks, the next attempt reconnects (the package's one retry
 * policy: backoff with jitter, bounded) and writes every unconfirmed frame again. So nothing is
 * reported sent that the receiver did not take; a receiver may see a message twice after a break,
 * as with any at-least-once sender.
 */
import { DEFAULT_RETRY_POLICY, RetryGaveUpError, withRetry, type RetryPolicy } from '../../shared/transport/retry';
import { openChannel, type Channel } from './channels';
import { gaveUpError, receiverName, type SyslogTarget } from './target';

export interface SenderOptions {
	retryPolicy?: RetryPolicy;
	/** injected by tests to skip the backoff's waiting */
	wait?: (ms: number) => Promise<void>;
}

export interface UnconfirmedFrame {
	tag: number;
	error: Error;
}

export class SyslogSender {
	private channel?: Channel;
	/** frames the receiver has not confirmed yet, oldest first, and the item each belongs to (two arrays: 10^5 frames are common) */
	private unconfirmed: Buffer[] = [];
	private unconfirmedTags: number[] = [];
	/** set once the retry policy gave up or a failure cannot heal (TLS, unknown host): later items fail at once */
	private fatal?: Error;
	private readonly retryPolicy: RetryPolicy;
	private readonly wait?: (ms: number) => Promise<void>;

	constructor(
		readonly target: SyslogTarget,
		options: SenderOptions = {},
	) {
		this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
		this.wait = options.wait;
	}

	get receiver(): string {
		return receiverName(this.target);
	}

	/**
	 * Sends one framed message. Throws when it was not sent (the error says why and whether a later
	 * retry may succeed); otherwise it is on its way and `finish` confirms it.
	 */
	async send(frame: Buffer, tag: number): Promise<void> {
		if (this.fatal) throw this.fatal;
		this.unconfirmed.push(frame);
		this.unconfirmedTags.push(tag);
		// The common case without a retry's machinery: a healthy connection taking the frame.
		let attemptsMade = 0;
		if (this.channel?.healthy && this.target.transport !== 'udp') {
			const waiting = this.channel.write(frame);
			if (!waiting) return;
			// A failed wait leaves the connection unhealthy: the retrying path below replays this frame.
			if (await waiting.then(() => true, () => false)) return;
			attemptsMade = 1;
		}
		try {
			await this.retrying(async () => {
				if (this.channel?.healthy) await this.channel.write(frame);
				else await this.reopenAndReplay();
			}, attemptsMade);
		} catch (error) {
			// The throw reports this item failed; it must not be replayed or confirmed later.
			const index = this.unconfirmedTags.lastIndexOf(tag);
			this.unconfirmed.splice(index, 1);
			this.unconfirmedTags.splice(index, 1);
			throw error;
		}
		// A datagram that drew no "port unreachable" before the next one was sent has arrived as far
		// as UDP can tell; a stream keeps everything until its clean close.
		if (this.target.transport === 'udp') {
			this.unconfirmed = [frame];
			this.unconfirmedTags = [tag];
		}
	}

	/**
	 * Ends the connection and confirms what it carried. Returns the frames that could not be
	 * confirmed: their items must be reported failed. Never throws.
	 */
	async finish(): Promise<UnconfirmedFrame[]> {
		try {
			if (this.unconfirmed.length > 0) {
				if (this.fatal) throw this.fatal;
				await this.retrying(async () => {
					const channel = this.channel?.healthy ? this.channel : await this.reopenAndReplay();
					await channel.confirm();
				});
			}
			return [];
		} catch (error) {
			const reason = error instanceof Error ? error : new Error(String(error));
			return this.unconfirmedTags.map((tag) => ({ tag, error: reason }));
		} finally {
			this.unconfirmed = [];
			this.unconfirmedTags = [];
			this.destroy();
		}
	}

	/**
	 * The credential test: one connection (with the TLS handshake) opened and closed cleanly, no
	 * retries. UDP has no handshake: only the host name is resolved.
	 */
	async probe(): Promise<string> {
		const channel = await openChannel(this.target);
		const description = channel.description;
		await channel.confirm();
		return this.target.transport === 'udp'
			? `${this.receiver}: UDP has no handshake, so only the host was checked; send a message to see it arrive`
			: `Connected to ${this.receiver} (${description})`;
	}

	/** Drops the connection without confirming anything (the node is failing anyway). */
	destroy(): void {
		this.channel?.destroy();
		this.channel = undefined;
	}

	/** The package's retry policy around `attempt`; `attemptsMade` already failed outside it. */
	private async retrying(attempt: () => Promise<void>, attemptsMade = 0): Promise<void> {
		const policy = { ...this.retryPolicy, maxAttempts: Math.max(1, this.retryPolicy.maxAttempts - attemptsMade) };
		try {
			await withRetry(policy, attempt, this.wait);
		} catch (error) {
			const final = error instanceof RetryGaveUpError ? gaveUpError(this.target, error, attemptsMade) : (error as Error);
			this.fatal = final;
			throw final;
		}
	}

	/** A new connection carrying every unconfirmed frame again, oldest first. */
	private async reopenAndReplay(): Promise<Channel> {
		this.destroy();
		const channel = await openChannel(this.target);
		this.channel = channel;
		for (const frame of this.unconfirmed) await channel.write(frame);
		return channel;
	}
}

/**
 * A mail server on 127.0.0.1 built on `smtp-server` (the maintained library of Nodemailer's author):
 * STARTTLS with the simulators' server certificate, AUTH PLAIN and LOGIN with one user, and every mail
 * parsed (`mailparser`) and recorded: envelope, who logged in, whether STARTTLS was on, subject and
 * the text and HTML bodies.
 *
 * Faults: `temporaryFailures` answers the next N mails with 451 (a temporary failure a sender may
 * retry), as a mail server under load does.
 */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

import { simulatorTls, type SimulatorTls } from '../common';

export interface ReceivedMail {
	seq: number;
	from: string;
	to: string[];
	/** the AUTH user, when the client logged in */
	user?: string;
	/** true when the mail came over a STARTTLS-upgraded connection */
	secure: boolean;
	subject: string;
	text: string;
	html: string;
	headers: Record<string, string>;
	raw: string;
}

export interface SmtpSinkOptions {
	user: string;
	password: string;
	/** refuse AUTH before STARTTLS, as mail submission servers do */
	requireTlsForAuth: boolean;
	maxMessageBytes: number;
	log: boolean;
}

const DEFAULTS: SmtpSinkOptions = {
	user: 'n8n-notifier',
	password: 'smtp-sink-pass-7c2e',
	requireTlsForAuth: true,
	maxMessageBytes: 10 * 1024 * 1024,
	log: false,
};

export class SmtpSink {
	readonly mails: ReceivedMail[] = [];
	faults: { temporaryFailures?: number } = {};
	readonly options: SmtpSinkOptions;
	private server?: SMTPServer;

	constructor(options: Partial<SmtpSinkOptions> = {}) {
		this.options = { ...DEFAULTS, ...options };
	}

	/** `tls`: the certificate STARTTLS presents (default: the simulators' own). */
	async start(port = 0, tls: SimulatorTls = simulatorTls()): Promise<this> {
		const server = new SMTPServer({
			secure: false,
			key: tls.key,
			cert: tls.cert,
			name: 'smtp-sink.netsec-events.test',
			banner: 'netsec-events SMTP sink',
			authMethods: ['PLAIN', 'LOGIN'],
			allowInsecureAuth: !this.options.requireTlsForAuth,
			size: this.options.maxMessageBytes,
			logger: false,
			onAuth: (auth, _session, callback) => {
				if (auth.username === this.options.user && auth.password === this.options.password) {
					callback(null, { user: auth.username });
					return;
				}
				callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
			},
			onData: (stream, session, callback) => {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('end', () => {
					if ((this.faults.temporaryFailures ?? 0) > 0) {
						this.faults.temporaryFailures! -= 1;
						callback(Object.assign(new Error('Requested action aborted: local error in processing, try again later'), { responseCode: 451 }));
						return;
					}
					const raw = Buffer.concat(chunks);
					this.record(raw, session.envelope.mailFrom, session.envelope.rcptTo, session.user as string | undefined, session.secure)
						.then(() => callback(null, `Queued as ${this.mails.length}`))
						.catch((error: Error) => callback(error));
				});
			},
		});
		server.on('error', () => undefined);
		await new Promise<void>((resolve, reject) => {
			server.server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve());
		});
		this.server = server;
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	get port(): number {
		if (!this.server) throw new Error('SMTP sink is not started');
		return (this.server.server.address() as AddressInfo).port;
	}

	/** The fields of n8n's SMTP credential: plain connection upgraded with STARTTLS, then AUTH. */
	credentials(): { host: string; port: number; user: string; password: string; secure: false } {
		return { host: '127.0.0.1', port: this.port, user: this.options.user, password: this.options.password, secure: false };
	}

	clear(): void {
		this.mails.length = 0;
		this.faults = {};
	}

	/** Bounded wait until `count` mails arrived. */
	async waitForCount(count: number, timeoutMs = 30_000): Promise<ReceivedMail[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.mails.length < count) {
			if (Date.now() > deadline) throw new Error(`SMTP sink: ${this.mails.length} of ${count} mails after ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		return this.mails;
	}

	private async record(raw: Buffer, mailFrom: SMTPServerAddress | false, rcptTo: SMTPServerAddress[], user: string | undefined, secure: boolean): Promise<void> {
		const parsed = await simpleParser(raw);
		const headers: Record<string, string> = {};
		for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
		const mail: ReceivedMail = {
			seq: this.mails.length + 1,
			from: mailFrom ? mailFrom.address : '',
			to: rcptTo.map((address) => address.address),
			user,
			secure,
			subject: parsed.subject ?? '',
			text: parsed.text ?? '',
			html: typeof parsed.html === 'string' ? parsed.html : '',
			headers,
			raw: raw.toString('utf8'),
		};
		this.mails.push(mail);
		if (this.options.log) process.stderr.write(`[smtp sink] ${mail.from} -> ${mail.to.join(', ')}: ${mail.subject}\n`);
	}
}

/**
 * The local sinks notifications and SIEM forwarding deliver to: a syslog receiver (UDP, TCP, TLS), a
 * mail server (STARTTLS, AUTH) and chat webhook receivers (Slack, Teams). Started with the simulated
 * appliances (test/simulators/index.ts), each on 127.0.0.1, each recording what it received.
 */
import * as net from 'node:net';

import { simulatorTls, type SimulatorTls } from '../common';
import { SmtpSink, type SmtpSinkOptions } from './smtp';
import { SyslogSink, type SyslogSinkOptions } from './syslog';
import { WebhookSink } from './webhook';

export const DEFAULT_SINK_PORTS = { syslogUdp: 15514, syslogTcp: 15514, syslogTls: 16514, smtp: 12525, webhook: 18090 } as const;

export type SinkPort = keyof typeof DEFAULT_SINK_PORTS;

export interface SinkSetOptions {
	ports?: Partial<Record<SinkPort, number>>;
	/** print each received message on stderr */
	log?: boolean;
	/** the webhook receivers speak plain HTTP instead of HTTPS */
	plainHttp?: boolean;
	/** the server certificate every sink presents (default: the simulators' own) */
	tls?: SimulatorTls;
	syslog?: Partial<SyslogSinkOptions>;
	smtp?: Partial<SmtpSinkOptions>;
}

export interface SinkSet {
	syslog: SyslogSink;
	smtp: SmtpSink;
	webhook: WebhookSink;
	credentials(): {
		syslog: Omit<ReturnType<SyslogSink['credentials']>, 'ca'>;
		smtp: ReturnType<SmtpSink['credentials']>;
		webhook: ReturnType<WebhookSink['credentials']> & { sinksUrl: string };
		/** PEM of the CA that signed the certificates of the syslog TLS port, SMTP STARTTLS and the webhooks */
		ca: string;
	};
	stop(): Promise<void>;
}

/** How many of the latest entries GET /__sim/sinks shows per sink. */
const LATEST = 20;

export async function startSinks(options: SinkSetOptions = {}): Promise<SinkSet> {
	const port = (name: SinkPort) => options.ports?.[name] ?? DEFAULT_SINK_PORTS[name];
	const tls = options.tls ?? simulatorTls();
	const log = options.log ?? false;
	const syslog = new SyslogSink({ log, ...options.syslog });
	const smtp = new SmtpSink({ log, ...options.smtp });
	const webhook: WebhookSink = new WebhookSink(log, (): unknown => ({
		syslog: { count: syslog.count, latest: syslog.messages.slice(-LATEST) },
		smtp: { count: smtp.mails.length, latest: smtp.mails.slice(-LATEST).map(({ raw: _raw, ...mail }) => mail) },
		webhook: { count: webhook.received.length, latest: webhook.received.slice(-LATEST) },
	}));
	const started: Array<{ stop(): Promise<void> }> = [];
	try {
		await syslog.start({ udp: port('syslogUdp'), tcp: port('syslogTcp'), tls: port('syslogTls') }, tls);
		started.push(syslog);
		await smtp.start(port('smtp'), tls);
		started.push(smtp);
		await webhook.start(port('webhook'), { plainHttp: options.plainHttp, tls });
		started.push(webhook);
	} catch (error) {
		await Promise.all(started.map((sink) => sink.stop()));
		throw error;
	}
	return {
		syslog,
		smtp,
		webhook,
		credentials: () => ({
			syslog: withoutCa(syslog.credentials()),
			smtp: smtp.credentials(),
			webhook: { ...webhook.credentials(), sinksUrl: `${webhook.url}/__sim/sinks` },
			ca: tls.ca,
		}),
		stop: async () => {
			await Promise.all(started.map((sink) => sink.stop()));
		},
	};
}

/** The CA is printed once for the set, not once per sink. */
function withoutCa<T extends { ca: string }>(credentials: T): Omit<T, 'ca'> {
	const { ca: _ca, ...rest } = credentials;
	return rest;
}

/** A loopback port nothing listens on (bound, read, closed): a receiver that is down. */
export async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

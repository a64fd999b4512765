/**
 * The sinks answer as the real receivers do: a mail client (Nodemailer, the library under n8n's Send
 * Email node) with STARTTLS and AUTH; webhook payloads within and beyond Slack's and Teams'
 * documented limits; raw syslog streams with either framing.
 */
import * as net from 'node:net';
import { createTransport } from 'nodemailer';

import { startSinks, type SinkSet } from './index';

describe('local sinks', () => {
	let sinks: SinkSet;

	beforeAll(async () => {
		sinks = await startSinks({ plainHttp: true, ports: { syslogUdp: 0, syslogTcp: 0, syslogTls: 0, smtp: 0, webhook: 0 } });
	});
	afterAll(async () => {
		await sinks.stop();
	});
	beforeEach(() => {
		sinks.syslog.clear();
		sinks.smtp.clear();
		sinks.webhook.reset();
	});

	describe('SMTP', () => {
		const transport = (overrides: { password?: string; ignoreTLS?: boolean } = {}) => {
			const { host, port, user, password } = sinks.credentials().smtp;
			return createTransport({
				host,
				port,
				secure: false,
				ignoreTLS: overrides.ignoreTLS ?? false,
				requireTLS: !overrides.ignoreTLS,
				auth: { user, pass: overrides.password ?? password },
				tls: { ca: sinks.credentials().ca },
			});
		};
		const mail = {
			from: 'n8n@example.com',
			to: 'soc@example.com, noc@example.com',
			subject: 'Illumio: user.login failed for "eve" <ü>',
			text: 'Plain body\nsecond line',
			html: '<p>HTML &lt;body&gt;</p>',
		};

		it('accepts a mail after STARTTLS and AUTH and records envelope, subject and both bodies', async () => {
			const client = transport();
			await client.sendMail(mail);
			client.close();
			expect(sinks.smtp.mails).toHaveLength(1);
			expect(sinks.smtp.mails[0]).toMatchObject({
				from: 'n8n@example.com',
				to: ['soc@example.com', 'noc@example.com'],
				user: 'n8n-notifier',
				secure: true,
				subject: mail.subject,
				text: 'Plain body\nsecond line',
				html: '<p>HTML &lt;body&gt;</p>',
			});
		});

		it('refuses a wrong password (535) and AUTH without STARTTLS', async () => {
			await expect(transport({ password: 'wrong' }).sendMail(mail)).rejects.toMatchObject({ responseCode: 535 });
			await expect(transport({ ignoreTLS: true }).sendMail(mail)).rejects.toThrow(/Must issue a STARTTLS command first|Invalid login/);
			expect(sinks.smtp.mails).toHaveLength(0);
		});

		it('answers 451 on request, a temporary failure', async () => {
			sinks.smtp.faults.temporaryFailures = 1;
			const client = transport();
			await expect(client.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
			await client.sendMail(mail);
			client.close();
			expect(sinks.smtp.mails).toHaveLength(1);
		});
	});

	describe('webhooks', () => {
		const post = async (url: string, body: unknown) => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
			return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') };
		};
		const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
		const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
		const adaptive = (body: unknown[]) => ({
			type: 'message',
			attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4', body } }],
		});

		it('Slack: ok, invalid_payload, no_text, invalid_blocks at the documented limits', async () => {
			const { slackUrl } = sinks.credentials().webhook;
			expect(await post(slackUrl, { text: 'fallback', blocks: [header('h'.repeat(150)), section('s'.repeat(3000))] })).toMatchObject({ status: 200, text: 'ok' });
			expect(await post(slackUrl, '{"text": ')).toMatchObject({ status: 400, text: 'invalid_payload' });
			expect(await post(slackUrl, { username: 'n8n' })).toMatchObject({ status: 400, text: 'no_text' });
			expect(await post(slackUrl, { blocks: [header('h'.repeat(151))] })).toMatchObject({ status: 400, text: 'invalid_blocks' });
			expect(await post(slackUrl, { blocks: [section('s'.repeat(3001))] })).toMatchObject({ status: 400, text: 'invalid_blocks' });
			expect(await post(slackUrl, { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toMatchObject({ status: 400, text: 'invalid_blocks' });
			expect(sinks.webhook.received.map((entry) => [entry.service, entry.status])).toEqual([
				['slack', 200],
				['slack', 400],
				['slack', 400],
				['slack', 400],
				['slack', 400],
				['slack', 400],
			]);
			expect(sinks.webhook.received[4].error).toBe('invalid_blocks: blocks[0] section text over 3000 characters');
		});

		it('Slack and Teams: 429 with Retry-After on request, then normal answers', async () => {
			const { slackUrl, teamsWorkflowUrl } = sinks.credentials().webhook;
			sinks.webhook.failNext({ path: '/slack', status: 429, retryAfter: 2 });
			expect(await post(slackUrl, { text: 'x' })).toEqual({ status: 429, text: 'rate_limited', retryAfter: '2' });
			expect(await post(slackUrl, { text: 'x' })).toMatchObject({ status: 200, text: 'ok' });
			const control = await fetch(`${sinks.webhook.url}/__sim/webhook/fail`, { method: 'POST', body: JSON.stringify({ path: '/teams/workflows', status: 429, retryAfter: 1 }) });
			expect(control.status).toBe(200);
			const throttled = await post(teamsWorkflowUrl, adaptive([]));
			expect(throttled.status).toBe(429);
			expect(JSON.parse(throttled.text)).toEqual({ error: { code: 'TooManyRequests', message: 'Too many requests, retry later.' } });
			expect(await post(teamsWorkflowUrl, adaptive([]))).toMatchObject({ status: 202, text: '' });
		});

		it('Teams: MessageCard answered 1, a card without summary or text refused, over 28 KB refused; workflow cards checked', async () => {
			const { teamsUrl, teamsWorkflowUrl } = sinks.credentials().webhook;
			expect(await post(teamsUrl, { '@type': 'MessageCard', summary: 'Illumio event', sections: [] })).toMatchObject({ status: 200, text: '1' });
			expect(await post(teamsUrl, { '@type': 'MessageCard', sections: [] })).toMatchObject({ status: 400, text: expect.stringContaining('Summary or Text is required.') });
			expect((await post(teamsUrl, { summary: 'x', text: 'y'.repeat(28 * 1024) })).status).toBe(413);
			expect(await post(teamsWorkflowUrl, adaptive([{ type: 'TextBlock', text: 'ok' }]))).toMatchObject({ status: 202 });
			expect((await post(teamsWorkflowUrl, { type: 'message', attachments: [{ contentType: 'text/plain' }] })).status).toBe(400);
			expect((await post(teamsWorkflowUrl, adaptive([{ type: 'TextBlock', text: 'y'.repeat(28 * 1024) }]))).status).toBe(413);
		});

		it('shows what every sink received at /__sim/sinks', async () => {
			await post(sinks.credentials().webhook.webhookUrl, { vendor: 'illumio' });
			const overview = (await (await fetch(sinks.credentials().webhook.sinksUrl)).json()) as Record<string, { count: number }>;
			expect(overview.webhook.count).toBe(1);
			expect(overview.syslog.count).toBe(0);
			expect(overview.smtp.count).toBe(0);
		});
	});

	describe('syslog', () => {
		it('reads octet-counted and LF-terminated frames in one stream, split anywhere', async () => {
			const stream = Buffer.from('11 <13>1 a\nb c<14>1 line\n9 <15>1 ü ', 'utf8');
			const socket = net.connect(sinks.syslog.ports.tcp, '127.0.0.1');
			await new Promise((resolve) => socket.once('connect', resolve));
			for (let offset = 0; offset < stream.length; offset += 3) socket.write(stream.subarray(offset, offset + 3));
			socket.end();
			await sinks.syslog.waitForCount(3, 5_000);
			expect(sinks.syslog.messages.map((message) => [message.framing, message.message])).toEqual([
				['octetCounting', '<13>1 a\nb c'],
				['lf', '<14>1 line'],
				['octetCounting', '<15>1 ü '],
			]);
			await sinks.syslog.waitForConnectionsClosed(1, 5_000);
			expect(sinks.syslog.rawBytes(1).equals(stream)).toBe(true);
		});

		it('closes a connection whose framing it cannot read', async () => {
			const socket = net.connect(sinks.syslog.ports.tcp, '127.0.0.1');
			socket.on('error', () => undefined);
			socket.write('12x <13>1 a\n');
			await sinks.syslog.waitForConnectionsClosed(1, 5_000);
			expect(sinks.syslog.connections[0]).toMatchObject({ end: 'error', error: 'unreadable framing' });
			socket.destroy();
		});
	});
});

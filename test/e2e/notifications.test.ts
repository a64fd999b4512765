/**
 * n8n's own sending nodes deliver formatted events to the local sinks, inside a real n8n: Send Email
 * to the SMTP sink (STARTTLS, AUTH; subject and both bodies checked), HTTP Request to the Slack and
 * Teams webhook receivers (Block Kit and Adaptive Card within the channels' limits). A sink that is
 * down or answers 429 gives a clear error, and n8n's Retry On Fail redelivers what failed.
 *
 * The messages are built by a Code node here; Event Format's channel presets build them in the
 * bundled workflows.
 */
import { closedPort, startSinks, type SinkSet } from '../simulators/sinks';
import { connectToE2eN8n } from './harness/state';
import { nodeOutput, type N8nClient, type WorkflowJson } from './harness/n8nClient';

/** An Illumio PCE event as the PCE's events API returns it, with hostile text in it. */
const ILLUMIO_EVENT = {
	href: '/orgs/1/events/4b6f3a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
	timestamp: '2026-11-29T09:15:02.123Z',
	pce_fqdn: 'pce.example.com',
	event_type: 'user.login',
	status: 'failure',
	severity: 'warning',
	created_by: { user: { username: 'eve <script>alert(1)</script>' } },
	action: { src_ip: '203.0.113.7' },
};

/** Subject, text and HTML (escaped) from the event: what an email preset writes. */
const EMAIL_CODE = `
const escape = (value) => String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
return $input.all().map(({ json: event }) => {
	const who = event.created_by.user.username;
	const subject = '[Illumio ' + event.severity + '] ' + event.event_type + ' ' + event.status + ' by ' + who;
	const text = subject + '\\nPCE: ' + event.pce_fqdn + '\\nSource: ' + event.action.src_ip + '\\nTime: ' + event.timestamp;
	const html = '<h3>' + escape(subject) + '</h3><p>PCE: ' + escape(event.pce_fqdn) + '<br>Source: ' + escape(event.action.src_ip) + '</p>';
	return { json: { subject, text, html } };
});`;

/** Slack Block Kit and a Teams Adaptive Card for the same event. */
const CHAT_CODE = (slackUrl: string, teamsUrl?: string) => `
const event = $input.first().json;
const title = 'Illumio ' + event.severity + ': ' + event.event_type + ' ' + event.status;
const slack = {
	text: title,
	blocks: [
		{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
		{ type: 'section', text: { type: 'mrkdwn', text: ('*Who:* ' + event.created_by.user.username).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 3000) } },
		{ type: 'context', elements: [{ type: 'mrkdwn', text: event.pce_fqdn + ' at ' + event.timestamp }] },
	],
};
const teams = {
	type: 'message',
	attachments: [{
		contentType: 'application/vnd.microsoft.card.adaptive',
		content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4',
			body: [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }, { type: 'FactSet', facts: [{ title: 'Who', value: event.created_by.user.username }] }] },
	}],
};
const items = [{ json: { url: ${JSON.stringify(slackUrl)}, payload: slack } }];
${teamsUrl ? `items.push({ json: { url: ${JSON.stringify(teamsUrl)}, payload: teams } });` : ''}
return items;`;

type Node = WorkflowJson['nodes'][number];

function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Node {
	return { name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

function chain(name: string, nodes: Node[]): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < nodes.length - 1; index++) connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

const start = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, {});
const code = (name: string, jsCode: string) => node(name, 'n8n-nodes-base.code', 2, { jsCode });
const eventNode = () => code('Illumio Event', `return [{ json: ${JSON.stringify(ILLUMIO_EVENT)} }];`);

const postJson = (name: string, extra: Record<string, unknown> = {}) =>
	node(
		name,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url: '={{ $json.url }}',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json.payload) }}',
			options: { response: { response: { responseFormat: 'text' } } },
		},
		extra,
	);

const sendEmail = (extra: Record<string, unknown> = {}) =>
	node(
		'Send Email',
		'n8n-nodes-base.emailSend',
		2.1,
		{
			fromEmail: 'n8n@netsec-events.test',
			toEmail: 'soc@example.com',
			subject: '={{ $json.subject }}',
			emailFormat: 'both',
			text: '={{ $json.text }}',
			html: '={{ $json.html }}',
			// the sink's CA is not in n8n's trust store; verification is the sink tests' business
			options: { allowUnauthorizedCerts: true, appendAttribution: false },
		},
		{ credentials: { smtp: { id: '', name: 'SMTP sink' } }, ...extra },
	);

describe('Notifications through n8n nodes to the local sinks', () => {
	let client: N8nClient;
	let sinks: SinkSet;
	const credentialIds: Record<string, string> = {};

	beforeAll(async () => {
		({ client } = await connectToE2eN8n());
		sinks = await startSinks({ plainHttp: true, ports: { syslogUdp: 0, syslogTcp: 0, syslogTls: 0, smtp: 0, webhook: 0 } });
		const { host, port, user, password } = sinks.credentials().smtp;
		credentialIds['SMTP sink'] = await client.createCredential('SMTP sink', 'smtp', { host, port, user, password, secure: false, disableStartTls: false });
		credentialIds['SMTP down'] = await client.createCredential('SMTP down', 'smtp', { host, port: await closedPort(), user, password, secure: false, disableStartTls: false });
	});
	afterAll(async () => {
		await sinks?.stop();
	});
	beforeEach(() => {
		sinks.smtp.clear();
		sinks.webhook.reset();
	});

	it('Send Email delivers the event over STARTTLS with AUTH: subject, text and escaped HTML arrive as sent', async () => {
		const id = await client.createWorkflow(chain('Email to SMTP sink', [start(), eventNode(), code('Email Text', EMAIL_CODE), sendEmail()]), credentialIds);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		const [mail] = await sinks.smtp.waitForCount(1, 10_000);
		const subject = '[Illumio warning] user.login failure by eve <script>alert(1)</script>';
		expect(mail).toMatchObject({
			from: 'n8n@netsec-events.test',
			to: ['soc@example.com'],
			user: 'n8n-notifier',
			secure: true,
			subject,
			text: `${subject}\nPCE: pce.example.com\nSource: 203.0.113.7\nTime: 2026-11-29T09:15:02.123Z`,
		});
		expect(mail.html).toBe(
			'<h3>[Illumio warning] user.login failure by eve &lt;script&gt;alert(1)&lt;/script&gt;</h3><p>PCE: pce.example.com<br>Source: 203.0.113.7</p>',
		);
	});

	it('a mail server answering 451 fails the node clearly; Retry On Fail delivers on the next try', async () => {
		sinks.smtp.faults.temporaryFailures = 1;
		const failing = await client.createWorkflow(chain('Email 451', [start(), eventNode(), code('Email Text', EMAIL_CODE), sendEmail()]), credentialIds);
		const failed = await client.runManually(failing, 'Start');
		expect(failed.status).toBe('error');
		expect(failed.data?.resultData.error?.message).toMatch(/451/);
		expect(sinks.smtp.mails).toHaveLength(0);

		sinks.smtp.faults.temporaryFailures = 1;
		const retrying = await client.createWorkflow(
			chain('Email 451 retried', [start(), eventNode(), code('Email Text', EMAIL_CODE), sendEmail({ retryOnFail: true, maxTries: 2, waitBetweenTries: 500 })]),
			credentialIds,
		);
		expect((await client.runManually(retrying, 'Start')).status).toBe('success');
		expect(sinks.smtp.mails).toHaveLength(1);
	});

	it('a mail server that is down gives a connection error naming the refusal', async () => {
		const id = await client.createWorkflow(
			chain('Email down', [start(), eventNode(), code('Email Text', EMAIL_CODE), sendEmail({ credentials: { smtp: { id: '', name: 'SMTP down' } } })]),
			credentialIds,
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData.error?.message).toBe('The service refused the connection - perhaps it is offline');
	});

	it('HTTP Request delivers Block Kit to the Slack webhook (ok) and an Adaptive Card to the Teams workflow webhook (202)', async () => {
		const { slackUrl, teamsWorkflowUrl } = sinks.credentials().webhook;
		const id = await client.createWorkflow(chain('Chat webhooks', [start(), eventNode(), code('Chat Payloads', CHAT_CODE(slackUrl, teamsWorkflowUrl)), postJson('Post')]));
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		// Slack answers `ok`; a Teams workflow answers 202 with no body at all
		expect(nodeOutput(execution, 'Post')[0].data).toBe('ok');
		expect(sinks.webhook.received.map((entry) => [entry.service, entry.status, entry.error])).toEqual([
			['slack', 200, undefined],
			['teamsWorkflow', 202, undefined],
		]);
		const slack = sinks.webhook.received[0].body as { blocks: Array<{ text?: { text: string } }> };
		expect(slack.blocks[1].text?.text).toBe('*Who:* eve &lt;script&gt;alert(1)&lt;/script&gt;');
		expect(sinks.webhook.received[1].contentType).toMatch(/^application\/json/);
	});

	it('a webhook answering 429 gives a clear rate-limit error; Retry On Fail redelivers it', async () => {
		const { slackUrl } = sinks.credentials().webhook;
		sinks.webhook.failNext({ path: '/slack', status: 429, retryAfter: 1 });
		const failing = await client.createWorkflow(chain('Slack 429', [start(), eventNode(), code('Chat Payloads', CHAT_CODE(slackUrl)), postJson('Post')]));
		const failed = await client.runManually(failing, 'Start');
		expect(failed.status).toBe('error');
		const error = failed.data!.resultData.error!;
		expect(`${error.message} ${error.description ?? ''}`).toMatch(/429|too many requests/i);
		expect(sinks.webhook.received.map((entry) => entry.status)).toEqual([429]);

		sinks.webhook.reset();
		sinks.webhook.failNext({ path: '/slack', status: 429, retryAfter: 1 });
		const retrying = await client.createWorkflow(
			chain('Slack 429 retried', [start(), eventNode(), code('Chat Payloads', CHAT_CODE(slackUrl)), postJson('Post', { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 })]),
		);
		const retried = await client.runManually(retrying, 'Start');
		expect(retried.status).toBe('success');
		expect(sinks.webhook.received.map((entry) => [entry.service, entry.status])).toEqual([
			['slack', 429],
			['slack', 200],
		]);
	});
});

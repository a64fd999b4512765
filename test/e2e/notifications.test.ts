/**
 * n8n's own sending nodes deliver formatted events to the local sinks, inside a real n8n: Send Email
 * to the SMTP sink (STARTTLS, AUTH; subject and both bodies checked), HTTP Request to the Slack and
 * Teams webhook receivers (Block Kit and Adaptive Card within the channels' limits). A sink that is
 * down or answers 429 gives a clear error, and n8n's Retry On Fail redelivers what failed.
 *
 * The messages come from Event Format's channel presets (email, Slack Block Kit, Teams Adaptive
 * Card), so what reaches the sinks is what the bundled workflows send.
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
const eventNode = () => node('Illumio Event', 'n8n-nodes-base.code', 2, { jsCode: `return [{ json: ${JSON.stringify(ILLUMIO_EVENT)} }];` });
const format = (name: string, preset: string, outputField: string) =>
	node(name, 'n8n-nodes-netsec-events.eventFormat', 1, { preset, outputField, includeInputFields: true });

/** POSTs the object in `field` as JSON to `url`, answer kept as text (Slack answers `ok`). */
const postJson = (name: string, url: string, field: string, extra: Record<string, unknown> = {}) =>
	node(
		name,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify($json.${field}) }}`,
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
			subject: '={{ $json.email.subject }}',
			emailFormat: 'both',
			text: '={{ $json.email.text }}',
			html: '={{ $json.email.html }}',
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
		const smtpCredential = () => client.createCredential('SMTP sink', 'smtp', { host, port, user, password, secure: false, disableStartTls: false });
		// The first call after the previous file's idle pause can meet a keep-alive socket n8n just closed.
		credentialIds['SMTP sink'] = await smtpCredential().catch((error: Error) => (/fetch failed/.test(error.message) ? smtpCredential() : Promise.reject(error)));
		credentialIds['SMTP down'] = await client.createCredential('SMTP down', 'smtp', { host, port: await closedPort(), user, password, secure: false, disableStartTls: false });
	});
	afterAll(async () => {
		await sinks?.stop();
	});
	beforeEach(() => {
		sinks.smtp.clear();
		sinks.webhook.reset();
	});

	it('Send Email delivers the email preset over STARTTLS with AUTH: subject, text and escaped HTML arrive as formatted', async () => {
		const id = await client.createWorkflow(chain('Email to SMTP sink', [start(), eventNode(), format('Email Text', 'email', 'email'), sendEmail()]), credentialIds);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		const email = nodeOutput(execution, 'Email Text')[0].email as { subject: string; text: string; html: string };
		const [mail] = await sinks.smtp.waitForCount(1, 10_000);
		expect(mail).toMatchObject({ from: 'n8n@netsec-events.test', to: ['soc@example.com'], user: 'n8n-notifier', secure: true, subject: email.subject });
		expect(mail.subject).toContain('user.login');
		expect(mail.text.trim()).toBe(email.text.trim());
		expect(mail.html.trim()).toBe(email.html.trim());
		// the user name carried a script tag: it arrives as text, never as markup
		expect(mail.html).not.toContain('<script>');
		expect(mail.html).toContain('&lt;script&gt;');
	});

	it('a mail server answering 451 fails the node clearly; Retry On Fail delivers on the next try', async () => {
		sinks.smtp.faults.temporaryFailures = 1;
		const failing = await client.createWorkflow(chain('Email 451', [start(), eventNode(), format('Email Text', 'email', 'email'), sendEmail()]), credentialIds);
		const failed = await client.runManually(failing, 'Start');
		expect(failed.status).toBe('error');
		expect(failed.data?.resultData.error?.message).toMatch(/451/);
		expect(sinks.smtp.mails).toHaveLength(0);

		sinks.smtp.faults.temporaryFailures = 1;
		const retrying = await client.createWorkflow(
			chain('Email 451 retried', [start(), eventNode(), format('Email Text', 'email', 'email'), sendEmail({ retryOnFail: true, maxTries: 2, waitBetweenTries: 500 })]),
			credentialIds,
		);
		expect((await client.runManually(retrying, 'Start')).status).toBe('success');
		expect(sinks.smtp.mails).toHaveLength(1);
	});

	it('a mail server that is down gives a connection error naming the refusal', async () => {
		const id = await client.createWorkflow(
			chain('Email down', [start(), eventNode(), format('Email Text', 'email', 'email'), sendEmail({ credentials: { smtp: { id: '', name: 'SMTP down' } } })]),
			credentialIds,
		);
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('error');
		expect(execution.data?.resultData.error?.message).toBe('The service refused the connection - perhaps it is offline');
	});

	it('HTTP Request delivers the Slack Block Kit preset (ok) and the Teams Adaptive Card preset (202), within the channels\' limits', async () => {
		const { slackUrl, teamsWorkflowUrl } = sinks.credentials().webhook;
		const nodes = [start(), eventNode(), format('Slack Message', 'slack', 'slack'), format('Teams Card', 'teamsAdaptiveCard', 'teams'), postJson('Post Slack', slackUrl, 'slack'), postJson('Post Teams', teamsWorkflowUrl, 'teams')];
		const next = (target: string) => ({ main: [[{ node: target, type: 'main', index: 0 }]] });
		const id = await client.createWorkflow({
			name: 'Chat webhooks',
			nodes,
			connections: {
				Start: next('Illumio Event'),
				'Illumio Event': next('Slack Message'),
				'Slack Message': next('Teams Card'),
				'Teams Card': { main: [[{ node: 'Post Slack', type: 'main', index: 0 }, { node: 'Post Teams', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		const execution = await client.runManually(id, 'Start');
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Post Slack')[0].data).toBe('ok');
		// the sink checked Block Kit's and Teams' limits before answering
		// n8n runs the two branches in either order
		const slack = sinks.webhook.received.find((entry) => entry.service === 'slack');
		const teams = sinks.webhook.received.find((entry) => entry.service === 'teamsWorkflow');
		expect(sinks.webhook.received).toHaveLength(2);
		expect([slack?.status, slack?.error, teams?.status, teams?.error]).toEqual([200, undefined, 202, undefined]);
		const formatted = nodeOutput(execution, 'Teams Card')[0];
		expect(slack!.body).toEqual(formatted.slack);
		expect(teams!.body).toEqual(formatted.teams);
		expect(JSON.stringify(slack!.body)).toContain('&lt;script&gt;');
		expect(teams!.bytes).toBeLessThanOrEqual(28_000);
	});

	it('a webhook answering 429 gives a clear rate-limit error; Retry On Fail redelivers it', async () => {
		const { slackUrl } = sinks.credentials().webhook;
		sinks.webhook.failNext({ path: '/slack', status: 429, retryAfter: 1 });
		const failing = await client.createWorkflow(chain('Slack 429', [start(), eventNode(), format('Slack Message', 'slack', 'slack'), postJson('Post', slackUrl, 'slack')]));
		const failed = await client.runManually(failing, 'Start');
		expect(failed.status).toBe('error');
		const error = failed.data!.resultData.error!;
		expect(`${error.message} ${error.description ?? ''}`).toMatch(/429|too many requests/i);
		expect(sinks.webhook.received.map((entry) => entry.status)).toEqual([429]);

		sinks.webhook.reset();
		sinks.webhook.failNext({ path: '/slack', status: 429, retryAfter: 1 });
		const retrying = await client.createWorkflow(
			chain('Slack 429 retried', [start(), eventNode(), format('Slack Message', 'slack', 'slack'), postJson('Post', slackUrl, 'slack', { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 })]),
		);
		const retried = await client.runManually(retrying, 'Start');
		expect(retried.status).toBe('success');
		expect(sinks.webhook.received.map((entry) => [entry.service, entry.status])).toEqual([
			['slack', 429],
			['slack', 200],
		]);
	});
});

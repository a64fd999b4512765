/**
 * Chat webhook receivers on 127.0.0.1, answering as the services document:
 *
 * - Slack incoming webhook, POST /slack/services/T…/B…/…: 200 `ok` (text/html); 400 `invalid_payload`
 *   for a body that is not JSON, `no_text` when neither text nor blocks nor attachments is given,
 *   `invalid_blocks` when Block Kit limits are broken, at the top level or in an attachment's blocks
 *   (≤ 50 blocks, header plain_text ≤ 150 characters, section text ≤ 3,000, ≤ 10 fields of ≤ 2,000,
 *   context 1–10 elements, actions 1–25, block_id ≤ 255); 429 `rate_limited` with
 *   Retry-After. (Slack: "Sending messages using incoming webhooks", "Handling errors"; Block Kit
 *   reference.)
 * - Microsoft Teams Office 365 connector, POST /teams/webhookb2/…: a MessageCard; 200 with body `1`;
 *   400 `Summary or Text is required.`; 413 over 28 KB; 429 with Retry-After. (Teams: "Create an
 *   Incoming Webhook", "Message size limits".)
 * - Teams workflow webhook (Power Automate "When a Teams webhook request is received"),
 *   POST /teams/workflows/…: `{"type":"message","attachments":[{"contentType":
 *   "application/vnd.microsoft.card.adaptive","content":{AdaptiveCard}}]}`; 202 with an empty body;
 *   400 with a JSON error for any other shape [choice: Power Automate's error body]; 413 over 28 KB.
 * - Generic JSON webhook, POST /hooks/<name>: 200 `{"ok":true}`.
 *
 * Answers on request: `failNext({path, status, times, retryAfter})` (or POST /__sim/webhook/fail with
 * the same JSON) makes the next requests under `path` get that status in the service's own words.
 * Everything received is kept: GET /__sim/webhook/received. GET /__sim/sinks shows what every sink of
 * the set received lately (for a person trying the demo).
 */
import { SimulatorBase, json, text, type SimRequest, type SimResponse } from '../common';

export type WebhookService = 'slack' | 'teams' | 'teamsWorkflow' | 'generic';

export interface ReceivedWebhook {
	seq: number;
	service: WebhookService;
	path: string;
	contentType: string;
	/** parsed JSON, or undefined when the body was not JSON */
	body: unknown;
	bytes: number;
	/** the status the sink answered */
	status: number;
	/** why a payload was refused, in the service's words */
	error?: string;
}

export interface PlannedAnswer {
	/** path prefix the answer applies to, e.g. "/slack" or a full webhook path */
	path: string;
	status: 400 | 404 | 410 | 429 | 500 | 503;
	times?: number;
	/** seconds, sent as Retry-After */
	retryAfter?: number;
}

/** Teams' documented limit for a message sent through a webhook. */
const TEAMS_MAX_BYTES = 28 * 1024;

export class WebhookSink extends SimulatorBase {
	readonly received: ReceivedWebhook[] = [];
	private planned: PlannedAnswer[] = [];

	constructor(
		private readonly log = false,
		/** what every sink received lately, for GET /__sim/sinks */
		private readonly inspect?: () => unknown,
	) {
		super('webhook sink');
		this.route('POST', /^\/slack\/services\/[^/]+\/[^/]+\/[^/]+$/, (request) => this.answer('slack', request, validateSlack));
		this.route('POST', /^\/teams\/webhookb2\/.+$/, (request) => this.answer('teams', request, validateMessageCard));
		this.route('POST', /^\/teams\/workflows\/.+$/, (request) => this.answer('teamsWorkflow', request, validateWorkflowCard));
		this.route('POST', /^\/hooks\/[^/]+$/, (request) => this.answer('generic', request, () => undefined));
	}

	/** URLs to paste into an HTTP Request node (or the Slack and Teams nodes' webhook fields). */
	credentials(): { slackUrl: string; teamsUrl: string; teamsWorkflowUrl: string; webhookUrl: string; receivedUrl: string } {
		return {
			slackUrl: `${this.url}/slack/services/T0SIM0000/B0SIM0000/sinkSlackWebhookToken`,
			teamsUrl: `${this.url}/teams/webhookb2/00000000-sink@00000000-sink/IncomingWebhook/sink/00000000-sink`,
			teamsWorkflowUrl: `${this.url}/teams/workflows/sink-workflow/triggers/manual/paths/invoke`,
			webhookUrl: `${this.url}/hooks/netsec-events`,
			receivedUrl: `${this.url}/__sim/webhook/received`,
		};
	}

	failNext(answer: PlannedAnswer): void {
		this.planned.push({ times: 1, ...answer });
	}

	protected resetState(): void {
		this.received.length = 0;
		this.planned = [];
	}

	protected vendorControl(method: string, path: string, body: unknown): SimResponse | undefined {
		if (method === 'GET' && path === '/__sim/webhook/received') return json(200, { count: this.received.length, received: this.received });
		if (method === 'GET' && path === '/__sim/sinks' && this.inspect) return json(200, this.inspect());
		if (method === 'POST' && path === '/__sim/webhook/fail') {
			const answer = body as PlannedAnswer | undefined;
			if (!answer || typeof answer.path !== 'string' || typeof answer.status !== 'number') {
				return json(400, { error: 'expected {"path":"/slack","status":429,"times":1,"retryAfter":1}' });
			}
			this.failNext(answer);
			return json(200, { planned: this.planned.length });
		}
		return undefined;
	}

	private answer(service: WebhookService, request: SimRequest, validate: (body: unknown, bytes: number) => string | undefined): SimResponse {
		const entry: ReceivedWebhook = {
			seq: this.received.length + 1,
			service,
			path: request.path,
			contentType: String(request.headers['content-type'] ?? ''),
			body: request.json,
			bytes: request.body.length,
			status: 0,
		};
		this.received.push(entry);
		const planned = this.takePlanned(request.path);
		const response = planned ? plannedResponse(service, planned) : this.validated(service, request, validate, entry);
		entry.status = response.status;
		if (this.log) process.stderr.write(`[webhook sink] ${service} ${request.path} -> ${response.status}\n`);
		return response;
	}

	private validated(
		service: WebhookService,
		request: SimRequest,
		validate: (body: unknown, bytes: number) => string | undefined,
		entry: ReceivedWebhook,
	): SimResponse {
		if (request.json === undefined || typeof request.json !== 'object' || request.json === null) {
			entry.error = service === 'slack' ? 'invalid_payload' : 'Bad payload received by generic incoming webhook.';
			return service === 'slack' ? slackText(400, 'invalid_payload') : serviceError(service, 400, entry.error);
		}
		const problem = validate(request.json, request.body.length);
		if (problem) {
			entry.error = problem;
			if (service === 'slack') return slackText(400, problem.split(':')[0]);
			return serviceError(service, problem.startsWith('too large') ? 413 : 400, problem);
		}
		switch (service) {
			case 'slack':
				return slackText(200, 'ok');
			case 'teams':
				return text(200, '1');
			case 'teamsWorkflow':
				return { status: 202, text: '', headers: { 'content-type': 'text/plain' } };
			case 'generic':
				return json(200, { ok: true, received: entry.seq });
		}
	}

	private takePlanned(path: string): PlannedAnswer | undefined {
		const answer = this.planned.find((entry) => path.startsWith(entry.path));
		if (!answer) return undefined;
		answer.times = (answer.times ?? 1) - 1;
		if (answer.times <= 0) this.planned.splice(this.planned.indexOf(answer), 1);
		return answer;
	}
}

function slackText(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
	return { status, text: body, headers: { 'content-type': 'text/html', ...headers } };
}

const SLACK_ERRORS: Record<number, string> = {
	400: 'invalid_payload',
	404: 'no_service',
	410: 'channel_is_archived',
	429: 'rate_limited',
	500: 'rollup_error',
	503: 'service_unavailable',
};

function plannedResponse(service: WebhookService, planned: PlannedAnswer): SimResponse {
	const headers: Record<string, string> = planned.retryAfter !== undefined ? { 'retry-after': String(planned.retryAfter) } : {};
	if (service === 'slack') return slackText(planned.status, SLACK_ERRORS[planned.status], headers);
	const message = planned.status === 429 ? 'Too many requests, retry later.' : `Simulated HTTP ${planned.status}.`;
	return serviceError(service, planned.status, message, headers);
}

function serviceError(service: WebhookService, status: number, message: string, headers: Record<string, string> = {}): SimResponse {
	if (service === 'teams') {
		return text(status, `Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error ${status}: ${message}`, headers);
	}
	const code = status === 429 ? 'TooManyRequests' : status === 413 ? 'MessageTooLarge' : 'InvalidRequestContent';
	return json(status, { error: { code, message } }, headers);
}

type Block = { type?: unknown; text?: { type?: unknown; text?: unknown }; fields?: unknown; block_id?: unknown; elements?: unknown };

/** Block Kit limits from Slack's reference; the first broken one, named as Slack's errors are. */
function validateSlack(body: unknown): string | undefined {
	const payload = body as { text?: unknown; blocks?: unknown; attachments?: unknown };
	const hasText = typeof payload.text === 'string' && payload.text.trim() !== '';
	if (!hasText && !Array.isArray(payload.blocks) && !Array.isArray(payload.attachments)) return 'no_text';
	if (payload.blocks !== undefined) {
		const problem = validateBlocks(payload.blocks, 'blocks');
		if (problem) return problem;
	}
	if (payload.attachments === undefined) return undefined;
	if (!Array.isArray(payload.attachments)) return 'invalid_attachments';
	if (payload.attachments.length > 100) return 'too_many_attachments';
	for (const [index, attachment] of (payload.attachments as Array<{ blocks?: unknown }>).entries()) {
		if (attachment.blocks === undefined) continue;
		const problem = validateBlocks(attachment.blocks, `attachments[${index}].blocks`);
		if (problem) return problem;
	}
	return undefined;
}

function validateBlocks(blocks: unknown, path: string): string | undefined {
	if (!Array.isArray(blocks)) return `invalid_blocks: ${path} must be an array`;
	if (blocks.length > 50) return `invalid_blocks: ${path} holds ${blocks.length} blocks, at most 50`;
	for (const [index, block] of (blocks as Block[]).entries()) {
		const where = `${path}[${index}]`;
		if (typeof block.block_id === 'string' && block.block_id.length > 255) return `invalid_blocks: ${where}.block_id over 255 characters`;
		const blockText = typeof block.text?.text === 'string' ? block.text.text : undefined;
		switch (block.type) {
			case 'header':
				if (block.text?.type !== 'plain_text' || blockText === undefined) return `invalid_blocks: ${where} header needs plain_text`;
				if ([...blockText].length > 150) return `invalid_blocks: ${where} header text over 150 characters`;
				break;
			case 'section': {
				if (blockText === undefined && !Array.isArray(block.fields)) return `invalid_blocks: ${where} section needs text or fields`;
				if (blockText !== undefined && [...blockText].length > 3000) return `invalid_blocks: ${where} section text over 3000 characters`;
				const fields = Array.isArray(block.fields) ? (block.fields as Array<{ text?: unknown }>) : [];
				if (fields.length > 10) return `invalid_blocks: ${where} more than 10 fields`;
				if (fields.some((field) => typeof field.text !== 'string' || [...field.text].length > 2000)) return `invalid_blocks: ${where} a field over 2000 characters`;
				break;
			}
			case 'context':
				if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) return `invalid_blocks: ${where} context needs 1 to 10 elements`;
				break;
			case 'actions':
				if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) return `invalid_blocks: ${where} actions need 1 to 25 elements`;
				break;
			case 'divider':
			case 'image':
			case 'rich_text':
				break;
			default:
				return `invalid_blocks: ${where} has unknown type ${String(block.type)}`;
		}
	}
	return undefined;
}

/** Office 365 connector MessageCard: summary or text is required; 28 KB at most. */
function validateMessageCard(body: unknown, bytes: number): string | undefined {
	if (bytes > TEAMS_MAX_BYTES) return `too large: ${bytes} bytes, at most ${TEAMS_MAX_BYTES}`;
	const card = body as { summary?: unknown; text?: unknown; '@type'?: unknown; type?: unknown; attachments?: unknown };
	// The connector also takes an Adaptive Card in a message envelope.
	if (card.type === 'message') return validateWorkflowCard(body, bytes);
	const present = (value: unknown) => typeof value === 'string' && value.trim() !== '';
	if (!present(card.summary) && !present(card.text)) return 'Summary or Text is required.';
	return undefined;
}

/** The message envelope with one Adaptive Card that Teams workflow webhooks expect. */
function validateWorkflowCard(body: unknown, bytes: number): string | undefined {
	if (bytes > TEAMS_MAX_BYTES) return `too large: ${bytes} bytes, at most ${TEAMS_MAX_BYTES}`;
	const message = body as { type?: unknown; attachments?: Array<{ contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown } }> };
	if (message.type !== 'message') return 'The request body must have "type": "message".';
	if (!Array.isArray(message.attachments) || message.attachments.length === 0) return 'The message needs at least one attachment.';
	for (const [index, attachment] of message.attachments.entries()) {
		if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return `attachments[${index}].contentType must be application/vnd.microsoft.card.adaptive`;
		const card = attachment.content;
		if (!card || card.type !== 'AdaptiveCard') return `attachments[${index}].content must be an AdaptiveCard`;
		if (typeof card.version !== 'string') return `attachments[${index}].content.version is required`;
		if (!Array.isArray(card.body)) return `attachments[${index}].content.body must be an array`;
	}
	return undefined;
}

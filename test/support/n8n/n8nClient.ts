/**
 * Drives a running n8n the way a user's browser and API client would: owner setup, an API key, then
 * the public API for credentials, workflows and executions, and the editor's REST route for manual runs.
 *
 * Every request goes on a connection of its own, closed after the answer (no keep-alive pool): n8n
 * closes an idle connection after 5 s, and a pooled one that n8n was closing just as a request went out
 * failed that request with "other side closed" (the first POST of a test file, after globalSetup's
 * requests in the same process left a connection idle). Loopback connections cost next to nothing.
 */
import * as http from 'node:http';

export interface ExecutionSummary {
	id: string;
	finished: boolean;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
	workflowId: string;
	data?: ExecutionData;
}

export interface ExecutionData {
	resultData: {
		error?: { message: string; description?: string };
		lastNodeExecuted?: string;
		runData: Record<string, Array<{ error?: { message: string }; data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
	};
}

export interface WorkflowJson {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

const OWNER = { email: 'owner@netsec-events.test', firstName: 'Net', lastName: 'Sec', password: 'E2e-Owner-Pass-1' };
const BROWSER_ID = 'netsec-events-e2e-browser';

export class N8nClient {
	private cookie = '';
	private apiKey = '';

	constructor(readonly url: string) {}

	static async connect(url: string, saved?: { cookie: string; apiKey: string }): Promise<N8nClient> {
		const client = new N8nClient(url);
		if (saved) {
			client.cookie = saved.cookie;
			client.apiKey = saved.apiKey;
			return client;
		}
		await client.setUpOwner();
		await client.createApiKey();
		return client;
	}

	/**
	 * For an n8n that may already have its owner (the demo's kept user folder): set up, else log in.
	 * With `apiKey` (one this n8n gave before), the key is reused while n8n still takes it; otherwise a new
	 * one is made under `apiKeyLabel` and earlier keys of that label are deleted, so restarts never pile
	 * up keys. `client.session.apiKey` is the key to keep for next time.
	 */
	static async signIn(url: string, options: { apiKey?: string; apiKeyLabel?: string } = {}): Promise<N8nClient> {
		const client = new N8nClient(url);
		try {
			await client.setUpOwner();
		} catch {
			const response = await client.rest('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, false);
			client.cookie = N8nClient.authCookie(response);
		}
		if (options.apiKey && (await client.acceptsApiKey(options.apiKey))) {
			client.apiKey = options.apiKey;
			return client;
		}
		if (options.apiKeyLabel) {
			for (const key of await client.listApiKeys()) {
				if (key.label === options.apiKeyLabel) await client.rest('DELETE', `/rest/api-keys/${key.id}`);
			}
		}
		await client.createApiKey(options.apiKeyLabel);
		return client;
	}

	/** The signed-in user's API keys (n8n shows them redacted), up to 250. */
	async listApiKeys(): Promise<Array<{ id: string; label: string }>> {
		const answer = (await (await this.rest('GET', '/rest/api-keys?ownership=mine&take=250')).json()) as {
			data: { items: Array<{ id: string; label: string }> };
		};
		return answer.data.items;
	}

	private async acceptsApiKey(apiKey: string): Promise<boolean> {
		const response = await request('GET', `${this.url}/api/v1/workflows?limit=1`, { headers: { 'X-N8N-API-KEY': apiKey } });
		await response.arrayBuffer();
		if (response.status === 401 || response.status === 403) return false;
		if (!response.ok) throw new Error(`GET /api/v1/workflows → ${response.status}`);
		return true;
	}

	static get owner(): { email: string; password: string } {
		return { email: OWNER.email, password: OWNER.password };
	}

	private static authCookie(response: Response): string {
		const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (!setCookie) throw new Error('n8n answered without an n8n-auth cookie');
		return setCookie.split(';')[0];
	}

	get session(): { cookie: string; apiKey: string } {
		return { cookie: this.cookie, apiKey: this.apiKey };
	}

	private async setUpOwner(): Promise<void> {
		const response = await this.rest('POST', '/rest/owner/setup', OWNER, false);
		this.cookie = N8nClient.authCookie(response);
	}

	private async createApiKey(label = `harness-${Date.now()}`): Promise<void> {
		const scopes = (await (await this.rest('GET', '/rest/api-keys/scopes')).json()) as { data: string[] };
		const created = (await (
			await this.rest('POST', '/rest/api-keys', { label, scopes: scopes.data, expiresAt: null })
		).json()) as { data: { rawApiKey: string } };
		this.apiKey = created.data.rawApiKey;
	}

	/** Editor REST call with the session cookie; throws with n8n's answer on a non-2xx status. */
	async rest(method: string, path: string, body?: unknown, withCookie = true): Promise<Response> {
		const response = await request(method, `${this.url}${path}`, {
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(withCookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
		return response;
	}

	/** Public API call with the API key, bounded by `timeoutMs` (request's default when not given). */
	async api<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
		const response = await request(method, `${this.url}/api/v1${path}`, {
			headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
			timeoutMs,
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /api/v1${path} → ${response.status}: ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	async findWorkflowByName(name: string): Promise<string | undefined> {
		const result = await this.api<{ data: Array<{ id: string; name: string }> }>(
			'GET',
			`/workflows?name=${encodeURIComponent(name)}`,
		);
		return result.data.find((entry) => entry.name === name)?.id;
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		const created = await this.api<{ id: string }>('POST', '/credentials', { name, type, data });
		return created.id;
	}

	/** Every credential's id, name and type (never its data), page by page. */
	async listCredentials(): Promise<Array<{ id: string; name: string; type: string }>> {
		return await this.allPages<{ id: string; name: string; type: string }>('/credentials', {});
	}

	/** Replaces a credential's name and data. */
	async updateCredential(id: string, name: string, type: string, data: Record<string, unknown>): Promise<void> {
		await this.api('PATCH', `/credentials/${id}`, { name, type, data });
	}

	async testCredential(id: string): Promise<{ status: string; message: string }> {
		return await this.api('POST', `/credentials/${id}/test`);
	}

	/** Creates a workflow; credential references are rewritten by name to the ids given. */
	async createWorkflow(workflow: WorkflowJson, credentialIds: Record<string, string> = {}): Promise<string> {
		const nodes = workflow.nodes.map((node) => {
			if (!node.credentials) return node;
			const credentials: Record<string, { id: string; name: string }> = {};
			for (const [type, reference] of Object.entries(node.credentials)) {
				const id = credentialIds[reference.name] ?? credentialIds[type];
				if (!id) throw new Error(`no credential id for "${reference.name}" (${type})`);
				credentials[type] = { id, name: reference.name };
			}
			return { ...node, credentials };
		});
		const created = await this.api<{ id: string }>('POST', '/workflows', {
			name: workflow.name,
			nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
		return created.id;
	}

	/**
	 * Activates, and fails if n8n did not (it answers the call even when a trigger refuses to start).
	 * n8n answers once a polling trigger's first poll is done: a benchmark's 10^5-event backfill needs
	 * a longer `timeoutMs` than request's default.
	 */
	async activate(workflowId: string, timeoutMs?: number): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/activate`, undefined, timeoutMs);
		const workflow = await this.api<{ active: boolean }>('GET', `/workflows/${workflowId}`);
		if (!workflow.active) throw new Error(`n8n did not activate workflow ${workflowId}; see its log`);
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	/** Runs a workflow once from its start node and waits (bounded) for the execution to finish. */
	async runManually(workflowId: string, startNode: string, timeoutMs = 120_000): Promise<ExecutionSummary> {
		const workflow = await this.api<WorkflowJson>('GET', `/workflows/${workflowId}`);
		const started = (await (
			await this.rest('POST', `/rest/workflows/${workflowId}/run`, {
				workflowData: workflow,
				triggerToStartFrom: { name: startNode },
			})
		).json()) as { data: { executionId?: string; waitingForWebhook?: boolean } };
		const executionId = started.data.executionId;
		if (!executionId) throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		return await this.waitForExecution(executionId, timeoutMs);
	}

	async waitForExecution(executionId: string, timeoutMs = 120_000): Promise<ExecutionSummary> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			try {
				const execution = await this.api<ExecutionSummary>('GET', `/executions/${executionId}?includeData=true`);
				if (execution.stoppedAt && execution.status !== 'running' && execution.status !== 'new') return execution;
			} catch (error) {
				// The execution row appears a moment after the run starts.
				if (!String(error).includes('404')) throw error;
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
	}

	async listExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		return await this.allPages<ExecutionSummary>('/executions', { workflowId, includeData: 'true' });
	}

	/** Every item of a public API list, following `nextCursor` (at most 100 pages of 250). */
	private async allPages<T>(path: string, parameters: Record<string, string>): Promise<T[]> {
		const all: T[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const query = new URLSearchParams({ ...parameters, limit: '250' });
			if (cursor) query.set('cursor', cursor);
			const result = await this.api<{ data: T[]; nextCursor: string | null }>('GET', `${path}?${query.toString()}`);
			all.push(...result.data);
			if (!result.nextCursor) break;
			cursor = result.nextCursor;
		}
		return all;
	}
}

/** The items a node output on its first run, as plain JSON. */
export function nodeOutput(execution: ExecutionSummary, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		const error = execution.data?.resultData.error;
		throw new Error(`node "${nodeName}" did not run${error ? `: ${error.message}` : ''}`);
	}
	return (runs[0].data?.main[output] ?? []).map((item) => item.json);
}

/**
 * One HTTP request on a connection of its own (`Connection: close`, no agent), answered as a fetch
 * Response; the whole exchange is bounded by `timeoutMs`.
 */
export function request(
	method: string,
	url: string,
	options: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Response> {
	return new Promise((resolve, reject) => {
		const body = options.body === undefined ? undefined : Buffer.from(options.body);
		const outgoing = http.request(
			url,
			{
				method,
				agent: false,
				headers: { ...options.headers, connection: 'close', ...(body ? { 'content-length': String(body.length) } : {}) },
				signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
			},
			(incoming) => {
				const chunks: Buffer[] = [];
				incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
				incoming.once('error', reject);
				incoming.once('end', () => {
					const headers = new Headers();
					for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
						headers.append(incoming.rawHeaders[index], incoming.rawHeaders[index + 1]);
					}
					const status = incoming.statusCode ?? 0;
					// A Response may not carry a body with these statuses.
					const empty = status === 204 || status === 205 || status === 304 || method === 'HEAD';
					resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: incoming.statusMessage, headers }));
				});
			},
		);
		// Named, so that a timeout says which call it was.
		outgoing.once('error', (error) => reject(new Error(`${method} ${url}: ${error.message}`, { cause: error })));
		outgoing.end(body);
	});
}

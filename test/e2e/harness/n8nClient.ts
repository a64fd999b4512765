/**
 * Drives a running n8n the way a user's browser and API client would: owner setup, an API key, then
 * the public API for credentials, workflows and executions, and the editor's REST route for manual runs.
 */
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

	/** For an n8n that may already have its owner (the demo's kept user folder): set up, else log in. */
	static async signIn(url: string): Promise<N8nClient> {
		const client = new N8nClient(url);
		try {
			await client.setUpOwner();
		} catch {
			const response = await client.rest('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, false);
			client.cookie = N8nClient.authCookie(response);
		}
		await client.createApiKey();
		return client;
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

	private async createApiKey(): Promise<void> {
		const scopes = (await (await this.rest('GET', '/rest/api-keys/scopes')).json()) as { data: string[] };
		const created = (await (
			await this.rest('POST', '/rest/api-keys', { label: `harness-${Date.now()}`, scopes: scopes.data, expiresAt: null })
		).json()) as { data: { rawApiKey: string } };
		this.apiKey = created.data.rawApiKey;
	}

	/** Editor REST call with the session cookie; throws with n8n's answer on a non-2xx status. */
	async rest(method: string, path: string, body?: unknown, withCookie = true): Promise<Response> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(withCookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
		return response;
	}

	/** Public API call with the API key. */
	async api<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/api/v1${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
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

	/** Activates, and fails if n8n did not (it answers the call even when a trigger refuses to start). */
	async activate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/activate`);
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
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const query = new URLSearchParams({ workflowId, limit: '250', includeData: 'true' });
			if (cursor) query.set('cursor', cursor);
			const result = await this.api<{ data: ExecutionSummary[]; nextCursor: string | null }>(
				'GET',
				`/executions?${query.toString()}`,
			);
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

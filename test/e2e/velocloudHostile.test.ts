/**
 * VeloCloud in a real n8n against answers a real VCO should never give: a body that stalls after its
 * headers, paging that never advances, and a window larger than one execution should carry. Each run is
 * bounded and says what went wrong; a huge window is delivered completely, each event once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { VeloCloudSimulator } from '../simulators/velocloud';
import { vcoTokenCredentialData } from '../support/n8n/credentialData';
import type { N8nClient, WorkflowJson } from '../support/n8n/n8nClient';
import { connectToE2eN8n, type E2eState } from '../support/n8n/state';
import { keepingSuccessfulExecutions, loadBundledWorkflow, manualWorkflow, waitFor, withNodeParameters } from '../support/n8n/workflows';

const MINUTE = 60_000;
const TOKEN = 'hostile-e2e-token-5521';

let client: N8nClient;
let state: E2eState;

beforeAll(async () => {
	({ client, state } = await connectToE2eN8n());
});

/** A plain-HTTP "VCO" on loopback whose answers the test scripts per REST method. */
async function startHostileVco(answer: (method: string, body: Record<string, unknown>, response: ServerResponse) => void): Promise<{
	url: string;
	calls: Map<string, number>;
	close: () => Promise<void>;
}> {
	const calls = new Map<string, number>();
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const method = (request.url ?? '').replace(/^\/portal\/rest\//, '');
			calls.set(method, (calls.get(method) ?? 0) + 1);
			const text = Buffer.concat(chunks).toString('utf8');
			answer(method, text ? (JSON.parse(text) as Record<string, unknown>) : {}, response);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		calls,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function json(response: ServerResponse, body: unknown): void {
	response.writeHead(200, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

function manualGetMany(credentialId: string, credentialName: string): WorkflowJson {
	return manualWorkflow(`VeloCloud hostile ${credentialName}`, {
		name: 'VeloCloud',
		type: 'veloCloud',
		parameters: { resource: 'event', operation: 'getMany', timeWindow: 'lastMinutes', lastMinutes: 60, returnAll: true, filters: {} },
		credential: { type: 'veloCloudApi', id: credentialId, name: credentialName },
	});
}

describe('VeloCloud against a hostile orchestrator, in a real n8n', () => {
	it('ends a credential test whose answer stalls after the headers, within its deadline, saying so', async () => {
		const vco = await startHostileVco((_method, _body, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('{"id":1,');
			// ...and nothing more, ever.
		});
		try {
			const id = await client.createCredential('VCO that stalls', 'veloCloudApi', { host: vco.url, apiToken: TOKEN, accountType: 'enterprise' });
			const result = await client.testCredential(id);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^VCO call enterprise\/getEnterprise failed: 127\.0\.0\.1:\d+ did not send its whole answer within 15 s/);
			expect(result.message).not.toContain(TOKEN);
		} finally {
			await vco.close();
		}
	});

	it('stops a Get Many whose paging never advances, with a clear error, after a bounded number of requests', async () => {
		const vco = await startHostileVco((method, _body, response) => {
			if (method === 'enterprise/getEnterprise') return json(response, { id: 1, name: 'Loop Inc' });
			json(response, {
				metaData: { limit: 2048, more: true, nextPageLink: 'same-link-forever' },
				data: [{ id: 1, eventTime: new Date().toISOString(), event: 'EDGE_UP', category: 'EDGE', severity: 'INFO', message: 'm', detail: '{}' }],
			});
		});
		try {
			const id = await client.createCredential('VCO that loops', 'veloCloudApi', { host: vco.url, apiToken: TOKEN, accountType: 'enterprise' });
			const workflowId = await client.createWorkflow(manualGetMany(id, 'VCO that loops'), { 'VCO that loops': id });
			const execution = await client.runManually(workflowId, 'Start');
			expect(execution.status).toBe('error');
			expect(execution.data?.resultData.error?.message).toBe('VCO paging does not advance: the same nextPageLink came back twice');
			// The first page, the repeated link, and at most the one request already in flight.
			expect(vco.calls.get('event/getEnterpriseEvents')).toBeLessThanOrEqual(3);
		} finally {
			await vco.close();
		}
	});
});

describe('a window of 1.25×10^5 events through the bundled archiver', () => {
	let simulator: VeloCloudSimulator;

	beforeAll(async () => {
		// 125,000 events in the last 50 minutes, seen through an operator token: one window larger than the
		// ~120,000 events that once overflowed the call stack.
		simulator = await new VeloCloudSimulator({ seed: 23, eventCount: 125_000, spanMs: 50 * MINUTE, tokenRole: 'operator' }).start();
	});
	let active: string | undefined;
	// Also when the test itself timed out: a workflow left polling would load n8n for the tests after it.
	afterAll(async () => {
		if (active) await client.deactivate(active).catch(() => undefined);
		await simulator.stop();
	});

	it('delivers every event once, in executions of at most Max Events per Execution', async () => {
		const credentialId = await client.createCredential('VCO huge window', 'veloCloudApi', vcoTokenCredentialData(simulator, { accountType: 'operator' }));
		const archiveFolder = join(state.userFolder, 'files', 'velocloud-huge-window');
		let workflow = loadBundledWorkflow('velocloud-events-archiver.json');
		workflow = withNodeParameters(workflow, 'VeloCloud Trigger', {
			options: { lookbackMinutes: 60, latenessMinutes: 15, maxEventsPerExecution: 45_000 },
		});
		workflow = withNodeParameters(workflow, 'Event Archive', { baseFolder: archiveFolder });
		// It counts the executions below; the bundled settings do not keep successful ones.
		workflow = keepingSuccessfulExecutions(workflow);
		const workflowId = await client.createWorkflow(workflow, { 'VeloCloud Orchestrator': credentialId });
		const expected = simulator.eventsBetween(undefined, 0, Date.now() + MINUTE).length;
		expect(expected).toBe(125_000);

		const lines = () => {
			let count = 0;
			if (!existsSync(archiveFolder)) return 0;
			for (const key of readdirSync(archiveFolder)) {
				const file = join(archiveFolder, key, 'events.json');
				if (existsSync(file)) count += readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
			}
			return count;
		};
		await client.activate(workflowId);
		active = workflowId;
		try {
			await waitFor('125,000 archived lines', () => (lines() >= expected ? true : undefined), 540_000, 2000);
			// Let a possible extra poll finish: it must add nothing.
			await new Promise((resolve) => setTimeout(resolve, 3000));
		} finally {
			await client.deactivate(workflowId);
			active = undefined;
		}
		const ids: number[] = [];
		for (const key of readdirSync(archiveFolder)) {
			for (const line of readFileSync(join(archiveFolder, key, 'events.json'), 'utf8').split('\n').filter(Boolean)) {
				ids.push((JSON.parse(line) as { id: number }).id);
			}
		}
		expect(ids).toHaveLength(expected);
		expect(new Set(ids).size).toBe(expected);
		const executions = (await client.listExecutions(workflowId)).filter((execution) => execution.mode !== 'manual');
		expect(executions.length).toBeGreaterThanOrEqual(3);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
	}, 600_000);
});

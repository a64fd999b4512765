import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { WorkflowJson } from './n8nClient';
import { PROJECT_ROOT } from './runtime';

/** A bundled workflow exactly as users import it from workflows/. */
export function loadBundledWorkflow(fileName: string): WorkflowJson {
	return JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', fileName), 'utf8')) as WorkflowJson;
}

/** The same workflow with some parameters of one node replaced (a test's poll interval, a folder). */
export function withNodeParameters(workflow: WorkflowJson, nodeName: string, parameters: Record<string, unknown>): WorkflowJson {
	const node = workflow.nodes.find((entry) => entry.name === nodeName);
	if (!node) throw new Error(`workflow "${workflow.name}" has no node "${nodeName}"`);
	return {
		...workflow,
		nodes: workflow.nodes.map((entry) => (entry === node ? { ...entry, parameters: { ...entry.parameters, ...parameters } } : entry)),
	};
}

/** Bounded wait for a condition checked every `intervalMs`. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined> | T | undefined,
	timeoutMs = 60_000,
	intervalMs = 500,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const result = await check();
			if (result !== undefined && result !== false) return result;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * The bundled workflows do not keep successful executions (README, "Execution data"): a test that counts
 * or inspects them keeps them, as n8n does by default.
 */
export function keepingSuccessfulExecutions(workflow: WorkflowJson): WorkflowJson {
	return { ...workflow, settings: { ...workflow.settings, saveDataSuccessExecution: 'all' } };
}

/** Manual Trigger → one node of the package, with its parameters and one credential: the shape of most e2e runs. */
export function manualWorkflow(
	name: string,
	node: { name: string; type: string; parameters: Record<string, unknown>; credential?: { type: string; id: string; name: string } },
): WorkflowJson {
	return {
		name,
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: node.name,
				type: `n8n-nodes-netsec-events.${node.type}`,
				typeVersion: 1,
				position: [300, 0],
				parameters: node.parameters,
				...(node.credential ? { credentials: { [node.credential.type]: { id: node.credential.id, name: node.credential.name } } } : {}),
			},
		],
		connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	};
}

/**
 * What the demo sets up in its n8n, once, and remembers in .demo/state.json: one API key (reused on
 * every start while n8n takes it), a credential per simulated appliance (made on the first start;
 * written again only when what the demo would put in it changed, e.g. a simulator moved to another port)
 * and the bundled workflows (imported and activated when missing).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nClient, type WorkflowJson } from '../../test/support/n8n/n8nClient';

export interface DemoCredential {
	/** the name the bundled workflows refer to it by */
	name: string;
	type: string;
	data: Record<string, unknown>;
}

interface DemoState {
	apiKey?: string;
	/** credential name → its id in n8n and a digest of the data the demo last wrote into it */
	credentials: Record<string, { id: string; digest?: string }>;
}

export const DEMO_API_KEY_LABEL = 'netsec-events demo';

function digest(credential: DemoCredential): string {
	return createHash('sha256').update(JSON.stringify([credential.type, credential.data])).digest('hex');
}

export function readDemoState(demoFolder: string): DemoState {
	const file = join(demoFolder, 'state.json');
	if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoState;
	// Demo folders made before state.json kept only credential ids, in provisioned.json.
	const older = join(demoFolder, 'provisioned.json');
	const ids = existsSync(older) ? (JSON.parse(readFileSync(older, 'utf8')) as Record<string, string>) : {};
	return { credentials: Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, { id }])) };
}

function writeDemoState(demoFolder: string, state: DemoState): void {
	writeFileSync(join(demoFolder, 'state.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export interface Provisioned {
	client: N8nClient;
	/** credential name → id */
	credentialIds: Record<string, string>;
}

/** Signs in (reusing the kept API key), makes or refreshes the credentials, imports missing workflows. */
export async function provisionDemo(options: {
	url: string;
	demoFolder: string;
	credentials: DemoCredential[];
	workflows: WorkflowJson[];
	log: (line: string) => void;
}): Promise<Provisioned> {
	const { demoFolder, log } = options;
	const state = readDemoState(demoFolder);
	const client = await N8nClient.signIn(options.url, { apiKey: state.apiKey, apiKeyLabel: DEMO_API_KEY_LABEL });
	if (client.session.apiKey !== state.apiKey) log(state.apiKey ? 'the kept API key was refused; made a new one' : 'API key made (kept in .demo/state.json)');
	state.apiKey = client.session.apiKey;
	writeDemoState(demoFolder, state);

	const existing = new Set((await client.listCredentials()).map((entry) => entry.id));
	for (const credential of options.credentials) {
		const kept = state.credentials[credential.name];
		const wanted = digest(credential);
		if (kept && existing.has(kept.id)) {
			if (kept.digest === wanted) continue;
			await client.updateCredential(kept.id, credential.name, credential.type, credential.data);
			log(`credential "${credential.name}" updated to the simulator's current address`);
		} else {
			const id = await client.createCredential(credential.name, credential.type, credential.data);
			state.credentials[credential.name] = { id, digest: wanted };
			log(`credential "${credential.name}" → simulator`);
		}
		state.credentials[credential.name].digest = wanted;
		writeDemoState(demoFolder, state);
	}

	// A workflow names its credentials; a name the demo does not make falls back to the demo's credential of that type.
	const credentialIds: Record<string, string> = {};
	for (const credential of [...options.credentials].reverse()) credentialIds[credential.type] = state.credentials[credential.name].id;
	for (const credential of options.credentials) credentialIds[credential.name] = state.credentials[credential.name].id;
	for (const workflow of options.workflows) {
		const missing = missingCredentials(workflow, credentialIds);
		if (missing.length > 0) {
			log(`workflow "${workflow.name}" not imported: the demo has no ${missing.join(', ')} credential (no simulator for it yet)`);
			continue;
		}
		if (await client.findWorkflowByName(workflow.name)) continue;
		const id = await client.createWorkflow(workflow, credentialIds);
		await client.activate(id);
		log(`workflow "${workflow.name}" imported and activated`);
	}
	return { client, credentialIds };
}

/** The credentials a workflow's nodes name that neither a demo credential's name nor its type provides. */
export function missingCredentials(workflow: WorkflowJson, credentialIds: Record<string, string>): string[] {
	const missing = new Set<string>();
	for (const node of workflow.nodes) {
		for (const [type, reference] of Object.entries(node.credentials ?? {})) {
			if (!credentialIds[reference.name] && !credentialIds[type]) missing.add(`"${reference.name}" (${type})`);
		}
	}
	return [...missing];
}

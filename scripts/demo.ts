/**
 * `npm run demo`: the simulated appliances (with a steady trickle of new events), a real n8n on
 * http://127.0.0.1:5678 with this package installed as a community package, a credential per
 * simulated appliance and every bundled workflow imported. Ctrl-C stops everything.
 *
 * The simulators serve HTTPS with a throw-away CA made on the first run and kept in .demo/simulator-tls
 * (the demo credentials, kept in .demo too, carry it as their Custom CA Certificate and verify TLS).
 *
 * Environment: DEMO_PORT (default 5678), DEMO_TRICKLE_MS (default 5000).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { installPackage, packPackage } from '../test/e2e/harness/installPackage';
import { N8nClient, type WorkflowJson } from '../test/e2e/harness/n8nClient';
import { startN8n } from '../test/e2e/harness/n8nProcess';
import { ensureRuntime, PROJECT_ROOT } from '../test/e2e/harness/runtime';
import { startSimulators, type SimulatorSet } from '../test/simulators';
import { makeSimulatorTls, SIMULATOR_TLS_DIR_VARIABLE, simulatorCaFile } from '../test/simulators/common';

const DEMO_DIR = join(PROJECT_ROOT, '.demo');
const USER_FOLDER = join(DEMO_DIR, 'n8n');
const FILES_DIR = join(DEMO_DIR, 'files');
const PROVISIONED = join(DEMO_DIR, 'provisioned.json');

const log = (line: string) => console.log(`[demo] ${line}`);

/** Credentials for the simulated appliances, named as the bundled workflows name them. */
function demoCredentials(simulators: SimulatorSet): Array<{ name: string; type: string; data: Record<string, unknown> }> {
	const { vco, illumio, smc, vrni, vrli, sinks } = simulators.credentials();
	const tls = { allowUnauthorizedCerts: false, caCertificate: simulators.ca };
	const vrliUrl = new URL(vrli.url);
	return [
		// The operator sees every simulated enterprise, so the archiver writes one folder per enterprise.
		{
			name: 'VeloCloud Orchestrator',
			type: 'veloCloudApi',
			data: { host: vco.url, username: vco.operatorUsername, password: vco.operatorPassword, accountType: 'operator', ...tls },
		},
		{
			name: 'VeloCloud Orchestrator (enterprise token)',
			type: 'veloCloudApi',
			data: { host: vco.url, apiToken: vco.token, accountType: 'enterprise', ...tls },
		},
		{
			name: 'Illumio PCE',
			type: 'illumioApi',
			data: { url: illumio.url, authUsername: illumio.apiKeyUser, apiKeySecret: illumio.apiKeySecret, orgId: illumio.orgId, ...tls },
		},
		{
			name: 'Forcepoint SMC',
			type: 'forcepointSmcApi',
			data: { url: smc.url, apiKey: smc.apiKey, apiVersion: '', domain: smc.domain, ...tls },
		},
		{
			name: 'Network Insight',
			type: 'networkInsightApi',
			data: { authType: 'onPrem', host: vrni.url, username: vrni.username, password: vrni.password, domainType: 'LOCAL', ...tls },
		},
		// With a vRLI user, the daily flow archive keeps each flow's own time.
		{
			name: 'Log Insight',
			type: 'logInsightApi',
			data: {
				host: vrliUrl.hostname,
				protocol: vrliUrl.protocol === 'https:' ? 'https' : 'http',
				port: Number(vrliUrl.port),
				agentId: vrli.agentId,
				username: vrli.username,
				password: vrli.password,
				provider: 'Local',
				...tls,
			},
		},
		// The local sinks, under the names the notification and SIEM workflows use: what Syslog Send and
		// Send Email deliver can be seen at /__sim/sinks.
		{
			name: 'Syslog Receiver',
			type: 'syslogReceiver',
			data: { host: sinks.syslog.host, port: sinks.syslog.tlsPort, transport: 'tls', framing: 'octetCounting', ...tls },
		},
		{
			name: 'SMTP',
			type: 'smtp',
			data: { host: sinks.smtp.host, port: sinks.smtp.port, user: sinks.smtp.user, password: sinks.smtp.password, secure: false, disableStartTls: false },
		},
	];
}

/** Archive folders point into .demo/files, which the demo n8n may write. */
function forDemo(workflow: WorkflowJson, slackUrl: string): WorkflowJson {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => {
			if (node.type === 'n8n-nodes-netsec-events.eventArchive') return { ...node, parameters: { ...node.parameters, baseFolder: join(FILES_DIR, 'velocloud-events') } };
			// Slack incoming webhooks go to the local webhook sink.
			if (typeof node.parameters.url === 'string' && node.parameters.url.startsWith('https://hooks.slack.com/')) return { ...node, parameters: { ...node.parameters, url: slackUrl } };
			return node;
		}),
	};
}

async function main(): Promise<void> {
	ensureRuntime(log);
	mkdirSync(FILES_DIR, { recursive: true });
	const trickleMs = Number(process.env.DEMO_TRICKLE_MS ?? 5000);
	// One CA for the life of .demo: the credentials made on the first run keep trusting it.
	const simulatorTlsDir = join(DEMO_DIR, 'simulator-tls');
	if (!existsSync(simulatorCaFile(simulatorTlsDir))) makeSimulatorTls(simulatorTlsDir, 3650);
	process.env[SIMULATOR_TLS_DIR_VARIABLE] = simulatorTlsDir;
	const simulators = await startSimulators({ trickleMs });
	log(`simulated appliances: ${JSON.stringify({ ...simulators.credentials(), caFile: simulators.caFile })}`);

	installPackage(USER_FOLDER, packPackage(join(DEMO_DIR, 'pack')));
	const port = Number(process.env.DEMO_PORT ?? 5678);
	const n8n = await startN8n({
		userFolder: USER_FOLDER,
		port,
		// n8n's own nodes (HTTP Request, Send Email) trust the simulators' CA too: the sinks present it.
		env: { N8N_RESTRICT_FILE_ACCESS_TO: FILES_DIR, ...(simulators.caFile ? { NODE_EXTRA_CA_CERTS: simulators.caFile } : {}) },
		ownProcessGroup: false,
	});
	// Whatever ends the demo, n8n does not outlive it.
	process.once('exit', () => {
		try {
			process.kill(n8n.pid, 'SIGTERM');
		} catch {
			// already stopped
		}
	});
	const stop = async () => {
		log('stopping');
		await n8n.stop();
		await simulators.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());

	try {
		const client = await N8nClient.signIn(n8n.url);
		const provisioned = existsSync(PROVISIONED) ? (JSON.parse(readFileSync(PROVISIONED, 'utf8')) as Record<string, string>) : {};
		for (const credential of demoCredentials(simulators)) {
			if (provisioned[credential.name]) continue;
			provisioned[credential.name] = await client.createCredential(credential.name, credential.type, credential.data);
			log(`credential "${credential.name}" → simulator`);
		}
		writeFileSync(PROVISIONED, JSON.stringify(provisioned, null, 2));
		for (const file of readdirSync(join(PROJECT_ROOT, 'workflows')).filter((name) => name.endsWith('.json'))) {
			const workflow = forDemo(JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', file), 'utf8')) as WorkflowJson, simulators.credentials().sinks.webhook.slackUrl);
			if (await client.findWorkflowByName(workflow.name)) continue;
			const id = await client.createWorkflow(workflow, provisioned);
			await client.activate(id);
			log(`workflow "${workflow.name}" imported and activated`);
		}
	} catch (error) {
		console.error(error);
		console.error(n8n.logTail());
		await stop();
		return;
	}

	const owner = N8nClient.owner;
	log('');
	log(`n8n is ready on ${n8n.url}  (login ${owner.email} / ${owner.password})`);
	log(`archives are written under ${FILES_DIR}`);
	log('credentials point at the simulated appliances; edit them to use a real one');
	log('Ctrl-C stops n8n and the simulators');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});

import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApplianceError } from '../../shared/errors';
import { readTlsOptions, type TlsOptions } from '../../shared/tls';

export interface LogInsightCredentials {
	/** scheme://host:port */
	baseUrl: string;
	agentId: string;
	login?: { username: string; password: string; provider: string };
	tls: TlsOptions;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name-based UUID (version 5 layout) of the host: the same agent id on every run, without storing one. */
export function derivedAgentId(host: string): string {
	const hex = createHash('sha1').update(`n8n-nodes-netsec-events/logInsight/${host.toLowerCase()}`).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function readLogInsightCredentials(data: ICredentialDataDecryptedObject): LogInsightCredentials {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	const protocol = data.protocol === 'http' ? 'http' : 'https';
	// A host pasted with a scheme, port or path keeps only its name; the protocol and port fields rule.
	const host = text(data.host).replace(/^[a-z]+:\/\//i, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '');
	if (host === '') throw new ApplianceError('config', 'The Log Insight credential has no host', { description: 'Fill in the vRLI host name.' });
	const port = Number(data.port) > 0 ? Number(data.port) : protocol === 'https' ? 9543 : 9000;
	const agentId = text(data.agentId) || derivedAgentId(host);
	if (!UUID.test(agentId) && agentId !== '0') {
		throw new ApplianceError('config', `The agent ID "${agentId}" is not a UUID`, { description: 'Use a UUID such as 4a3b6c1e-0f4e-4a55-9a0e-1b2c3d4e5f60, or leave the field empty.' });
	}
	const username = text(data.username);
	const password = typeof data.password === 'string' ? data.password : '';
	if (username !== '' && password === '') {
		throw new ApplianceError('config', 'The Log Insight credential has a username but no password', { description: 'Fill in the password, or clear the username for unauthenticated ingestion.' });
	}
	return {
		baseUrl: `${protocol}://${host}:${port}`,
		agentId,
		login: username === '' ? undefined : { username, password, provider: text(data.provider) || 'Local' },
		tls: readTlsOptions(data),
	};
}

/** Where Syslog Send sends: a Syslog Receiver credential, or host, port and transport as parameters. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readTlsOptions } from '../../shared/tls';
import type { Framing, Transport } from '../transport/framing';
import type { SyslogTarget } from '../transport/target';

const fromParameters = { show: { receiverFrom: ['parameters'] } };

export const receiverProperties: INodeProperties[] = [
	{
		displayName: 'Receiver From',
		name: 'receiverFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Credential', value: 'credential', description: 'A Syslog Receiver credential (needed for a client certificate)' },
			{ name: 'Parameters', value: 'parameters', description: 'Host, port and transport set on this node' },
		],
		default: 'credential',
	},
	{
		displayName: 'Host',
		name: 'host',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'siem.example.com',
		displayOptions: fromParameters,
	},
	{
		displayName: 'Transport',
		name: 'transport',
		type: 'options',
		options: [
			{ name: 'TLS (RFC 5425)', value: 'tls' },
			{ name: 'TCP (RFC 6587)', value: 'tcp' },
			{ name: 'UDP (RFC 5426)', value: 'udp' },
		],
		default: 'tls',
		displayOptions: fromParameters,
	},
	{
		displayName: 'Port',
		name: 'port',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 65535 },
		default: 6514,
		required: true,
		displayOptions: fromParameters,
	},
	{
		displayName: 'Framing',
		name: 'framing',
		type: 'options',
		options: [
			{ name: 'Octet Counting', value: 'octetCounting', description: 'Length-prefixed (RFC 6587 §3.4.1, required by RFC 5425)' },
			{ name: 'LF Terminated', value: 'lf', description: 'One message per line; line breaks in messages are escaped' },
		],
		default: 'octetCounting',
		displayOptions: { show: { receiverFrom: ['parameters'], transport: ['tcp', 'tls'] } },
	},
	{
		displayName: 'Custom CA Certificate',
		name: 'caCertificate',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----',
		description: "PEM of the CA that signed the receiver's certificate, when the n8n host does not trust it already",
		displayOptions: { show: { receiverFrom: ['parameters'], transport: ['tls'] } },
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'allowUnauthorizedCerts',
		type: 'boolean',
		default: false,
		description: 'Whether to connect even if SSL certificate validation is not possible',
		displayOptions: { show: { receiverFrom: ['parameters'], transport: ['tls'] } },
	},
];

export interface ConnectionLimits {
	connectTimeoutMs: number;
	sendTimeoutMs: number;
}

/** The receiver of one execution: read once, from the first item's parameters. */
export async function readTarget(context: IExecuteFunctions, limits: ConnectionLimits): Promise<SyslogTarget> {
	const source = context.getNodeParameter('receiverFrom', 0) as 'credential' | 'parameters';
	const parameter = (name: string, fallback: string | number | boolean) => context.getNodeParameter(name, 0, fallback) as string | number | boolean;
	const data: ICredentialDataDecryptedObject =
		source === 'credential'
			? await context.getCredentials('syslogReceiver')
			: {
					host: parameter('host', ''),
					port: parameter('port', 6514),
					transport: parameter('transport', 'tls'),
					framing: parameter('framing', 'octetCounting'),
					caCertificate: parameter('caCertificate', ''),
					allowUnauthorizedCerts: parameter('allowUnauthorizedCerts', false),
				};
	const target = targetFromData(data, limits);
	const where = source === 'credential' ? ' in the Syslog Receiver credential' : '';
	if (!target.host) {
		throw new NodeOperationError(context.getNode(), 'The syslog receiver has no host', { description: `Fill in Host${where}.` });
	}
	if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
		throw new NodeOperationError(context.getNode(), `"${String(data.port)}" is not a port number`, {
			description: `Set Port${where} to a number from 1 to 65535 (6514 for TLS, 514 for UDP or TCP, usually).`,
		});
	}
	return target;
}

/** Credential fields (or the same names as node parameters) to a target. */
export function targetFromData(data: ICredentialDataDecryptedObject, limits: ConnectionLimits): SyslogTarget {
	const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string).trim() : '');
	const transport = (['udp', 'tcp', 'tls'].includes(text('transport')) ? text('transport') : 'tls') as Transport;
	// The CA is read (and checked to be PEM) only where it is used.
	const { ca, skipVerification } = transport === 'tls' ? readTlsOptions(data) : { ca: undefined, skipVerification: false };
	return {
		host: text('host').replace(/^\[(.*)\]$/, '$1'),
		port: Number(data.port),
		transport,
		framing: (text('framing') === 'lf' ? 'lf' : 'octetCounting') as Framing,
		tls: {
			ca,
			cert: text('clientCertificate') || undefined,
			key: text('clientPrivateKey') || undefined,
			passphrase: text('clientKeyPassphrase') || undefined,
			serverName: text('serverName') || undefined,
			rejectUnauthorized: !skipVerification,
		},
		...limits,
	};
}

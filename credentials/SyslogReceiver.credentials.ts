import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';

const tlsOnly = { show: { transport: ['tls'] } };

/**
 * A syslog receiver (a SIEM collector, rsyslog, syslog-ng): host, port and transport, and for TLS
 * (RFC 5425) the CA to trust and an optional client certificate. The connection test is the Syslog
 * Send node's `syslogReceiverTest`: a TCP connection or TLS handshake, closed cleanly.
 */
// A syslog receiver is no HTTP API: the credential keeps the name the workflows and docs use.
/* eslint-disable n8n-nodes-base/cred-class-name-unsuffixed, n8n-nodes-base/cred-class-field-name-unsuffixed, n8n-nodes-base/cred-class-field-display-name-missing-api */
export class SyslogReceiver implements ICredentialType {
	name = 'syslogReceiver';

	displayName = 'Syslog Receiver';
	/* eslint-enable n8n-nodes-base/cred-class-name-unsuffixed, n8n-nodes-base/cred-class-field-name-unsuffixed, n8n-nodes-base/cred-class-field-display-name-missing-api */

	icon = { light: 'file:../nodes/SyslogSend/syslogSend.svg', dark: 'file:../nodes/SyslogSend/syslogSend.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#syslog-receiver-credential';

	// The package's TLS pair (Custom CA Certificate, Ignore SSL Issues) comes last, shown for TLS only.
	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'siem.example.com',
		},
		{
			displayName: 'Transport',
			name: 'transport',
			type: 'options',
			options: [
				{ name: 'TLS (RFC 5425)', value: 'tls', description: 'Encrypted, over TCP; usually port 6514' },
				{ name: 'TCP (RFC 6587)', value: 'tcp', description: 'Usually port 514 or 601' },
				{ name: 'UDP (RFC 5426)', value: 'udp', description: 'Usually port 514; nothing confirms delivery' },
			],
			default: 'tls',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 65535 },
			default: 6514,
			required: true,
		},
		{
			displayName: 'Framing',
			name: 'framing',
			type: 'options',
			options: [
				{ name: 'Octet Counting', value: 'octetCounting', description: 'Length-prefixed (RFC 6587 §3.4.1, required by RFC 5425)' },
				{ name: 'LF Terminated', value: 'lf', description: 'One message per line (RFC 6587 §3.4.2); line breaks in messages are escaped' },
			],
			default: 'octetCounting',
			displayOptions: { show: { transport: ['tcp', 'tls'] } },
		},
		{
			displayName: 'Server Name',
			name: 'serverName',
			type: 'string',
			default: '',
			description: "Name the receiver's certificate must carry, when it differs from Host (for example when Host is an IP address)",
			displayOptions: tlsOnly,
		},
		{
			displayName: 'Client Certificate',
			name: 'clientCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM, for receivers that authenticate senders by certificate (mutual TLS)',
			displayOptions: tlsOnly,
		},
		{
			displayName: 'Client Key',
			name: 'clientPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			displayOptions: tlsOnly,
		},
		{
			displayName: 'Client Key Passphrase',
			name: 'clientKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: tlsOnly,
		},
		...tlsCredentialProperties.map((property) => ({ ...property, displayOptions: tlsOnly })),
	];
}

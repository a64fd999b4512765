import type { INodeProperties } from 'n8n-workflow';

/** The one TLS option every credential carries: verification stays on unless the user turns it off. */
export const ignoreTlsErrorsProperty: INodeProperties = {
	displayName: 'Ignore SSL Issues (Insecure)',
	name: 'allowUnauthorizedCerts',
	type: 'boolean',
	default: false,
	description: 'Whether to connect even if SSL certificate validation is not possible',
	hint: 'Prefer trusting the appliance CA on the n8n host (NODE_EXTRA_CA_CERTS) to turning verification off',
};

export function skipsTlsVerification(credentials: { allowUnauthorizedCerts?: unknown }): boolean {
	return credentials.allowUnauthorizedCerts === true;
}

import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

import { ApplianceError } from './errors';

/** How a transport checks the appliance's certificate: verification stays on unless the user turns it off. */
export interface TlsOptions {
	skipVerification: boolean;
	/** PEM of the CA (or CAs) that signed the appliance's certificate, when it is a private one */
	ca?: string;
}

/**
 * The one pair of TLS fields every credential carries. Appliances such as SMC and on-premises PCEs use
 * certificates from a private CA: trusting that CA keeps verification on, turning it off is the last resort.
 */
export const tlsCredentialProperties: INodeProperties[] = [
	{
		displayName: 'Custom CA Certificate',
		name: 'caCertificate',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----',
		description:
			'PEM of the CA that signed the appliance certificate, when it is not a public one. Leave empty to use the CAs n8n trusts.',
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'allowUnauthorizedCerts',
		type: 'boolean',
		default: false,
		description: 'Whether to connect even if SSL certificate validation is not possible',
		hint: 'Prefer the Custom CA Certificate field to turning verification off',
	},
];

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The TLS options a credential's data describes; a CA field without a PEM certificate is refused. */
export function readTlsOptions(data: ICredentialDataDecryptedObject): TlsOptions {
	const skipVerification = data.allowUnauthorizedCerts === true;
	const caText = typeof data.caCertificate === 'string' ? data.caCertificate.trim() : '';
	if (caText === '') return { skipVerification };
	// n8n's editor may store the PEM with escaped line breaks when pasted into a one-line field.
	const normalised = caText.replace(/\\n/g, '\n');
	const certificates = normalised.match(PEM_CERTIFICATE);
	if (!certificates) {
		throw new ApplianceError('config', 'The Custom CA Certificate of the credential is not a PEM certificate', {
			description: 'Paste the CA certificate text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, or leave the field empty.',
		});
	}
	return { skipVerification, ca: `${certificates.join('\n')}\n` };
}

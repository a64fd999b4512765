import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { execute } from './actions/send.operation';
import { description } from './actions/description';
import { syslogReceiverTest } from './methods/credentialTest';

export class SyslogSend implements INodeType {
	description: INodeTypeDescription = {
		...description,
		icon: { light: 'file:syslogSend.svg', dark: 'file:syslogSend.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#syslog-send',
		subtitle: '={{ $parameter["receiverFrom"] === "parameters" ? $parameter["transport"] + "://" + $parameter["host"] + ":" + $parameter["port"] : "to the credential\'s receiver" }}',
		usableAsTool: true,
		credentials: [
			{
				name: 'syslogReceiver',
				required: true,
				testedBy: 'syslogReceiverTest',
				displayOptions: { show: { receiverFrom: ['credential'] } },
			},
		],
	};

	methods = {
		credentialTest: { syslogReceiverTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}

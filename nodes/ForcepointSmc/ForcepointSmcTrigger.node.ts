import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { toNodeError } from '../shared/errors';
import { n8nSend } from '../shared/transport';
import { filterFrom, formatFrom } from './descriptions';
import { forcepointSmcApiTest } from './methods/credentialTest';
import { getEntryPoints } from './methods/loadOptions';
import { openForcepointSmcClient, type ForcepointSmcClient } from './transport';
import { runStream, type StreamGap } from './transport/stream';
import { triggerProperties } from './trigger/properties';
import { elementChangeSource, liveLogSource, type TriggerSource } from './trigger/sources';

/**
 * Kafka Trigger v2's life cycle: a failure while starting is thrown (n8n retries the activation); once
 * running, losses reconnect with backoff and report a gap item, and failures a reconnect cannot cure go
 * to emitError; closing aborts the stream, waits for everything in flight and logs out. A manual run
 * listens until the first items.
 */
export class ForcepointSmcTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Forcepoint SMC Trigger',
		name: 'forcepointSmcTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts a workflow on element changes or live log records of a Forcepoint (Stonesoft) Security Management Center',
		defaults: { name: 'Forcepoint SMC Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: triggerProperties,
		icon: { light: 'file:forcepointSmc.svg', dark: 'file:forcepointSmc.dark.svg' },
		// n8n appends tracking parameters to the codex link, after the #anchor, so it would land on the top of the README.
		documentationUrl: 'https://github.com/n8n-nodes-netsec-events/n8n-nodes-netsec-events#forcepoint-smc-trigger-websocket',
		subtitle: '={{ $parameter["mode"] === "liveLogs" ? "Live log query" : "Element changes" }}',
		credentials: [{ name: 'forcepointSmcApi', required: true, testedBy: 'forcepointSmcApiTest' }],
	};

	methods = {
		loadOptions: { getEntryPoints },
		credentialTest: { forcepointSmcApiTest },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const closeController = new AbortController();
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const backoff = { initialMs: 1000, maxMs: ((options.maxReconnectDelaySeconds as number | undefined) ?? 60) * 1000 };
		let client: ForcepointSmcClient | undefined;
		let startup: Promise<void> | undefined;
		let running: Promise<void> | undefined;
		const secrets = () => client?.secrets ?? [];

		const emitItems = (items: IDataObject[]) => {
			if (items.length > 0 && !closeController.signal.aborted) this.emit([this.helpers.returnJsonArray(items)]);
		};

		const startOnce = async () => {
			try {
				client = await openForcepointSmcClient(this, n8nSend(this));
				const source = sourceFor(this, client, options);
				const first = await source.start(closeController.signal);
				running = runStream(
					first,
					{
						start: async (signal) => await source.start(signal),
						onMessage: async (message) => emitItems(await source.toItems(message)),
						onGap: async (gap) => {
							emitItems([gapItem(gap)]);
							if (source.backfill) {
								try {
									emitItems(await source.backfill(gap));
								} catch (error) {
									this.logger.warn(`Forcepoint SMC Trigger: backfilling the gap failed: ${toNodeError(this.getNode(), error, secrets()).message}`);
								}
							}
						},
						onFatal: (error) => this.emitError(toNodeError(this.getNode(), error, secrets())),
						close: async (socket) => await source.close(socket),
						onRetry: (error, attempt, delayMs) =>
							this.logger.warn(`Forcepoint SMC Trigger: reconnect attempt ${attempt} failed (${toNodeError(this.getNode(), error, secrets()).message}); next in ${Math.round(delayMs / 1000)} s`),
					},
					backoff,
					closeController.signal,
				);
			} catch (error) {
				await client?.close();
				throw toNodeError(this.getNode(), error, secrets());
			}
		};

		const start = async () => {
			startup = startOnce();
			await startup;
		};

		// Nothing in here throws: sockets and the logout end quietly (a close must not fail).
		const closeFunction = async () => {
			closeController.abort();
			// A start still in flight finishes first, so what it opened is closed rather than leaked.
			await startup?.catch(() => {});
			await running;
			await client?.close();
		};

		if (this.getMode() !== 'manual') {
			await start();
			return { closeFunction };
		}
		return { closeFunction, manualTriggerFunction: start };
	}
}

function sourceFor(context: ITriggerFunctions, client: ForcepointSmcClient, options: IDataObject): TriggerSource {
	if (context.getNodeParameter('mode') === 'liveLogs') {
		return liveLogSource(client, {
			filter: filterFrom(context.getNodeParameter('filter', {}) as IDataObject, context.getNodeParameter('filterCombine', 'and'), options.filterJson),
			format: formatFrom(context.getNodeParameter('fields', '') as string, context.getNodeParameter('fieldFormat', 'name'), options.timezone as string | undefined),
			backfillGaps: options.backfillGaps === true,
			backfillLimit: 10_000,
		});
	}
	return elementChangeSource(client, {
		entryPoints: context.getNodeParameter('entryPoints', []) as string[],
		actions: context.getNodeParameter('actions', []) as string[],
		includeElement: context.getNodeParameter('includeElement', false) as boolean,
	});
}

/** Says from when to when nothing was received, and why. */
function gapItem(gap: StreamGap): IDataObject {
	return {
		gap: {
			from: new Date(gap.from).toISOString(),
			to: new Date(gap.to).toISOString(),
			seconds: Math.round((gap.to - gap.from) / 100) / 10,
			reason: gap.reason,
			reconnectAttempts: gap.attempts,
		},
	};
}

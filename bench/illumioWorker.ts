/**
 * One measured run of the `illumio-events-trigger` bench row, in a fresh process so that its peak RSS is
 * its own (not what an earlier run left in the heap). `floor` or `pipeline`, then the PCE's URL, key,
 * secret, org and the window; prints {"events","seconds","peakRssMb"} as one JSON line.
 *
 * pipeline: what one Illumio Trigger poll does: the package's transport over n8n's own request helper
 * (count, async job, datafile), the shared cursor (select the new events, commit), three watchers (one
 * throttled). floor: the same HTTP requests (counts, then per part of the window an async request,
 * job polls after the same Retry-After and the datafile) with a bare fetch + JSON.parse.
 */
import type { IDataObject } from 'n8n-workflow';

import { httpSendFromN8n } from '../nodes/shared/transport/http';
import { PollCursor } from '../nodes/shared/trigger/cursor';
import { ASYNC_JOB_MAX_EVENTS, eventKey, eventTime, IllumioClient, listEvents, splitWindowByCount, type IllumioEvent } from '../nodes/Illumio/transport';
import { routeEvents } from '../nodes/Illumio/trigger/route';
import { compileWatchers } from '../nodes/Illumio/trigger/watchers';
import { n8nHttpRequest } from '../test/support/n8nHttp';
import { timed } from './measure';

interface PceAccess {
	url: string;
	orgId: number;
	apiKeyUser: string;
	apiKeySecret: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same requests as the transport: the count, the counts that split the window, then per part an async job and its datafile. */
async function floor(pce: PceAccess, start: number, end: number): Promise<number> {
	const headers = { authorization: `Basic ${Buffer.from(`${pce.apiKeyUser}:${pce.apiKeySecret}`).toString('base64')}`, accept: 'application/json' };
	const eventsUrl = (from: number, to: number) =>
		`${pce.url}/api/v2/orgs/${pce.orgId}/events?timestamp%5Bgte%5D=${encodeURIComponent(new Date(from).toISOString())}&timestamp%5Blte%5D=${encodeURIComponent(new Date(to).toISOString())}`;
	const count = async (from: number, to: number) => {
		const response = await fetch(`${eventsUrl(from, to)}&max_results=0`, { headers });
		await response.text();
		return Number(response.headers.get('x-total-count'));
	};
	const parts = await splitWindowByCount(count, { start, end, total: await count(start, end) }, ASYNC_JOB_MAX_EVENTS);
	let events = 0;
	for (const part of parts) {
		const accepted = await fetch(eventsUrl(part.start, part.end), { headers: { ...headers, prefer: 'respond-async' } });
		await accepted.text();
		const job = `${pce.url}/api/v2${accepted.headers.get('location')}`;
		let delay = Number(accepted.headers.get('retry-after') ?? 1) * 1000;
		for (let poll = 0; ; poll++) {
			if (poll === 100) throw new Error('the async job did not finish');
			await sleep(delay);
			const state = JSON.parse(await (await fetch(job, { headers })).text()) as { status: string; result: { href: string } };
			if (state.status !== 'done') {
				delay *= 1.5;
				continue;
			}
			events += (JSON.parse(await (await fetch(`${pce.url}/api/v2${state.result.href}`, { headers })).text()) as unknown[]).length;
			break;
		}
	}
	return events;
}

async function pipeline(pce: PceAccess, start: number, end: number): Promise<number> {
	const client = new IllumioClient(httpSendFromN8n(n8nHttpRequest()), {
		baseUrl: pce.url,
		apiKeyUsername: pce.apiKeyUser,
		apiKeySecret: pce.apiKeySecret,
		orgId: pce.orgId,
		tls: { skipVerification: false },
	});
	const events = await listEvents(client, { start, end });
	const staticData: IDataObject = {};
	const cursor = PollCursor.load(staticData, { latenessMs: 15 * 60_000, lookbackMs: end - start, now: end }, 'illumioEventCursor');
	const fresh = cursor.select<IllumioEvent>(events, eventKey, eventTime);
	const watchers = compileWatchers([
		{ name: 'Sign-ins', eventTypes: 'user.*' },
		{ name: 'Policy changes', eventTypes: 'sec_policy.*, rule_set.*, sec_rule.*, ip_list.*' },
		{ name: 'Tampering', eventTypes: 'agent.tampering', minSeverity: 'warning', throttleMinutes: 10 },
	]);
	const routed = routeEvents(fresh, watchers, { emitUnmatched: true, groupMin: 0 }, undefined, eventTime);
	cursor.commit(fresh, eventKey, eventTime, end, routed.throttle as unknown as IDataObject);
	if (routed.items.length + routed.counts.suppressed !== events.length) throw new Error('routing lost events');
	return fresh.length;
}

async function main(): Promise<void> {
	const [mode, url, apiKeyUser, apiKeySecret, orgId, start, end] = process.argv.slice(2);
	const pce = { url, apiKeyUser, apiKeySecret, orgId: Number(orgId) };
	const work = mode === 'pipeline' ? pipeline : floor;
	const { value: events, seconds, peakRssMb } = await timed(() => work(pce, Number(start), Number(end)));
	process.stdout.write(`${JSON.stringify({ events, seconds, peakRssMb })}\n`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});

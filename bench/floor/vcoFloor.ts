/**
 * The VeloCloud floor of the benchmark: the same paged requests with fetch and JSON.parse, nothing else.
 * Imports nothing, so that the n8n floor's trigger (BenchFloorTrigger.node.ts) can carry it into n8n.
 */
export async function veloCloudFloor(url: string, token: string, start: number, end: number, keep?: (rows: unknown[]) => void): Promise<number> {
	let count = 0;
	let params: Record<string, unknown> = { interval: { start, end }, filter: { limit: 2048 } };
	for (;;) {
		const response = await fetch(`${url}/portal/rest/event/getEnterpriseEvents`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
			body: JSON.stringify(params),
		});
		const page = JSON.parse(await response.text()) as { data: unknown[]; metaData: { more: boolean; nextPageLink?: string } };
		count += page.data.length;
		keep?.(page.data);
		if (!page.metaData.more || !page.metaData.nextPageLink) return count;
		params = { interval: { start, end }, filter: { limit: 2048 }, nextPageLink: page.metaData.nextPageLink, limit: 2048 };
	}
}

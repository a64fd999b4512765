/** The VeloCloud floor of the benchmark: the same paged requests with fetch and JSON.parse, nothing kept. */
export async function veloCloudFloor(url: string, token: string, start: number, end: number): Promise<number> {
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
		if (!page.metaData.more || !page.metaData.nextPageLink) return count;
		params = { interval: { start, end }, filter: { limit: 2048 }, nextPageLink: page.metaData.nextPageLink, limit: 2048 };
	}
}


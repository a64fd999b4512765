import nock from 'nock';

/**
 * nock for every appliance answer, real sockets on loopback for network failures (resets, refused
 * connections, TLS): nock's simulated socket errors do not behave like Node's. Every mock a test
 * sets up must be used.
 */
export function useNockWithLoopback(): void {
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
		nock.enableNetConnect('127.0.0.1');
	});
	afterEach(() => {
		expect(nock.pendingMocks()).toEqual([]);
		nock.cleanAll();
	});
	afterAll(() => {
		nock.enableNetConnect();
		// Unhook: later test files in the same jest worker drive real websockets and keep-alive connections.
		nock.restore();
	});
}

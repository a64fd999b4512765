/**
 * The syslog sink in its own process for the benchmark, so parsing the received frames is not counted
 * against the sender. Prints its TCP port as one JSON line when ready; answers each "count" line on
 * stdin with the number of messages received so far.
 */
import { createInterface } from 'node:readline';

import { SyslogSink } from '../test/simulators/sinks/syslog';

async function main(): Promise<void> {
	const sink = await new SyslogSink({ maxRecorded: 0, maxRawBytes: 0 }).start();
	process.stdout.write(`${JSON.stringify({ tcpPort: sink.ports.tcp })}\n`);
	createInterface({ input: process.stdin }).on('line', (line) => {
		if (line.trim() === 'count') process.stdout.write(`${JSON.stringify({ count: sink.count })}\n`);
	});
	process.once('SIGTERM', () => void sink.stop().then(() => process.exit(0)));
}

void main();

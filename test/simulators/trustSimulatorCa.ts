/**
 * Jest setup (unit project): the conformance tests drive the simulators over HTTPS with axios; axios'
 * default HTTPS agent trusts the simulators' throw-away CA, and only it, so TLS is verified and no
 * public CA is involved. An agent of its own rather than Node's global one: nock's interceptor, once a
 * test file in the same worker loaded it, drops the global agent's options. Clients that bring their
 * own agent or TLS options (websockets, n8n's request helper) are not affected and pass the CA themselves.
 */
import axios from 'axios';
import { Agent } from 'node:https';

import { simulatorTls } from './common';

axios.defaults.httpsAgent = new Agent({ ca: simulatorTls().ca });

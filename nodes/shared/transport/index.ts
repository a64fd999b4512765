/** The shared transport every vendor client is built on: HTTP seam, retry policy, base client, session helpers. */
export * from './applianceClient';
export * from './http';
export * from './retry';
export * from './withClient';

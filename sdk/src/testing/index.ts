// @lianjie/sdk/testing: run a plugin's handlers in the host's sandbox from a test, with fake capabilities and a
// canonical sample of every WeCom event.
export { createTestHost, type CapabilityCall, type InvokeContext, type TestHost, type TestHostOptions } from './test-host.ts';
export type { HttpRequest, HttpStub, HttpStubAnswer, HttpStubs, LogRecord, WecomStubs } from './fakes.ts';
export { sampleEvents } from '../generated/sample-events.ts';
export type { Result, Failure } from '../sandbox/index.ts';

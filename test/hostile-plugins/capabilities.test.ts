// Hostile plugins at the capability door: undeclared and ungranted capabilities, other installs' keys, unlisted hosts, floods.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectFailure, expectOutput, type Harness } from '../support/runner-harness.ts';

let h: Harness;
let server: Server;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url === '/redirect') {
      response.writeHead(302, { location: 'http://example.com/stolen' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${request.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});
afterEach(() => h.expectHostServes());

describe('capabilities the install does not hold', () => {
  it('18. ctx.store and ctx.http without the permission in plugin.json → capability.denied', async () => {
    const store = `async (input, ctx) => ctx.store.get({ key: 'k' })`;
    expectFailure(await h.attack(store), 'capability.denied', 'ctx.store needs the "store" permission, which plugin.json does not declare');
    const http = `async (input, ctx) => ctx.http.fetch({ url: 'http://127.0.0.1:${port}/' })`;
    expectFailure(await h.attack(http), 'capability.denied', 'ctx.http needs the "http" permission, which plugin.json does not declare');
    // Granting what the manifest does not declare changes nothing.
    expectFailure(await h.attack(store, { grants: ['store'] }), 'capability.denied', 'plugin.json does not declare');
  });

  it('18. the ctx a plugin sees lists only what it holds, and cannot be extended', async () => {
    const probe = `(input, ctx) => {
      'use strict';
      let added = 'no';
      try { ctx.store = { get: () => 'fake' }; added = 'yes'; } catch (e) { added = e.name; }
      return { keys: Object.keys(ctx).sort(), log: Object.keys(ctx.log).sort(), added, frozen: Object.isFrozen(ctx) };
    }`;
    expect(expectOutput(await h.attack(probe))).toEqual({
      keys: ['config', 'idempotencyKey', 'log', 'runId'], log: ['debug', 'error', 'info', 'warn'], added: 'TypeError', frozen: true,
    });
  });

  it('19. a capability the manifest declares but the install was not granted → capability.denied', async () => {
    const store = `async (input, ctx) => ctx.store.set({ key: 'k', value: 1 })`;
    expectFailure(await h.attack(store, { permissions: ['store'], grants: [] }), 'capability.denied', 'which this install was not granted');
    const http = `async (input, ctx) => ctx.http.fetch({ url: 'http://127.0.0.1:${port}/' })`;
    const manifest = { http: { hosts: [`127.0.0.1:${port}`] } };
    expectFailure(await h.attack(http, { permissions: ['http'], grants: ['store'], manifest }), 'capability.denied', 'which this install was not granted');
  });

  it('bad arguments → capability.args_invalid; arguments JSON cannot carry → plugin.error before anything is sent', async () => {
    const args = `async (input, ctx) => ctx.store.get({ key: 42, extra: true })`;
    expectFailure(await h.attack(args, { permissions: ['store'] }), 'capability.args_invalid');
    const notJson = `async (input, ctx) => { const value = {}; value.self = value; return ctx.store.set({ key: 'k', value }); }`;
    expectFailure(await h.attack(notJson, { permissions: ['store'] }), 'plugin.error', /circular/i);
  });
});

describe("20. other installs' store keys", () => {
  const actions = {
    set: '(input, ctx) => ctx.store.set({ key: input.key, value: input.value })',
    get: '(input, ctx) => ctx.store.get({ key: input.key })',
    list: '(input, ctx) => ctx.store.list({ prefix: "" })',
    remove: '(input, ctx) => ctx.store.delete({ key: input.key })',
  };

  it('install B of another tenant reads null for install A\'s key, lists only its own keys, and cannot delete A\'s', async () => {
    const a = h.install(actions, { tenantId: 'tenant-store-a', permissions: ['store'] });
    const b = h.installAgain(a, 'tenant-store-b');
    expectOutput(await h.run(a, 'set', { key: 'k', value: { card: '6222 0000 1111' } }));
    expect(expectOutput(await h.run(b, 'get', { key: 'k' }))).toEqual({ found: false, value: null });
    expect(expectOutput(await h.run(b, 'list'))).toEqual({ keys: [] });
    expect(expectOutput(await h.run(b, 'remove', { key: 'k' }))).toEqual({ deleted: false });
    expectOutput(await h.run(b, 'set', { key: 'mine', value: 1 }));
    expect(expectOutput(await h.run(b, 'list'))).toEqual({ keys: ['mine'] });
    expect(expectOutput(await h.run(a, 'list'))).toEqual({ keys: ['k'] });
    expect(expectOutput(await h.run(a, 'get', { key: 'k' }))).toEqual({ found: true, value: { card: '6222 0000 1111' } });
  });

  it("26. …nor does another install of the same tenant see them", async () => {
    const a = h.install(actions, { tenantId: 'tenant-store-c', permissions: ['store'] });
    const again = h.installAgain(a, 'tenant-store-c');
    expectOutput(await h.run(a, 'set', { key: 'shared?', value: true }));
    expect(expectOutput(await h.run(again, 'get', { key: 'shared?' }))).toEqual({ found: false, value: null });
  });
});

describe('21. http', () => {
  const fetchAction = `async (input, ctx) => { const r = await ctx.http.fetch({ url: input.url }); return { status: r.status, body: r.body, location: r.headers.location }; }`;
  const attackHttp = (url: string) =>
    h.attack(fetchAction, { permissions: ['http'], manifest: { http: { hosts: [`127.0.0.1:${port}`] } }, input: { url } });

  it('a listed loopback host works', async () => {
    expect(expectOutput(await attackHttp(`http://127.0.0.1:${port}/ping`))).toEqual({ status: 200, body: 'hello from /ping' });
  });

  it.each([
    ['another host', 'http://example.com/'],
    ['the same host on another port', 'http://127.0.0.1:1/'],
    ['localhost for 127.0.0.1', 'http://localhost:PORT/'],
    ['the listed host as a subdomain trick', 'http://127.0.0.1.nip.io:PORT/'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
  ])('%s → http.host_not_allowed, and nothing is sent', async (_name, url) => {
    const before = hits.length;
    expectFailure(await attackHttp(url.replace('PORT', String(port))), 'http.host_not_allowed', 'is not listed');
    expect(hits.length).toBe(before);
  });

  it('a redirect to an unlisted host is returned, not followed', async () => {
    expect(expectOutput(await attackHttp(`http://127.0.0.1:${port}/redirect`))).toEqual({ status: 302, body: '', location: 'http://example.com/stolen' });
  });
});

describe('23. a capability called a million times', () => {
  it('un-awaited ctx.store.get in a loop → capability.limit_exceeded at the 33rd call waiting at once', async () => {
    const flood = `(input, ctx) => { for (let i = 0; i < 1e6; i++) ctx.store.get({ key: 'k' + i }); return 'flooded'; }`;
    expectFailure(await h.attack(flood, { permissions: ['store'] }), 'capability.limit_exceeded', 'may wait on at most 32 capability calls at once');
  });

  it('999 un-awaited http.fetch calls: refused past 32 waiting, so one invocation cannot hold the host open', async () => {
    const flood = `(input, ctx) => { for (let i = 0; i < 999; i++) ctx.http.fetch({ url: 'http://127.0.0.1:9/' + i }); return 'flooded'; }`;
    const result = await h.attack(flood, { permissions: ['http'], manifest: { http: { hosts: ['127.0.0.1:9'] } } });
    expectFailure(result, 'capability.limit_exceeded', 'at most 32');
    await h.expectHostServes();
  });

  it('ctx.log.info in a loop → capability.limit_exceeded, even when the plugin swallows the refusals', async () => {
    const flood = `(input, ctx) => { for (let i = 0; i < 1e6; i++) ctx.log.info({ message: 'spam ' + i }); return 'flooded'; }`;
    expectFailure(await h.attack(flood), 'capability.limit_exceeded', 'at most 1000 capability calls');
    const swallowing = `(input, ctx) => { for (let i = 0; i < 1e6; i++) { try { ctx.log.info({ message: 'spam' }); } catch {} } return 'fine'; }`;
    expectFailure(await h.attack(swallowing), 'capability.limit_exceeded');
  });

  it('awaited calls past the limit → capability.limit_exceeded', async () => {
    const flood = `async (input, ctx) => { for (let i = 0; i < 1e6; i++) { try { await ctx.store.get({ key: 'k' }); } catch {} } return 'fine'; }`;
    expectFailure(await h.attack(flood, { permissions: ['store'], limits: { timeoutMs: 5000 } }), 'capability.limit_exceeded');
  });
});

describe('time spent in capability callbacks counts against the running call', () => {
  // isolated-vm's `timeout` (and Isolate#cpuTime) count only time inside the isolate, not in the worker's
  // Callbacks, and the worker's own watchdog cannot run while the guest loops synchronously through them:
  // the callback itself checks the running call's deadline and the call allowance, and stops the guest.
  it('23. a swallowed-refusal loop with a 5 s CPU limit ends as capability.limit_exceeded within its wall time, its worker alive', async () => {
    const before = h.runner.pids();
    const started = performance.now();
    const result = await h.attack(`(input, ctx) => { for (;;) { try { ctx.log.info({ message: 'spam' }); } catch {} } }`, { limits: { cpuMs: 5000 } });
    const elapsed = performance.now() - started;
    // Lets a kill by the pool's supervisor, if one happened, be seen before the bystanders run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectFailure(result, 'capability.limit_exceeded');
    expect(elapsed).toBeLessThan(2500);
    expect(h.runner.pids()).toEqual(before);
  });
});

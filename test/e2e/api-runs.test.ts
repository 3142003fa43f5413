// /api/v1/runs over real HTTP: bearer tokens (limited to tenants or not), listing with checked filters, a run with its
// steps, cancel and replay; on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../core/src/ids.ts';
import { dialects, startHost, type RunningHost } from '../support/host.ts';

const opsToken = 'ops-token-0123456789abcdef';
const acmeToken = 'acme-token-0123456789abcdef';
const workflow = (tenantId: string, id: string) => JSON.stringify({ id, name: id, tenantId, trigger: { event: 'message.text' }, steps: [{ id: 'pause', wait: 'P1D' }] });

describe.each(dialects)('/api/v1/runs on %s', (dialect) => {
  let host: RunningHost;
  const ids = { done: newId('run'), pending: newId('run'), beta: newId('run') };

  beforeAll(async () => {
    host = await startHost(dialect, {
      run: false,
      config: { api: { tokens: [{ id: 'ops', token: opsToken }, { id: 'acme-only', token: acmeToken, tenants: ['acme'] }] } },
    });
    const { store } = host.host;
    await store.workflows().apply('acme', 'welcome', workflow('acme', 'welcome'));
    await store.workflows().apply('beta', 'digest', workflow('beta', 'digest'));
    await store.runs().route([{ id: ids.done, tenantId: 'acme', workflowId: 'welcome', version: 1, triggerKey: 'e1', trigger: '{"data":{"n":1}}' }], []);
    const [claimed] = await store.runs().claim('test', { limit: 1, leaseMs: 60_000, now: Date.now() });
    expect(claimed!.id).toBe(ids.done);
    await store.runs().route([
      { id: ids.pending, tenantId: 'acme', workflowId: 'welcome', version: 1, triggerKey: 'e2', trigger: '{"data":{"n":2}}' },
      { id: ids.beta, tenantId: 'beta', workflowId: 'digest', version: 1, triggerKey: 'e3', trigger: '{}' },
    ], []);
    await store.runs().checkpoint('test', ids.done, {
      status: 'completed', cursor: '{}',
      steps: [{ runId: ids.done, stepPath: 'pause', attempt: 1, status: 'completed', input: '{"a":1}', output: '{"b":2}', failure: null, startedAt: 1000, finishedAt: 1250 }],
    });
    await store.workflows().apply('acme', 'welcome', workflow('acme', 'welcome').replace('P1D', 'P2D'));
  });
  afterAll(() => host?.close());

  const call = async (method: string, target: string, token?: string) => {
    const response = await fetch(host.url + target, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, auth: response.headers.get('www-authenticate'), json: (await response.json()) as any };
  };

  it('refuses a missing or unknown token', async () => {
    expect(await call('GET', '/api/v1/runs')).toMatchObject({ status: 401, auth: 'Bearer', json: { error: { code: 'api.unauthorized' } } });
    expect(await call('GET', '/api/v1/runs', 'not-a-token-of-this-host-at-all')).toMatchObject({ status: 401 });
  });

  it('lists runs newest first with filters; a token for all tenants sees all', async () => {
    const all = await call('GET', '/api/v1/runs', opsToken);
    expect(all.status).toBe(200);
    expect(all.json.runs.map((r: { id: string }) => r.id).sort()).toEqual(Object.values(ids).sort());
    const done = await call('GET', '/api/v1/runs?status=completed', opsToken);
    expect(done.json.runs).toMatchObject([{ id: ids.done, tenantId: 'acme', workflowId: 'welcome', status: 'completed', trigger: { data: { n: 1 } } }]);
    expect((await call('GET', '/api/v1/runs?tenant=beta&workflow=digest', opsToken)).json.runs.map((r: { id: string }) => r.id)).toEqual([ids.beta]);
    expect((await call('GET', '/api/v1/runs?limit=1', opsToken)).json.runs).toHaveLength(1);
    expect((await call('GET', '/api/v1/runs?since=2999-01-01', opsToken)).json.runs).toEqual([]);
  });

  it('answers a bad query with the pointer of each problem', async () => {
    const bad = async (query: string) => (await call('GET', `/api/v1/runs?${query}`, opsToken)).json.error;
    expect(await bad('status=done')).toMatchObject({ code: 'request.invalid', details: [{ pointer: '/query/status' }] });
    expect(await bad('limit=0&colour=red')).toMatchObject({ details: expect.arrayContaining([{ pointer: '/query/colour', message: 'is not an allowed key here' }, expect.objectContaining({ pointer: '/query/limit' })]) });
    expect(await bad('since=2026-02-30')).toMatchObject({ details: [{ pointer: '/query/since', message: expect.stringContaining('RFC 3339') }] });
    expect(await bad('tenant=acme&tenant=beta')).toMatchObject({ details: [{ pointer: '/query/tenant', message: 'must be given once' }] });
  });

  it('a token limited to a tenant sees only that tenant', async () => {
    expect((await call('GET', '/api/v1/runs', acmeToken)).json.error).toMatchObject({ code: 'request.invalid', details: [{ pointer: '/query/tenant' }] });
    expect(await call('GET', '/api/v1/runs?tenant=beta', acmeToken)).toMatchObject({ status: 404, json: { error: { code: 'tenant.not_found' } } });
    expect(await call('GET', '/api/v1/runs?tenant=nosuch', acmeToken)).toMatchObject({ status: 404, json: { error: { code: 'tenant.not_found' } } });
    expect((await call('GET', '/api/v1/runs?tenant=acme', acmeToken)).json.runs).toHaveLength(2);
    expect(await call('GET', `/api/v1/runs/${ids.beta}`, acmeToken)).toMatchObject({ status: 404, json: { error: { code: 'run.not_found' } } });
    expect(await call('POST', `/api/v1/runs/${ids.beta}/cancel`, acmeToken)).toMatchObject({ status: 404 });
  });

  it('shows a run with its steps, cancels a run once, and replays one against the current version', async () => {
    const shown = await call('GET', `/api/v1/runs/${ids.done}`, acmeToken);
    expect(shown.json).toMatchObject({
      run: { id: ids.done, status: 'completed' },
      steps: [{ step: 'pause', attempt: 1, status: 'completed', input: { a: 1 }, output: { b: 2 }, ms: 250 }],
    });
    expect(await call('GET', '/api/v1/runs/run_missing', opsToken)).toMatchObject({ status: 404, json: { error: { code: 'run.not_found' } } });
    expect((await call('POST', `/api/v1/runs/${ids.pending}/cancel`, opsToken)).json).toMatchObject({ run: { status: 'cancelled' }, cancelled: true });
    expect((await call('POST', `/api/v1/runs/${ids.pending}/cancel`, opsToken)).json).toMatchObject({ cancelled: false });
    expect((await call('POST', `/api/v1/runs/${ids.done}/cancel`, opsToken)).json).toMatchObject({ run: { status: 'completed' }, cancelled: false });
    const replay = await call('POST', `/api/v1/runs/${ids.done}/replay`, acmeToken);
    expect(replay).toMatchObject({ status: 201, json: { replayOf: ids.done, version: 2, id: expect.stringMatching(/^run_/) } });
    expect(await host.host.store.runs().get(replay.json.id)).toMatchObject({ status: 'pending', version: 2, trigger: '{"data":{"n":1}}', triggerKey: `replay:${replay.json.id}` });
  });
});

// /api/v1/runs: run history over HTTP, for callers with a bearer token from the host config. JSON in and out; every
// error is `{ error: { code, message, details } }` with the JSON pointer of what was wrong.
import { Hono, type Context } from 'hono';
import type { ApiToken } from '../config/types.ts';
import { cancelRun, getRun, parseTimeFilter, replayRun, runJson, stepJson } from '../engine/run/history.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { Logger } from '../ops/logger.ts';
import { schemaCheck } from '../schema/validator.ts';
import type { RunQuery, RunStatus, Store, StoredRun } from '../store/types.ts';
import { createAuthenticator, requireTenant, type Caller } from './auth.ts';

interface RunsQuery {
  tenant?: string;
  workflow?: string;
  status?: RunStatus;
  since?: string;
  until?: string;
  limit?: string;
}

const checkQuery = schemaCheck<RunsQuery>('api/runs-query.schema.json');

export function runsRoutes(deps: { store: Store; tokens: readonly ApiToken[]; logger: Pick<Logger, 'error'> }): Hono<{ Variables: { caller: Caller } }> {
  const routes = new Hono<{ Variables: { caller: Caller } }>();
  const authenticate = createAuthenticator(deps.tokens);
  const { store } = deps;

  routes.use('/api/v1/*', async (c, next) => {
    c.set('caller', authenticate(c.req.header('authorization')));
    await next();
  });

  routes.get('/api/v1/runs', async (c) => {
    const query = runQuery(c.req.queries(), c.get('caller'));
    const runs = await store.runs().list(query);
    return c.json({ runs: runs.map(runJson) });
  });

  /** The run, if the caller may see its tenant; another tenant's run is as good as missing. */
  const visibleRun = async (c: Context<{ Variables: { caller: Caller } }>): Promise<StoredRun> => {
    const run = await getRun(store, c.req.param('runId')!);
    const { tenants } = c.get('caller');
    if (tenants && !tenants.has(run.tenantId)) throw new LianjieError('run.not_found', `no run ${run.id}`);
    return run;
  };

  routes.get('/api/v1/runs/:runId', async (c) => {
    const run = await visibleRun(c);
    return c.json({ run: runJson(run), steps: (await store.runs().steps(run.id)).map(stepJson) });
  });

  routes.post('/api/v1/runs/:runId/cancel', async (c) => {
    const { run, cancelled } = await cancelRun(store, await visibleRun(c));
    return c.json({ run: runJson(run), cancelled });
  });

  routes.post('/api/v1/runs/:runId/replay', async (c) => {
    const run = await visibleRun(c);
    const replay = await replayRun(store, run);
    return c.json({ replayOf: run.id, ...replay }, 201);
  });

  routes.onError((error, c) => {
    const known = isLianjieError(error) ? error : new LianjieError('internal', 'unexpected failure', [], { cause: error });
    if (!isLianjieError(error)) deps.logger.error({ err: error }, 'api handler failed');
    const headers: Record<string, string> = known.code === 'api.unauthorized' ? { 'www-authenticate': 'Bearer' } : {};
    return c.json(known.toJSON(), known.status as 400, headers);
  });
  return routes;
}

/** The query string checked against schemas/api/runs-query.schema.json, then as a RunQuery the caller may ask. */
function runQuery(raw: Record<string, string[]>, caller: Caller): RunQuery {
  const repeated = Object.entries(raw).filter(([, values]) => values.length > 1);
  if (repeated.length > 0) throw invalid(repeated.map(([name]) => ({ pointer: `/query/${name}`, message: 'must be given once' })));
  const query = Object.fromEntries(Object.entries(raw).map(([name, values]) => [name, values[0]!]));
  if (!checkQuery(query)) throw invalid(checkQuery.details().map((d) => ({ pointer: `/query${d.pointer === '/' ? '' : d.pointer}`, message: d.message })));
  const times = { since: query.since, until: query.until };
  const parsed: Partial<Record<keyof typeof times, number>> = {};
  for (const [name, value] of Object.entries(times) as [keyof typeof times, string | undefined][]) {
    if (value === undefined) continue;
    const ms = parseTimeFilter(value);
    if (ms === undefined) throw invalid([{ pointer: `/query/${name}`, message: 'must be an RFC 3339 time or a date such as 2026-11-01' }]);
    parsed[name] = ms;
  }
  if (query.tenant !== undefined) requireTenant(caller, query.tenant);
  else if (caller.tenants) {
    throw invalid([{ pointer: '/query/tenant', message: `is required: token ${caller.tokenId} may see only ${[...caller.tenants].join(', ')}` }]);
  }
  return {
    tenantId: query.tenant, workflowId: query.workflow, status: query.status as RunStatus | undefined, ...parsed,
    limit: query.limit === undefined ? 100 : Number(query.limit),
  };
}

function invalid(details: { pointer: string; message: string }[]): LianjieError {
  return new LianjieError('request.invalid', `invalid query: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, details);
}

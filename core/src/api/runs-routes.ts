// /api/v1/runs: run history over HTTP. A platform token sees every tenant's runs; a tenant token its own tenant's,
// and another tenant's run answers 404 as a missing one does.
import { cancelRun, getRun, parseTimeFilter, replayRun, runJson, stepJson } from '../engine/run/history.ts';
import { LianjieError } from '../errors.ts';
import type { RunQuery, RunStatus, Store, StoredRun } from '../store/types.ts';
import type { Caller } from './auth.ts';
import type { ApiRequest, RouteSpec } from './define-route.ts';

export function runsRoutes(store: Store): RouteSpec[] {
  /** The run, if the caller may see its tenant; another tenant's run is as good as missing. */
  const visibleRun = async ({ caller, params }: ApiRequest): Promise<StoredRun> => {
    const run = await getRun(store, params.runId!);
    if (caller.tenants && !caller.tenants.has(run.tenantId)) throw new LianjieError('run.not_found', `no run ${run.id}`);
    return run;
  };
  const roles = ['platform', 'tenant'] as const;
  return [
    {
      method: 'get', path: '/api/v1/runs', tag: 'runs', roles, summary: 'Runs, newest first, filtered by tenant, workflow, status and time',
      query: 'api/runs-query.schema.json', response: 'api/runs-list.schema.json',
      handler: async ({ caller, query }) => ({ runs: (await store.runs().list(runQuery(query, caller))).map(runJson) }),
    },
    {
      method: 'get', path: '/api/v1/runs/:runId', tag: 'runs', roles, summary: 'A run and every attempt of its steps',
      response: 'api/run-detail.schema.json',
      handler: async (request) => {
        const run = await visibleRun(request);
        return { run: runJson(run), steps: (await store.runs().steps(run.id)).map(stepJson) };
      },
    },
    {
      method: 'post', path: '/api/v1/runs/:runId/cancel', tag: 'runs', roles, summary: 'Ends a run that has not finished',
      response: 'api/run-cancelled.schema.json',
      handler: async (request) => {
        const { run, cancelled } = await cancelRun(store, await visibleRun(request));
        return { run: runJson(run), cancelled };
      },
    },
    {
      method: 'post', path: '/api/v1/runs/:runId/replay', tag: 'runs', roles, status: 201, summary: "Starts a new run of the run's trigger on the workflow's current version",
      response: 'api/run-replayed.schema.json',
      handler: async (request) => {
        const run = await visibleRun(request);
        return { replayOf: run.id, ...(await replayRun(store, run)) };
      },
    },
  ];
}

/** The checked query as a RunQuery the caller may ask. */
function runQuery(query: Record<string, string>, caller: Caller): RunQuery {
  const parsed: { since?: number; until?: number } = {};
  for (const name of ['since', 'until'] as const) {
    const value = query[name];
    if (value === undefined) continue;
    const ms = parseTimeFilter(value);
    if (ms === undefined) throw invalid(`/query/${name}`, 'must be an RFC 3339 time or a date such as 2026-11-01');
    parsed[name] = ms;
  }
  const tenant = query.tenant;
  // Another tenant is as good as missing: the answer says nothing about whether it exists.
  if (tenant !== undefined && caller.tenants && !caller.tenants.has(tenant)) throw new LianjieError('tenant.not_found', `no tenant "${tenant}"`);
  if (tenant === undefined && caller.tenants) throw invalid('/query/tenant', `is required: token ${caller.tokenId} may see only ${[...caller.tenants].join(', ') || 'no tenant'}`);
  return {
    tenantId: tenant, workflowId: query.workflow, status: query.status as RunStatus | undefined, ...parsed,
    limit: query.limit === undefined ? 100 : Number(query.limit),
  };
}

function invalid(pointer: string, message: string): LianjieError {
  return new LianjieError('request.invalid', `invalid query: ${pointer} ${message}`, [{ pointer, message }]);
}

// The admin API's one way to declare a route: who may call it (roles, and the tenant it belongs to), the JSON Schemas
// of its query, body and answer (files under schemas/api/), and its handler. The same declarations mount the routes
// on Hono, check every request, and are the OpenAPI document (openapi.ts), so the document cannot drift.
import type { Context, Hono } from 'hono';
import { LianjieError, type ErrorDetail } from '../errors.ts';
import { readBodyText } from '../ingress/read-body.ts';
import { schemaCheck } from '../schema/validator.ts';
import type { ApiRole } from '../store/types.ts';
import type { Caller } from './auth.ts';

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono's form: /api/v1/tenants/:tenantId */
  path: string;
  summary: string;
  /** OpenAPI tag: the area of the API. */
  tag: string;
  /** Roles that may call it; others get api.forbidden. */
  roles: readonly ApiRole[];
  /**
   * The path parameter naming the tenant the route acts on. A tenant admin of another tenant gets the route's
   * not-found answer, never a hint that the tenant exists.
   */
  tenantParam?: string;
  /** Schema files under schemas/ (e.g. 'api/runs-query.schema.json'). */
  query?: string;
  body?: string;
  response: string;
  /** Success status (default 200). */
  status?: 200 | 201;
  /** The largest body the route reads, in bytes (default 1 MiB); a larger one is refused before it is read. */
  maxBodyBytes?: number;
  handler(request: ApiRequest): Promise<unknown>;
}

export interface ApiRequest {
  caller: Caller;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

type Env = { Variables: { caller: Caller } };

/** Mounts `routes` on `app` behind `authenticate`, with checks in the order a caller can act on: who, then what. */
export function mountRoutes(app: Hono<Env>, routes: readonly RouteSpec[], authenticate: (c: Context<Env>) => Promise<Caller>): void {
  for (const route of routes) {
    const checkQuery = route.query ? schemaCheck<Record<string, string>>(route.query) : undefined;
    const checkBody = route.body ? schemaCheck<unknown>(route.body) : undefined;
    app[route.method](route.path, async (c) => {
      const caller = await authenticate(c);
      if (!route.roles.includes(caller.role)) {
        throw new LianjieError('api.forbidden', `${route.method.toUpperCase()} ${route.path} is for ${route.roles.join(' or ')} tokens; token ${caller.tokenId} is a ${caller.role} token`);
      }
      const params = c.req.param() as Record<string, string>;
      if (route.tenantParam) requireTenantOrMissing(caller, params[route.tenantParam]!);
      const query = singleQuery(c.req.queries());
      if (checkQuery && !checkQuery(query)) throw invalid('query', checkQuery.details());
      let body: unknown;
      if (checkBody) {
        const text = await readBodyText(c, route.maxBodyBytes ?? 1_048_576);
        try {
          body = JSON.parse(text);
        } catch {
          throw new LianjieError('request.invalid', 'the body is not JSON', [{ pointer: '/body', message: 'must be a JSON document' }]);
        }
        if (!checkBody(body)) throw invalid('body', checkBody.details());
      }
      const answer = await route.handler({ caller, params, query, body });
      return c.json(answer as object, route.status ?? 200);
    });
  }
}

/** A tenant admin asking about another tenant is told it does not exist: cross-tenant reads leak nothing. */
export function requireTenantOrMissing(caller: Caller, tenantId: string): void {
  if (caller.tenants && !caller.tenants.has(tenantId)) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
}

function singleQuery(raw: Record<string, string[]>): Record<string, string> {
  const repeated = Object.entries(raw).filter(([, values]) => values.length > 1);
  if (repeated.length > 0) throw invalid('query', repeated.map(([name]) => ({ pointer: `/${name}`, message: 'must be given once' })));
  return Object.fromEntries(Object.entries(raw).map(([name, values]) => [name, values[0]!]));
}

function invalid(where: 'query' | 'body', details: ErrorDetail[]): LianjieError {
  const placed = details.map((d) => ({ pointer: `/${where}${d.pointer === '/' ? '' : d.pointer}`, message: d.message }));
  return new LianjieError('request.invalid', `invalid ${where}: ${placed.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, placed);
}

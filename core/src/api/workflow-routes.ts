// /api/v1/tenants/:tenantId/workflows: workflows saved over HTTP, checked exactly as `lianjie workflow apply` checks
// them (schema, the tenant's installs, expressions), each save the workflow's next version.
import type { Catalog } from '../catalog/catalog.ts';
import { validateWorkflow } from '../engine/workflow/validate.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { Store } from '../store/types.ts';
import type { RouteSpec } from './define-route.ts';

export function workflowRoutes(deps: () => { store: Store; catalog: Catalog }): RouteSpec[] {
  const roles = ['platform', 'tenant'] as const;
  const tenantParam = 'tenantId';
  async function requireTenant(tenantId: string) {
    const snapshot = await deps().catalog.refresh();
    if (!snapshot.tenants.has(tenantId)) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
    return snapshot;
  }
  return [
    {
      method: 'put', path: '/api/v1/tenants/:tenantId/workflows/:workflowId', tag: 'workflows', roles, tenantParam,
      summary: 'Saves a workflow as its next version, checked against the tenant\'s installs', body: 'api/workflow-put.schema.json',
      response: 'api/workflow-applied.schema.json', maxBodyBytes: 512 * 1024,
      handler: async ({ params, body }) => {
        const tenantId = params.tenantId!;
        const workflowId = params.workflowId!;
        const snapshot = await requireTenant(tenantId);
        const given = body as Record<string, unknown>;
        const mismatch = [
          ...(given.id !== workflowId ? [{ pointer: '/body/id', message: `must be "${workflowId}", the id in the path` }] : []),
          ...(given.tenantId !== tenantId ? [{ pointer: '/body/tenantId', message: `must be "${tenantId}", the tenant in the path` }] : []),
        ];
        if (mismatch.length > 0) throw new LianjieError('workflow.invalid', 'the workflow names another id or tenant than its address', mismatch);
        try {
          validateWorkflow(given, snapshot.installs, { tenants: [tenantId] });
        } catch (error) {
          if (!isLianjieError(error)) throw error;
          throw new LianjieError(error.code, error.message, error.details.map((d) => ({ pointer: `/body${d.pointer}`, message: d.message })));
        }
        const { version, created } = await deps().store.workflows().apply(tenantId, workflowId, JSON.stringify(given, null, 2));
        return { tenantId, workflowId, version, created };
      },
    },
    {
      method: 'get', path: '/api/v1/tenants/:tenantId/workflows', tag: 'workflows', roles, tenantParam,
      summary: 'The latest version of each of the tenant\'s workflows', response: 'api/workflow-list.schema.json',
      handler: async ({ params }) => {
        await requireTenant(params.tenantId!);
        const latest = await deps().store.workflows().listLatest(params.tenantId!);
        return {
          workflows: latest.map((w) => {
            const definition = JSON.parse(w.definition) as { enabled?: unknown; name?: unknown };
            return { workflowId: w.workflowId, version: w.version, enabled: definition.enabled !== false, name: typeof definition.name === 'string' ? definition.name : null, createdAt: w.createdAt };
          }),
        };
      },
    },
  ];
}

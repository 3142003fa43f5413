// Which WeCom credentials a plugin's `wecom` calls use. A suite-authorised tenant acts through the suite, with its
// permanent code and the suite's newest ticket; any other through an app of its own: the install's `wecomApp`, else the
// tenant's only app with a secret. Worked out once per install and catalog snapshot.
import type { CatalogSnapshot } from '../catalog/types.ts';
import type { CallScope } from '../capabilities/types.ts';
import type { TenantWecom } from '../capabilities/wecom.ts';
import { defaultContactQuota } from './contact-quota.ts';

export interface WecomAccessOptions {
  catalog: () => CatalogSnapshot;
  /** The newest suite_ticket WeCom pushed for a suite (opened); throws when none arrived yet. */
  suiteTicket(suiteId: string): Promise<string>;
}

export function wecomAccessFrom(options: WecomAccessOptions): (scope: CallScope) => TenantWecom | undefined {
  const cache = new WeakMap<CatalogSnapshot, Map<string, TenantWecom | undefined>>();
  return (scope) => {
    const snapshot = options.catalog();
    let known = cache.get(snapshot);
    if (!known) cache.set(snapshot, (known = new Map()));
    const key = `${scope.tenantId}/${scope.installId}`;
    if (known.has(key)) return known.get(key);
    const access = accessOf(snapshot, scope, options);
    known.set(key, access);
    return access;
  };
}

function accessOf(snapshot: CatalogSnapshot, scope: CallScope, options: WecomAccessOptions): TenantWecom | undefined {
  const tenant = snapshot.tenants.get(scope.tenantId);
  if (!tenant || tenant.status !== 'active') return undefined;
  const common = { timezone: tenant.timezone, quota: tenant.contactQuota ?? defaultContactQuota };
  if (tenant.suite) {
    const { suiteId, permanentCode, agentId } = tenant.suite;
    const suite = snapshot.suites.find((s) => s.id === suiteId);
    if (!suite?.secret) return undefined;
    return {
      credentials: {
        kind: 'suite-corp', corpId: tenant.corpId, permanentCode,
        suite: { suiteId, suiteSecret: suite.secret, ticket: () => options.suiteTicket(suiteId) },
      },
      ...(agentId !== undefined ? { agentId } : {}),
      ...common,
    };
  }
  const named = snapshot.installs.find((i) => i.id === scope.installId && i.tenantId === scope.tenantId)?.wecomApp;
  const withSecret = tenant.apps.filter((a) => a.secret);
  const app = named ? withSecret.find((a) => a.id === named) : withSecret.length === 1 ? withSecret[0] : undefined;
  if (!app?.secret) return undefined;
  return {
    credentials: { kind: 'corp', corpId: tenant.corpId, secret: app.secret },
    ...(app.agentId !== undefined ? { agentId: app.agentId } : {}),
    ...common,
  };
}

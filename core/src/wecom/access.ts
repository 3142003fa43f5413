// Which WeCom credentials a plugin's `wecom` calls use: the install's `wecomApp`, else its tenant's only app with a
// secret. Worked out from the host config once per install; suite-authorised tenants are not wired here yet.
import type { CallScope } from '../capabilities/types.ts';
import type { TenantWecom } from '../capabilities/wecom.ts';
import type { HostConfig } from '../config/types.ts';
import { defaultContactQuota } from './contact-quota.ts';

export function wecomAccessFrom(config: Pick<HostConfig, 'tenants' | 'installs'>): (scope: CallScope) => TenantWecom | undefined {
  const cache = new Map<string, TenantWecom | undefined>();
  return (scope) => {
    const key = `${scope.tenantId}/${scope.installId}`;
    if (cache.has(key)) return cache.get(key);
    const tenant = config.tenants.find((t) => t.id === scope.tenantId);
    const named = config.installs.find((i) => i.id === scope.installId && i.tenant === scope.tenantId)?.wecomApp;
    const withSecret = tenant?.apps.filter((a) => a.secret) ?? [];
    const app = named ? withSecret.find((a) => a.id === named) : withSecret.length === 1 ? withSecret[0] : undefined;
    const access = tenant && app?.secret
      ? {
          credentials: { kind: 'corp' as const, corpId: tenant.corpId, secret: app.secret },
          ...(app.agentId !== undefined ? { agentId: app.agentId } : {}),
          timezone: tenant.timezone,
          quota: tenant.contactQuota ?? defaultContactQuota,
        }
      : undefined;
    cache.set(key, access);
    return access;
  };
}

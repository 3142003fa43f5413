// Which token, AES key and receive id belong to each callback URL; keys are parsed once, not per request.
import type { AppConfig, SuiteConfig, TenantConfig } from '../config/types.ts';
import { parseAesKey, type AesKey } from '../wecom/crypto.ts';

export interface CallbackTarget {
  route: 'app' | 'suite';
  token: string;
  aes: AesKey;
  /** Receive ids the decrypted plaintext may carry for this URL. */
  receiveIds: readonly string[];
  tenant?: TenantConfig;
  app?: AppConfig;
  suite?: SuiteConfig;
}

export interface Directory {
  app(tenantId: string, appId: string): CallbackTarget | undefined;
  suite(suiteId: string): CallbackTarget | undefined;
  hasTenant(tenantId: string): boolean;
  /** The tenant whose corp authorised a suite (suite events carry its AuthCorpId). */
  tenantByCorpId(corpId: string): TenantConfig | undefined;
}

/** The callback targets of these tenants (active ones only: a disabled tenant's callbacks are refused) and suites. */
export function createDirectory(config: { tenants: readonly TenantConfig[]; suites: readonly SuiteConfig[] }): Directory {
  const apps = new Map<string, CallbackTarget>();
  const tenants = new Map<string, TenantConfig>();
  const byCorp = new Map<string, TenantConfig>();
  for (const tenant of config.tenants) {
    tenants.set(tenant.id, tenant);
    byCorp.set(tenant.corpId, tenant);
    for (const app of tenant.apps) {
      apps.set(`${tenant.id}/${app.id}`, {
        route: 'app', token: app.token, aes: parseAesKey(app.encodingAesKey), receiveIds: [tenant.corpId], tenant, app,
      });
    }
  }
  const suites = new Map<string, CallbackTarget>();
  // A suite's command callbacks are encrypted to its SuiteID; data callbacks to the authorising corp's CorpID,
  // and some URL verifications to the provider's own CorpID (REFERENCE.md §1.6).
  const corpIds = config.tenants.map((tenant) => tenant.corpId);
  for (const suite of config.suites) {
    const receiveIds = [suite.id, ...(suite.providerCorpId ? [suite.providerCorpId] : []), ...corpIds];
    suites.set(suite.id, { route: 'suite', token: suite.token, aes: parseAesKey(suite.encodingAesKey), receiveIds, suite });
  }
  return {
    app: (tenantId, appId) => apps.get(`${tenantId}/${appId}`),
    suite: (suiteId) => suites.get(suiteId),
    hasTenant: (tenantId) => tenants.has(tenantId),
    tenantByCorpId: (corpId) => byCorp.get(corpId),
  };
}

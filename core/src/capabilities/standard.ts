// The registry of the capabilities this host offers plugins, wired to its store, logger, WeCom and metrics.
import type { HostConfig } from '../config/types.ts';
import type { Logger } from '../ops/logger.ts';
import type { HostMetrics } from '../ops/metrics.ts';
import type { Store } from '../store/types.ts';
import { wecomAccessFrom, type WecomAccessOptions } from '../wecom/access.ts';
import { createWecomClient, type WecomClient } from '../wecom/api/client.ts';
import { createHttpCapability } from './http.ts';
import { createLogCapability } from './log.ts';
import { createCapabilityRegistry, type CapabilityRegistry } from './registry.ts';
import { createStoreCapability } from './store.ts';
import { createWecomCapability } from './wecom.ts';

export interface StandardCapabilityOptions {
  /** Where `wecom` reaches WeCom. */
  wecom: HostConfig['wecom'];
  /** The host's WeCom client, so that its token caches are shared (default: one of the capability's own). */
  client?: WecomClient;
  /** Which credentials each tenant's installs use. */
  access: WecomAccessOptions;
  metrics?: Pick<HostMetrics, 'quotaRefused'>;
}

export function createStandardCapabilities(store: Store, logger: Logger, options: StandardCapabilityOptions): CapabilityRegistry {
  const wecom = createWecomCapability({
    client: options.client ?? createWecomClient({ baseUrl: options.wecom.baseUrl }),
    access: wecomAccessFrom(options.access),
    effects: store.effects(),
    contactSends: store.contactSends(),
    onQuotaRefused: (tenantId, window) => options.metrics?.quotaRefused.inc({ tenant: tenantId, window }),
  });
  return createCapabilityRegistry(
    [createLogCapability(logger), createStoreCapability(store.pluginKv()), createHttpCapability({ effects: store.effects() }), wecom],
    { logger },
  );
}

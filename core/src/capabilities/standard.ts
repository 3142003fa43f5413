// The registry of the capabilities this host offers plugins, wired to its store and logger.
import type { Logger } from '../ops/logger.ts';
import type { Store } from '../store/types.ts';
import { createHttpCapability } from './http.ts';
import { createLogCapability } from './log.ts';
import { createCapabilityRegistry, type CapabilityRegistry } from './registry.ts';
import { createStoreCapability } from './store.ts';

export function createStandardCapabilities(store: Store, logger: Logger): CapabilityRegistry {
  return createCapabilityRegistry([createLogCapability(logger), createStoreCapability(store.pluginKv()), createHttpCapability({ effects: store.effects() })], { logger });
}

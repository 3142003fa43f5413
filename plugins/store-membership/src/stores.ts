// The install's stores, and WeCom's errcodes as the host reports them. A wecom method the install was not granted is
// still on ctx.wecom: the host's method rejects with capability.denied, naming the permission (reading ctx.wecom with
// no wecom permission granted at all fails capability.denied too), so the actions call ctx.wecom directly.
import type { Config, Store } from './plugin-types.ts';

/** A failure the plugin reports: `plugin.<code>`. */
export function refuse(code: string, message: string, retryable = false): never {
  throw { code, message, retryable };
}

/** The store's settings; a store not in the config fails plugin.unknown_store. */
export function storeOf(config: Config, storeId: string): Store {
  const stores = config.stores ?? {};
  const store = Object.hasOwn(stores, storeId) ? stores[storeId] : undefined;
  if (!store) refuse('unknown_store', `store "${storeId}" is not in this install's stores`);
  return store;
}

interface HostFailure {
  code: string;
  message: string;
}

/**
 * Whether `error` is the host's wecom.api_error for one of these WeCom errcodes. The host maps the errcodes it knows
 * to their own codes and reports the others as wecom.api_error, with "errcode N" in the message.
 */
export function isWecomError(error: unknown, errcodes: number[]): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as HostFailure;
  if (code !== 'wecom.api_error' || typeof message !== 'string') return false;
  const match = /errcode (-?[0-9]+)/.exec(message);
  return match !== null && errcodes.includes(Number(match[1]));
}

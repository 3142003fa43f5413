// Metering: what each install uses per month, in the terms WeCom itself prices by (REFERENCE.md §5): invocations and
// CPU, WeCom API calls, effects, and the distinct staff accounts and external contacts its calls named (the analogue
// of basic and interworking accounts). Counted in memory and written once a second in one transaction, so a busy
// host adds one write a second rather than one per call; a process killed outright loses at most that second.
import type { CapabilityRegistry } from '../capabilities/registry.ts';
import type { CallScope } from '../capabilities/types.ts';
import type { Logger } from '../ops/logger.ts';
import type { Result } from '../../../sdk/src/sandbox/result.ts';
import type { UsageDelta, UsageStore } from '../store/types.ts';
import { wecomEffectMethods } from '../../../sdk/src/capabilities/wecom-permissions.ts';

/** Argument names of `wecom` methods that name staff accounts (userid) and external contacts (external_userid). */
const staffKeys = ['userId', 'sender', 'userIds', 'ownerUserIds', 'toUserIds'];
const contactKeys = ['externalUserId', 'externalUserIds'];
const readOnlyHttp = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface MeterOptions {
  usage: UsageStore;
  /** A tenant's timezone: its month is the billing month. */
  timezone(tenantId: string): string;
  logger: Pick<Logger, 'error'>;
  flushMs?: number;
  now?: () => number;
}

export interface Meter {
  /** One invocation of a plugin handler ran in the sandbox. */
  invocation(scope: CallScope, cpuMs: number): void;
  /** A capability call a plugin made, and its result. */
  capabilityCall(scope: CallScope, capability: string, method: string, args: unknown, result: Result): void;
  /** Writes what is counted so far. */
  flush(): Promise<void>;
  start(): void;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

export function createMeter(options: MeterOptions): Meter {
  const now = options.now ?? Date.now;
  let pending = new Map<string, UsageDelta & { staffSet: Set<string>; contactSet: Set<string> }>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  /** Each timezone's month, worked out once a minute: formatting a date costs more than the rest of the count. */
  const months = new Map<string, { format: Intl.DateTimeFormat; minute: number; month: string }>();

  function monthOf(tenantId: string): string {
    const timezone = options.timezone(tenantId);
    const at = now();
    const minute = Math.floor(at / 60_000);
    let known = months.get(timezone);
    if (!known) months.set(timezone, (known = { format: new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }), minute: -1, month: '' }));
    if (known.minute !== minute) {
      const parts = known.format.formatToParts(at);
      known.month = `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
      known.minute = minute;
    }
    return known.month;
  }

  function entry(scope: Pick<CallScope, 'tenantId' | 'pluginId' | 'installId'>, month = monthOf(scope.tenantId)) {
    const key = `${scope.tenantId}\n${scope.pluginId}\n${scope.installId}\n${month}`;
    let delta = pending.get(key);
    if (!delta) {
      delta = {
        tenantId: scope.tenantId, pluginId: scope.pluginId, installId: scope.installId, month,
        invocations: 0, cpuMs: 0, wecomCalls: 0, effects: 0, staff: [], contacts: [], staffSet: new Set(), contactSet: new Set(),
      };
      pending.set(key, delta);
    }
    return delta;
  }

  async function flush(): Promise<void> {
    if (pending.size === 0) return writing;
    const batch = [...pending.values()].map(({ staffSet, contactSet, ...delta }) => ({ ...delta, staff: [...staffSet], contacts: [...contactSet] }));
    pending = new Map();
    writing = writing.then(() => options.usage.record(batch)).catch((error: unknown) => {
      options.logger.error({ err: error, rows: batch.length }, 'usage could not be written; it is counted again with the next write');
      // Put back, so a database hiccup loses nothing.
      for (const delta of batch) {
        const again = entry(delta, delta.month);
        again.invocations += delta.invocations;
        again.cpuMs += delta.cpuMs;
        again.wecomCalls += delta.wecomCalls;
        again.effects += delta.effects;
        for (const id of delta.staff) again.staffSet.add(id);
        for (const id of delta.contacts) again.contactSet.add(id);
      }
    });
    return writing;
  }

  return {
    invocation(scope, cpuMs) {
      const delta = entry(scope);
      delta.invocations += 1;
      delta.cpuMs += cpuMs;
    },
    capabilityCall(scope, capability, method, args, result) {
      if (capability === 'wecom') {
        if (!result.ok && refusedBeforeWecom.has(result.failure.code)) return;
        const delta = entry(scope);
        delta.wecomCalls += 1;
        if (result.ok && wecomEffectMethods.has(method as never)) delta.effects += 1;
        for (const id of idsAt(args, staffKeys)) delta.staffSet.add(id);
        for (const id of idsAt(args, contactKeys)) delta.contactSet.add(id);
      } else if (capability === 'http' && result.ok && !readOnlyHttp.has(String((args as { method?: unknown } | null)?.method ?? 'GET').toUpperCase())) {
        entry(scope).effects += 1;
      }
    },
    flush,
    start() {
      if (timer) return;
      const tick = () => {
        timer = setTimeout(() => void flush().finally(() => timer && tick()), options.flushMs ?? 1000);
        timer.unref();
      };
      tick();
    },
    async close() {
      clearTimeout(timer);
      timer = undefined;
      await flush();
    },
  };
}

/** The string ids under `keys` of an argument object, whether one id or a list of them. */
function idsAt(args: unknown, keys: readonly string[]): string[] {
  if (args === null || typeof args !== 'object') return [];
  const ids: string[] = [];
  for (const key of keys) {
    const value = (args as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') ids.push(value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string' && item !== '') ids.push(item);
  }
  return ids;
}

/** Refusals at the host's door: the call never reached WeCom or the network, so it is not usage. */
const refusedAtDoor = new Set(['capability.denied', 'capability.args_invalid']);
/** `wecom` failures decided by the host before any request to WeCom. */
const refusedBeforeWecom = new Set(['wecom.not_configured', 'wecom.suite_ticket_missing', 'quota.exceeded', 'capability.failed']);

/** The registry with every call that passed its grant and argument checks counted. */
export function meteredCapabilities(registry: CapabilityRegistry, meter: Pick<Meter, 'capabilityCall'>): CapabilityRegistry {
  return {
    ...registry,
    async call(scope, grants, capability, method, args) {
      const result = await registry.call(scope, grants, capability, method, args);
      if (result.ok || !refusedAtDoor.has(result.failure.code)) meter.capabilityCall(scope, capability, method, args, result);
      return result;
    },
  };
}

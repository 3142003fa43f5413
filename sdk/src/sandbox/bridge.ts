// The host's half of the bridge and the only door into an isolate: JSON strings in and out, and
// nothing of isolated-vm ever handed to guest code except two Callbacks that take and return strings.
import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';

const guestSource = readFileSync(new URL('../runtime/guest-bridge.js', import.meta.url), 'utf8');
const guestCache: { data?: ivm.ExternalCopy<ArrayBuffer> } = {};

/** What guest code may ask of the host, synchronously, while it runs inside one of the calls below. */
export interface GuestRequests {
  /** A capability call; answers `{"callId":…}` (the result follows through `resolve`) or `{"refused":{…}}`. */
  call(requestJson: string): string;
  /** An asynchronous handler finished: its encoded result. */
  settle(invocationId: string, resultJson: string): void;
}

export interface Bridge {
  /** Starts an invocation; the encoded result, or null when it continues asynchronously. */
  dispatch(requestJson: string, inputJson: string, timeoutMs: number): string | null;
  /** Delivers a capability result; the handler's continuations run inside this call. */
  resolve(callId: string, resultJson: string, timeoutMs: number): void;
  /** The handler ids the plugin registered: `{ registered, actions, triggers, migrations }`. */
  describe(timeoutMs: number): string;
}

/**
 * Strips a fresh context down to plain ECMAScript and installs the guest half of the bridge.
 * Must run before any plugin code, so the guest half captures the intrinsics unpatched.
 */
export function openBridge(isolate: ivm.Isolate, context: ivm.Context, requests: GuestRequests, timeoutMs: number): Bridge {
  context.evalSync('delete globalThis.WebAssembly; delete globalThis.SharedArrayBuffer; delete globalThis.Atomics;', { timeout: timeoutMs });
  const script = compileBundle(isolate, guestSource, 'lianjie:guest-bridge.js', guestCache);
  const factory = script.runSync(context, { reference: true, timeout: timeoutMs }) as ivm.Reference<(...args: unknown[]) => unknown>;
  script.release();
  const api = factory.applySync(
    undefined,
    [new ivm.Callback((json: string) => requests.call(json)), new ivm.Callback((id: string, json: string) => requests.settle(id, json))],
    { result: { reference: true }, timeout: timeoutMs },
  ) as ivm.Reference<Record<string, unknown>>;
  factory.release();
  const dispatch = api.getSync('dispatch', { reference: true }) as ivm.Reference<(json: string, input: string) => string | null>;
  const resolve = api.getSync('resolve', { reference: true }) as ivm.Reference<(id: string, json: string) => void>;
  const describe = api.getSync('describe', { reference: true }) as ivm.Reference<() => string>;
  api.release();
  return {
    // Guest functions return strings or null, which copy as primitives: no `copy` of guest objects,
    // whose getters could run outside the time limit.
    dispatch: (json, input, timeout) => dispatch.applySync(undefined, [json, input], { timeout }) as string | null,
    resolve: (id, json, timeout) => {
      resolve.applySync(undefined, [id, json], { timeout });
    },
    describe: (timeout) => describe.applySync(undefined, [], { timeout }) as string,
  };
}

type CompiledScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

/** Compiles a plugin bundle, with V8's code cache when this process produced one for the same bytes. */
export function compileBundle(isolate: ivm.Isolate, code: string, name: string, cache: { data?: ivm.ExternalCopy<ArrayBuffer> }): ivm.Script {
  if (cache.data) {
    const script = isolate.compileScriptSync(code, { filename: name, cachedData: cache.data }) as CompiledScript;
    if (!script.cachedDataRejected) return script;
    script.release();
  }
  const script = isolate.compileScriptSync(code, { filename: name, produceCachedData: true }) as CompiledScript;
  if (script.cachedData) cache.data = script.cachedData;
  return script;
}

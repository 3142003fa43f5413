// One install's isolate: created with its memory limit, stripped and bridged, then its bundle evaluated once.
import ivm from 'isolated-vm';
import { compileBundle, openBridge, type Bridge, type GuestRequests } from './bridge.ts';

export interface BundleSource {
  code: string;
  sha256: string;
  name: string;
  /** V8's code cache for this bundle, produced by this process on the first compile. */
  cache: { data?: ivm.ExternalCopy<ArrayBuffer> };
}

/** An isolate with its bridge open and no plugin in it yet: what a cold start can take ready-made. */
export interface BareIsolate {
  readonly memoryMb: number;
  isolate: ivm.Isolate;
  context: ivm.Context;
  bridge: Bridge;
}

export interface PluginIsolate {
  bridge: Bridge;
  /** CPU time the isolate has used, in nanoseconds. */
  cpuTime(): bigint;
  readonly disposed: boolean;
  heapBytes(): number;
  dispose(): void;
}

/** Why a call into an isolate did not return. */
export type Abort = 'timeout' | 'memory' | 'disposed' | 'error';

export function createBareIsolate(memoryMb: number, requests: GuestRequests, timeoutMs: number): BareIsolate {
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
  try {
    const context = isolate.createContextSync();
    return { memoryMb, isolate, context, bridge: openBridge(isolate, context, requests, timeoutMs) };
  } catch (error) {
    if (!isolate.isDisposed) isolate.dispose();
    throw error;
  }
}

/** Evaluates the bundle in a bare isolate: the plugin registers its handlers. */
export function loadBundle(bare: BareIsolate, bundle: BundleSource, timeoutMs: number): PluginIsolate {
  const { isolate } = bare;
  try {
    const script = compileBundle(isolate, bundle.code, bundle.name, bundle.cache);
    script.runSync(bare.context, { timeout: timeoutMs });
    script.release();
  } catch (error) {
    if (!isolate.isDisposed) isolate.dispose();
    throw error;
  }
  return {
    bridge: bare.bridge,
    cpuTime: () => isolate.cpuTime,
    get disposed() {
      return isolate.isDisposed;
    },
    heapBytes: () => (isolate.isDisposed ? 0 : isolate.getHeapStatisticsSync().used_heap_size),
    dispose: () => {
      if (!isolate.isDisposed) isolate.dispose();
    },
  };
}

/** Classifies an exception that came out of a call into an isolate. */
export function classifyAbort(error: unknown, isolate: { disposed: boolean } | undefined): Abort {
  const message = error instanceof Error ? error.message : String(error);
  if (/memory limit/i.test(message)) return 'memory';
  if (/timed out/i.test(message)) return 'timeout';
  if (isolate?.disposed || /disposed/i.test(message)) return 'disposed';
  return 'error';
}

// One install's isolate: created with its memory limit, stripped, bridged, its bundle evaluated once.
import ivm from 'isolated-vm';
import { compileBundle, openBridge, type Bridge, type GuestRequests } from './bridge.ts';

export interface BundleSource {
  code: string;
  sha256: string;
  name: string;
  /** V8's code cache for this bundle, produced by this process on the first compile. */
  cache: { data?: ivm.ExternalCopy<ArrayBuffer> };
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

export function createPluginIsolate(bundle: BundleSource, memoryMb: number, requests: GuestRequests, loadTimeoutMs: number): PluginIsolate {
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
  try {
    const context = isolate.createContextSync();
    const bridge = openBridge(isolate, context, requests, loadTimeoutMs);
    const script = compileBundle(isolate, bundle.code, bundle.name, bundle.cache);
    script.runSync(context, { timeout: loadTimeoutMs });
    script.release();
    return {
      bridge,
      cpuTime: () => isolate.cpuTime,
      get disposed() {
        return isolate.isDisposed;
      },
      heapBytes: () => (isolate.isDisposed ? 0 : isolate.getHeapStatisticsSync().used_heap_size),
      dispose: () => {
        if (!isolate.isDisposed) isolate.dispose();
      },
    };
  } catch (error) {
    if (!isolate.isDisposed) isolate.dispose();
    throw error;
  }
}

/** Classifies an exception that came out of a call into an isolate. */
export function classifyAbort(error: unknown, isolate: { disposed: boolean } | undefined): Abort {
  const message = error instanceof Error ? error.message : String(error);
  if (/memory limit/i.test(message)) return 'memory';
  if (/timed out/i.test(message)) return 'timeout';
  if (isolate?.disposed || /disposed/i.test(message)) return 'disposed';
  return 'error';
}

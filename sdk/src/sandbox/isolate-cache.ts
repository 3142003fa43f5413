// A worker's isolates: one per install key, least recently used idle ones disposed, a spare kept for cold starts.
import type { GuestRequests } from './bridge.ts';
import { createBareIsolate, loadBundle, type BareIsolate, type BundleSource, type PluginIsolate } from './plugin-isolate.ts';
import type { BundleRef } from './protocol.ts';

export interface CachedIsolate {
  key: string;
  isolate: PluginIsolate;
  /** Ids of the invocations running in it: an isolate with any is never evicted. */
  inflight: Set<string>;
}

/** Lets a bare isolate's bridge be created before the entry it will serve is known. */
export interface Link {
  entry?: CachedIsolate;
}

export interface IsolateCacheOptions {
  maxIsolates: number;
  loadTimeoutMs: number;
  /** The bridge's callbacks for an isolate, resolved through its link once it serves an install. */
  requestsFor(link: Link): GuestRequests;
}

/** The memory limit most installs run with (DESIGN.md §4): a spare bare isolate is kept ready for it. */
const spareMemoryMb = 32;

export function createIsolateCache(options: IsolateCacheOptions) {
  const bundles = new Map<string, BundleSource>();
  const entries = new Map<string, CachedIsolate>();

  /** A bundle by hash; its code arrives with the first request that needs it and is kept for the process's life. */
  function bundleFor(ref: BundleRef): BundleSource {
    let bundle = bundles.get(ref.sha256);
    if (!bundle) {
      if (ref.code === undefined) throw new Error(`bundle ${ref.sha256} was never sent to this worker`);
      bundle = { code: ref.code, sha256: ref.sha256, name: ref.name, cache: {} };
      bundles.set(ref.sha256, bundle);
    }
    return bundle;
  }

  // A cold start takes the spare (isolate, context and bridge: most of its cost) and a new spare is
  // made once the event loop is free, off the latency of the invocation that needed it.
  let spare: { bare: BareIsolate; link: Link } | undefined;
  let spareScheduled = false;
  function makeBare(memoryMb: number) {
    const link: Link = {};
    return { bare: createBareIsolate(memoryMb, options.requestsFor(link), options.loadTimeoutMs), link };
  }
  function takeBare(memoryMb: number) {
    if (memoryMb !== spareMemoryMb) return makeBare(memoryMb);
    const taken = spare ?? makeBare(memoryMb);
    spare = undefined;
    if (!spareScheduled) {
      spareScheduled = true;
      setImmediate(() => {
        spareScheduled = false;
        spare ??= makeBare(spareMemoryMb);
      });
    }
    return taken;
  }

  function evictIdle(keep: number) {
    if (entries.size <= keep) return;
    for (const [key, entry] of entries) {
      if (entries.size <= keep) break;
      if (entry.inflight.size === 0) {
        entry.isolate.dispose();
        entries.delete(key);
      }
    }
  }

  return {
    bundleFor,

    /** The install's isolate, made (and its bundle evaluated) on first use. */
    entryFor(key: string, ref: BundleRef, memoryMb: number): CachedIsolate {
      const existing = entries.get(key);
      if (existing && !existing.isolate.disposed) {
        entries.delete(key);
        entries.set(key, existing); // most recently used last
        return existing;
      }
      const bundle = bundleFor(ref); // kept even if creating the isolate fails, so the host need not send it again
      evictIdle(options.maxIsolates - 1); // before inserting: the new entry has nothing in flight yet
      const { bare, link } = takeBare(memoryMb);
      const entry: CachedIsolate = { key, isolate: loadBundle(bare, bundle, options.loadTimeoutMs), inflight: new Set() };
      link.entry = entry;
      entries.set(key, entry);
      return entry;
    },

    /** Disposes an entry's isolate and forgets it: the next call of that install gets a fresh one. */
    discard(entry: CachedIsolate) {
      entry.isolate.dispose();
      if (entries.get(entry.key) === entry) entries.delete(entry.key);
    },

    stats(): { isolates: number; heapBytes: number } {
      let heapBytes = 0;
      for (const entry of entries.values()) heapBytes += entry.isolate.heapBytes();
      return { isolates: entries.size, heapBytes };
    },
  };
}

// The messages between the host and a sandbox worker process: one JSON object per line, some with a payload (line-channel.ts).

export interface BundleRef {
  sha256: string;
  /** Sent the first time a worker needs this bundle; the worker keeps it for the rest of its life. */
  code?: string;
  /** A name for stack traces: `plugin:<id>@<version>`. */
  name: string;
}

export type ToWorker =
  | {
      t: 'invoke';
      id: string;
      /** The isolate key: one isolate per install and bundle. */
      key: string;
      bundle: BundleRef;
      memoryMb: number;
      cpuMs: number;
      wallMs: number;
      /** Capability methods the install may call, by capability. */
      methods: Record<string, string[]>;
      /** The guest dispatch request without the input, already encoded (see guest-bridge.js). The input is the payload. */
      request: string;
    }
  /** A capability call's result is the payload. */
  | { t: 'resolve'; callId: string }
  | { t: 'inspect'; id: string; bundle: BundleRef; memoryMb: number }
  | { t: 'stats'; id: string };

export type FromWorker =
  | { t: 'ready'; pid: number }
  /** Sent a few times a second while the worker has work: its event loop is free. */
  | { t: 'alive' }
  /** `cpuMs`: the CPU time the invocation used in its isolate, fractional; absent when it never reached one. */
  | { t: 'done'; id: string; result: unknown; cpuMs?: number }
  | { t: 'call'; id: string; callId?: string; capability: string; method: string; args: unknown }
  | { t: 'inspected'; id: string; result: unknown }
  | { t: 'stats'; id: string; rssBytes: number; isolates: number; heapBytes: number };

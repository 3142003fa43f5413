// Inside a sandbox worker process: invocations with their limits, the guest's capability calls, the watchdog.
import { createIsolateCache, type CachedIsolate, type Link } from './isolate-cache.ts';
import { classifyAbort, createBareIsolate, loadBundle, type PluginIsolate } from './plugin-isolate.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface WorkerRuntimeOptions {
  /** Sends one encoded message line to the host. */
  send(line: string): void;
  /** Idle isolates beyond this many are disposed, least recently used first. */
  maxIsolates: number;
  /** Capability calls one invocation may make. */
  maxCallsPerInvocation: number;
  /** How often the wall-time watchdog looks at running invocations; also how often a busy worker says it is alive. */
  watchdogMs: number;
  /** Marks the invocation whose guest code runs next (trace.ts), for the host to read if this process dies. */
  mark?(invocationId: string): void;
}

type Entry = CachedIsolate;

interface Invocation {
  id: string;
  entry: Entry;
  /** Capability methods the install may call, by capability. */
  methods: Record<string, string[]>;
  cpuLimitNs: bigint;
  cpuUsedNs: bigint;
  deadline: number;
  calls: number;
  /** Capability calls sent to the host and not answered yet. */
  pending: number;
  /** Set when the invocation broke a rule: its result, whatever the plugin does next. */
  verdict?: string;
  /** Calls into the guest on its behalf running now (nested ones included). */
  inGuest: number;
  /** Its result, decided inside a guest call and sent when that call returns. */
  result?: string;
}

/** One call into a guest running now: whose, when its time is up, and the isolate's CPU clock when it began. */
interface GuestCall {
  invocation: Invocation;
  deadline: number;
  wall: boolean;
  cpuBefore: bigint;
  /** Its CPU time is added to the invocation's already. */
  charged: boolean;
}

const loadTimeoutMs = 1000;

interface CallRequest {
  invocation: string;
  capability: string;
  method: string;
  args: unknown;
  reply: boolean;
}

/** A capability call as the guest bridge encodes it, or undefined for anything else. */
function parseCall(json: string): CallRequest | undefined {
  try {
    const value = JSON.parse(json) as Partial<CallRequest>;
    if (typeof value.invocation !== 'string' || typeof value.capability !== 'string' || typeof value.method !== 'string') return undefined;
    return { invocation: value.invocation, capability: value.capability, method: value.method, args: value.args, reply: value.reply === true };
  } catch {
    return undefined;
  }
}
const maxPendingCalls = 32;
const maxCallBytes = 2 * 1024 * 1024;

export function createWorkerRuntime(options: WorkerRuntimeOptions) {
  const cache = createIsolateCache({ maxIsolates: options.maxIsolates, loadTimeoutMs, requestsFor: (link) => guestRequests(link) });
  const invocations = new Map<string, Invocation>();
  let callSeq = 0;
  let active: GuestCall | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  const send = (message: FromWorker) => options.send(JSON.stringify(message));
  const sendDone = (id: string, resultJson: string, cpuNs?: bigint) =>
    options.send(`{"t":"done","id":${JSON.stringify(id)}${cpuNs === undefined ? '' : `,"cpuMs":${Number(cpuNs) / 1e6}`},"result":${resultJson}}`);
  const fail = (code: string, message: string, retryable = false) => JSON.stringify({ ok: false, failure: { code, message, retryable } });

  function guestRequests(link: Link) {
    return {
      call(requestJson: string): string {
        const refuse = (code: string, message: string) => JSON.stringify({ refused: { code, message, retryable: false } });
        // isolated-vm's timeout and cpuTime do not count time spent in this callback, so a loop of calls, even
        // refused and swallowed ones, would run unbounded: the running call's budget is checked first, and an
        // invocation that broke a rule is stopped at once by disposing its isolate.
        if (active && performance.now() > active.deadline) {
          stop(active.invocation, active.wall ? wallTimeout() : cpuTimeout(active.invocation));
          return refuse('sandbox.cpu_limit', 'the invocation ran out of time');
        }
        const request = parseCall(requestJson);
        const invocation = request && invocations.get(request.invocation);
        if (!request || !invocation || invocation.entry !== link.entry) return refuse('capability.denied', 'not a call of a running invocation');
        invocation.calls += 1;
        if (invocation.calls > options.maxCallsPerInvocation) {
          const message = `an invocation may make at most ${options.maxCallsPerInvocation} capability calls`;
          stop(invocation, fail('capability.limit_exceeded', message));
          return refuse('capability.limit_exceeded', message);
        }
        if (requestJson.length > maxCallBytes) return refuse('capability.args_invalid', `a capability call may carry at most ${maxCallBytes} bytes of arguments`);
        const methods = Object.hasOwn(invocation.methods, request.capability) ? invocation.methods[request.capability] : undefined;
        if (!Array.isArray(methods) || !methods.includes(request.method)) {
          return refuse('capability.denied', `${request.capability}.${request.method} is not granted to this install`);
        }
        if (request.reply && invocation.pending >= maxPendingCalls) {
          const message = `an invocation may wait on at most ${maxPendingCalls} capability calls at once`;
          stop(invocation, fail('capability.limit_exceeded', message));
          return refuse('capability.limit_exceeded', message);
        }
        const callId = request.reply ? `${invocation.id}:${++callSeq}` : undefined;
        if (callId) invocation.pending += 1;
        send({ t: 'call', id: invocation.id, callId, capability: request.capability, method: request.method, args: request.args });
        return callId ? `{"callId":${JSON.stringify(callId)}}` : '{}';
      },
      settle(invocationId: string, resultJson: string) {
        const invocation = invocations.get(invocationId);
        if (invocation && invocation.entry === link.entry) finish(invocation, resultJson);
      },
    };
  }

  function finish(invocation: Invocation, resultJson: string) {
    if (!invocations.delete(invocation.id)) return;
    invocation.entry.inflight.delete(invocation.id);
    invocation.result = invocation.verdict ?? resultJson;
    // An invocation that ends inside a guest call (a handler answering, a promise settling) is answered when the call
    // returns: code it queued to run after its answer still runs on its CPU time, which the answer carries.
    if (invocation.inGuest === 0) answer(invocation);
  }

  function answer(invocation: Invocation) {
    if (invocation.result === undefined) return;
    sendDone(invocation.id, invocation.result, invocation.cpuUsedNs);
    invocation.result = undefined;
  }

  /** Adds a guest call's CPU time to its invocation's, once, while the isolate's clock can still be read. */
  function charge(call: GuestCall) {
    if (call.charged) return;
    call.charged = true;
    try {
      call.invocation.cpuUsedNs += call.invocation.entry.isolate.cpuTime() - call.cpuBefore;
    } catch {
      // Disposed (out of memory): the call's own time went with the isolate.
    }
  }

  /** Runs one call into the guest on behalf of an invocation, charging its CPU and enforcing its limits. */
  function enterGuest(invocation: Invocation, run: (timeoutMs: number) => void) {
    const { isolate } = invocation.entry;
    const cpuLeftMs = Number(invocation.cpuLimitNs - invocation.cpuUsedNs) / 1e6;
    const wallLeftMs = invocation.deadline - performance.now();
    const timeoutMs = Math.max(1, Math.ceil(Math.min(cpuLeftMs, wallLeftMs)));
    const outer = active;
    const call: GuestCall = { invocation, deadline: performance.now() + timeoutMs, wall: wallLeftMs <= cpuLeftMs, cpuBefore: 0n, charged: true };
    active = call;
    invocation.inGuest += 1;
    try {
      call.cpuBefore = isolate.cpuTime();
      call.charged = false;
      options.mark?.(invocation.id);
      run(timeoutMs);
      charge(call);
    } catch (error) {
      charge(call);
      // Stopped from a callback (stop() below): the verdict says why.
      if (invocation.verdict && isolate.disposed) return reset(invocation, invocation.verdict);
      const abort = classifyAbort(error, isolate);
      if (abort === 'memory') return reset(invocation, fail('sandbox.memory_limit', 'the plugin ran out of its memory limit'));
      if (abort === 'timeout') {
        const wall = wallLeftMs <= cpuLeftMs;
        return reset(invocation, wall ? wallTimeout() : cpuTimeout(invocation));
      }
      return reset(invocation, fail('sandbox.crashed', 'the isolate failed: ' + (error instanceof Error ? error.message : String(error)), true));
    } finally {
      active = outer;
      if (--invocation.inGuest === 0) answer(invocation);
      sayAlive();
    }
  }

  // A worker busy with one guest call after another, its event loop never free, still says it is alive
  // between calls: the host takes only silence longer than a single call may run for a stuck worker.
  let lastAlive = 0;
  function sayAlive() {
    const now = performance.now();
    if (now - lastAlive < 200) return;
    lastAlive = now;
    send({ t: 'alive' });
  }

  /** Decides an invocation's result and stops its guest code now, from inside a callback. */
  function stop(invocation: Invocation, verdict: string) {
    invocation.verdict ??= verdict;
    if (active?.invocation.entry === invocation.entry) charge(active);
    invocation.entry.isolate.dispose();
  }

  const cpuTimeout = (invocation: Invocation) =>
    fail('sandbox.cpu_limit', `the invocation used more than ${Number(invocation.cpuLimitNs / 1_000_000n)} ms of CPU`);
  const wallTimeout = () => fail('sandbox.timeout', 'the invocation did not finish within its wall-time limit');

  /** Ends an invocation that broke a limit and discards its isolate: a fresh one serves the next call. */
  function reset(culprit: Invocation, resultJson: string) {
    const entry = culprit.entry;
    cache.discard(entry);
    finish(culprit, resultJson);
    for (const id of [...entry.inflight]) {
      const other = invocations.get(id);
      if (other) finish(other, fail('sandbox.crashed', "the install's isolate was reset after another invocation broke its limits", true));
    }
  }

  // One timer for all invocations, stopped when none is left (not per invocation: that costs microseconds each).
  function startWatchdog() {
    if (watchdog) return;
    watchdog = setInterval(() => {
      if (invocations.size === 0) {
        clearInterval(watchdog);
        watchdog = undefined;
        return;
      }
      // While it has work, a worker says it is alive a few times a second: a silent one is stuck in guest code.
      sayAlive();
      const now = performance.now();
      for (const invocation of invocations.values()) {
        if (now >= invocation.deadline) reset(invocation, wallTimeout());
      }
    }, options.watchdogMs);
    watchdog.unref();
  }

  function invoke(message: Extract<ToWorker, { t: 'invoke' }>, input: string) {
    let entry: Entry;
    try {
      entry = cache.entryFor(message.key, message.bundle, message.memoryMb);
    } catch (error) {
      const abort = classifyAbort(error, undefined);
      const reason = error instanceof Error ? error.message : String(error);
      if (abort === 'memory') return sendDone(message.id, fail('sandbox.memory_limit', 'loading the plugin ran out of its memory limit'));
      if (abort === 'timeout') return sendDone(message.id, fail('sandbox.cpu_limit', `loading the plugin took more than ${loadTimeoutMs} ms`));
      return sendDone(message.id, fail('plugin.error', `loading the plugin failed: ${reason}`));
    }
    const invocation: Invocation = {
      id: message.id,
      entry,
      methods: message.methods,
      cpuLimitNs: BigInt(message.cpuMs) * 1_000_000n,
      cpuUsedNs: 0n,
      deadline: performance.now() + message.wallMs,
      calls: 0,
      pending: 0,
      inGuest: 0,
    };
    invocations.set(invocation.id, invocation);
    entry.inflight.add(invocation.id);
    startWatchdog();
    enterGuest(invocation, (timeout) => {
      const result = entry.isolate.bridge.dispatch(message.request, input, timeout);
      if (result !== null) finish(invocation, result);
    });
  }

  function resolve(message: Extract<ToWorker, { t: 'resolve' }>, resultJson: string) {
    const invocation = invocations.get(message.callId.slice(0, message.callId.lastIndexOf(':')));
    if (!invocation) return; // ended (timed out, reset) while the host worked on the call
    invocation.pending -= 1;
    enterGuest(invocation, (timeout) => invocation.entry.isolate.bridge.resolve(message.callId, resultJson, timeout));
  }

  /** Evaluates a bundle in a throwaway isolate and reports the handler ids it registers. */
  function inspect(message: Extract<ToWorker, { t: 'inspect' }>) {
    let isolate: PluginIsolate | undefined;
    let result: unknown;
    try {
      const noCapabilities = { call: () => '{"refused":{"code":"capability.denied","message":"no capabilities while loading","retryable":false}}', settle: () => {} };
      const bundle = cache.bundleFor(message.bundle);
      options.mark?.(message.id);
      isolate = loadBundle(createBareIsolate(message.memoryMb, noCapabilities, loadTimeoutMs), bundle, loadTimeoutMs);
      result = { ok: true, output: JSON.parse(isolate.bridge.describe(loadTimeoutMs)) };
    } catch (error) {
      const abort = classifyAbort(error, isolate);
      const code = abort === 'memory' ? 'sandbox.memory_limit' : abort === 'timeout' ? 'sandbox.cpu_limit' : 'plugin.error';
      result = { ok: false, failure: { code, message: `loading the plugin failed: ${error instanceof Error ? error.message : String(error)}`, retryable: false } };
    } finally {
      isolate?.dispose();
    }
    send({ t: 'inspected', id: message.id, result });
  }

  function stats(id: string) {
    send({ t: 'stats', id, rssBytes: process.memoryUsage.rss(), ...cache.stats() });
  }

  return {
    /** One message from the host, with its payload (the input of an invoke, the result of a resolve). */
    handle(message: ToWorker, payload = '') {
      try {
        dispatchMessage(message, payload);
      } catch (error) {
        // A bug of ours must not take the worker down with everyone's calls: the one message fails.
        const reason = error instanceof Error ? error.message : String(error);
        if (message.t === 'invoke') sendDone(message.id, fail('sandbox.crashed', `the sandbox worker failed: ${reason}`, true));
        if (message.t === 'inspect') send({ t: 'inspected', id: message.id, result: { ok: false, failure: { code: 'sandbox.crashed', message: `the sandbox worker failed: ${reason}`, retryable: true } } });
      }
    },
  };

  function dispatchMessage(message: ToWorker, payload: string) {
    switch (message.t) {
      case 'invoke':
        return invoke(message, payload);
      case 'resolve':
        return resolve(message, payload);
      case 'inspect':
        return inspect(message);
      case 'stats':
        return stats(message.id);
    }
  }
}

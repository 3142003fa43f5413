// The pool's supervision against real worker processes: whose fault a worker's death is, and who is left alone; and
// the CPU time each invocation used, as the worker measured it.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxPool, type PoolEvent } from './pool.ts';
import type { Result } from './result.ts';

const code = `lianjie.register({ actions: {
  bomb: () => { const o = {}; for (let i = 0; i < 1e7; i++) o['p' + i] = i; return 1; },
  fill: () => Array(1e8).fill(0).length,
  slow: async (input, ctx) => { await ctx.store.get({ key: 'k' }); return { ok: 1 }; },
  spin: (input) => { const end = Date.now() + input.ms; while (Date.now() < end) {} return 'spun'; },
}})`;
const bundle = { code, sha256: createHash('sha256').update(code).digest('hex'), name: 'plugin:pool-test@1.0.0' };

let pool: ReturnType<typeof createSandboxPool<object>> | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

function start(events: PoolEvent[] = [], capabilityDelayMs = 300) {
  pool = createSandboxPool<object>({
    size: 1,
    onCall: () => new Promise((resolve) => setTimeout(() => resolve({ ok: true, output: null }), capabilityDelayMs)),
    onEvent: (event) => events.push(event),
  });
  const p = pool;
  return (tenant: string, handler: string, limits: { memoryMb?: number; cpuMs?: number; wallMs?: number } = {}, input: unknown = {}, onCpu?: (cpuMs: number) => void): Promise<Result> =>
    p.run({
      onCpu,
      tenantId: tenant, installKey: `${tenant}/i/${bundle.sha256}`, bundle,
      memoryMb: limits.memoryMb ?? 32, cpuMs: limits.cpuMs ?? 100, wallMs: limits.wallMs ?? 2000,
      methods: { store: ['get'] },
      request: (id) => JSON.stringify({ id, kind: 'action', handler, config: {}, capabilities: { store: ['get'] }, denied: {}, outputLimit: 262_144 }),
      input: JSON.stringify(input),
      scope: {},
    });
}

const codes = (results: Result[]) => results.map((r) => (r.ok ? 'ok' : r.failure.code));

describe('sandbox pool supervision', () => {
  it('pins a crash on the install whose code was running, not on the others in flight, and quarantines it after three', async () => {
    const events: PoolEvent[] = [];
    const run = start(events);
    const bystanders = Array.from({ length: 6 }, (_, i) => `bystander-${i}`);
    const rounds: string[][] = [];
    for (let round = 0; round < 4; round++) {
      const others = bystanders.map((t) => run(t, 'slow'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const attack = await run('attacker', 'bomb', { memoryMb: 16, cpuMs: 10_000, wallMs: 20_000 });
      rounds.push([...codes([attack]), ...codes(await Promise.all(others))]);
    }
    // Round 1 kills the shared worker with the bystanders' calls on it; from then on the attacker runs alone.
    expect(rounds[0]![0]).toBe('sandbox.crashed');
    expect(rounds.slice(1).map((r) => r.slice(1))).toEqual([Array(6).fill('ok'), Array(6).fill('ok'), Array(6).fill('ok')]);
    expect(rounds[3]![0]).toBe('sandbox.quarantined');
    const status = pool!.status();
    expect(status.quarantined.map((q) => q.installKey)).toEqual([`attacker/i/${bundle.sha256}`]);
    expect(status.quarantined[0]!.reason).toMatch(/^3 sandbox worker crashes within 60 s/);
    expect(events.filter((e) => e.type === 'install_quarantined')).toHaveLength(1);
  });

  it('a worker stuck in a builtin is replaced; only the stuck invocation is a timeout, and nobody waiting long is blamed', async () => {
    const run = start();
    // A well-behaved invocation that takes long in total: 40 calls spinning 80 ms each, queued on one worker. Their
    // CPU limit leaves room for a busy machine: what is tested is the queueing, not the CPU limit.
    const patient = Promise.all(Array.from({ length: 40 }, (_, i) => run(`patient-${i % 8}`, 'spin', { cpuMs: 1000, wallMs: 20_000 }, { ms: 80 })));
    expect(codes(await patient)).toEqual(Array(40).fill('ok'));
    const [stuck, bystander] = await Promise.all([run('stuck', 'fill', { cpuMs: 100, wallMs: 500 }), run('other', 'slow')]);
    expect(codes([stuck])).toEqual(['sandbox.timeout']);
    expect(['ok', 'sandbox.crashed']).toContain(codes([bystander])[0]);
    expect(codes([await run('other', 'slow')])).toEqual(['ok']);
    expect(pool!.status().quarantined).toEqual([]);
  });

  it('tells each invocation that reached its isolate the CPU time it used, once and before its result', async () => {
    const run = start([], 10);
    const seen: { cpuMs: number[]; code: string | undefined }[] = [];
    const measured = async (tenant: string, handler: string, limits: { cpuMs?: number; wallMs?: number }, input: unknown = {}) => {
      const cpuMs: number[] = [];
      const result = await run(tenant, handler, limits, input, (ms) => cpuMs.push(ms));
      seen.push({ cpuMs: [...cpuMs], code: result.ok ? undefined : result.failure.code });
    };
    await measured('a', 'spin', {}, { ms: 40 });
    await measured('a', 'slow', {});
    await measured('a', 'spin', { cpuMs: 50 }, { ms: 2000 });
    await measured('a', 'missing', {});
    expect(seen.map((s) => [s.code, s.cpuMs.length])).toEqual([[undefined, 1], [undefined, 1], ['sandbox.cpu_limit', 1], ['action.not_found', 1]]);
    const [spun, slow, stopped, missing] = seen.map((s) => s.cpuMs[0]!);
    expect(spun).toBeGreaterThan(20);
    expect(slow).toBeGreaterThan(0);
    expect(slow).toBeLessThan(spun!);
    expect(stopped).toBeGreaterThan(30);
    expect(missing).toBeGreaterThanOrEqual(0);
  });
});

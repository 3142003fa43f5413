// `lianjie runs list|show|cancel|replay` as a real process, on a store whose runs were written through the run repository.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import type { NewRun, StepRecord, Store } from '../../core/src/store/types.ts';
import { folder, lines, liveConfig, run, useCliSandbox, writeConfig } from '../support/cli.ts';
import { freshPostgresDatabase, postgresUrl, type FreshPostgresDatabase } from '../support/postgres.ts';

useCliSandbox();

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Runs `work` with Date.now() answering `ms`: the repository stamps created_at and finished_at with it. */
async function atTime<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(Date, 'now').mockReturnValue(ms);
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

const welcomeV1 = JSON.stringify({
  id: 'store-welcome', name: 'Store welcome', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
  steps: [{ id: 'tag', action: 'lianjie.customer-tags/add', input: { tags: ['store42'] } }],
});
const welcomeV2 = JSON.stringify({ ...JSON.parse(welcomeV1) as object, name: 'Store welcome, second edition' });
const digest = JSON.stringify({ id: 'digest', name: 'Digest', tenantId: 'beta', trigger: { event: 'wecom.external_contact.add' }, steps: [] });

// Key order and non-ASCII text: a replay must carry the trigger byte for byte.
const trigger = JSON.stringify({ type: 'wecom.external_contact.add', data: { userId: 'zhangsan', externalUserId: 'wmABC', state: 'store42', name: '王小明' } });
const tagInput = JSON.stringify({ userId: 'zhangsan', externalUserId: 'wmABC', tags: ['store42'] });
const longOutput = JSON.stringify({ ok: true, note: 'x'.repeat(300) });

const times = {
  done: at('2026-10-30T10:00:00Z'),
  pending: at('2026-11-01T08:30:00Z'),
  refused: at('2026-11-02T12:00:00Z'),
  other: at('2026-11-03T00:00:00Z'),
  orphan: at('2026-11-03T06:00:00Z'),
};
const doneFinished = times.done + 5_000;
const refusal = { code: 'workflow.expression_failed', message: 'trigger.data.state is not a string', step: 'trigger' };

const dialects = [
  { name: 'sqlite' },
  ...(postgresUrl ? [{ name: 'postgres' }] : []),
];

describe.each(dialects)('lianjie runs on $name', ({ name }) => {
  let cwd: string;
  let config: string;
  let database: string;
  let pgDatabase: FreshPostgresDatabase | undefined;
  const ids = {} as Record<keyof typeof times, string>;
  let steps: StepRecord[];

  const runs = (...args: string[]) => run(['runs', ...args, '--config', config], { cwd });
  /** Opens the store, hands it to `work`, closes it: the CLI never shares the database with an open test store. */
  const withTestStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const store = openStore(database);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    cwd = folder(`runs-${name}`);
    if (name === 'postgres') {
      pgDatabase = await freshPostgresDatabase();
      database = pgDatabase.url;
    } else {
      database = `file:${path.join(cwd, 'lianjie.db')}`;
    }
    config = writeConfig(cwd, liveConfig(database));
    await withTestStore(async (store) => {
      await store.migrate();
      expect(await store.workflows().apply('acme', 'store-welcome', welcomeV1)).toEqual({ version: 1, created: true });
      expect(await store.workflows().apply('beta', 'digest', digest)).toEqual({ version: 1, created: true });
      const repo = store.runs();
      const newRun = (key: keyof typeof times, tenantId: string, workflowId: string, extra: Partial<NewRun> = {}): NewRun => {
        ids[key] = `run_${key}_${name}`;
        return { id: ids[key], tenantId, workflowId, version: 1, triggerKey: `evt_${key}`, trigger, ...extra };
      };

      // The completed run: routed alone, so the claim takes it, then checkpointed with its step history.
      expect(await atTime(times.done, () => repo.route([newRun('done', 'acme', 'store-welcome')], []))).toEqual([ids.done]);
      const claimed = await repo.claim('test-worker', { limit: 1, leaseMs: 60_000, now: times.done + 500 });
      expect(claimed.map((r) => r.id)).toEqual([ids.done]);
      steps = [
        {
          runId: ids.done, stepPath: 'tag', attempt: 1, status: 'failed', input: tagInput, output: null,
          failure: { code: 'action.output_invalid', message: 'WeCom answered 45009: api freq out of limit', step: 'tag' },
          startedAt: times.done + 1_000, finishedAt: times.done + 1_250,
        },
        {
          runId: ids.done, stepPath: 'tag', attempt: 2, status: 'completed', input: tagInput, output: longOutput,
          failure: null, startedAt: times.done + 3_000, finishedAt: times.done + 3_100,
        },
        {
          runId: ids.done, stepPath: 'welcome', attempt: 1, status: 'skipped', input: null, output: null,
          failure: null, startedAt: times.done + 3_200, finishedAt: times.done + 3_200,
        },
      ];
      expect(await atTime(doneFinished, () => repo.checkpoint('test-worker', ids.done, { status: 'completed', cursor: '{"next":2}', steps }))).toBe(true);

      expect(await atTime(times.pending, () => repo.route([newRun('pending', 'acme', 'store-welcome')], []))).toEqual([ids.pending]);
      expect(await atTime(times.refused, () => repo.route([newRun('refused', 'acme', 'store-welcome', { failure: refusal })], []))).toEqual([ids.refused]);
      expect(await atTime(times.other, () => repo.route([newRun('other', 'beta', 'digest')], []))).toEqual([ids.other]);
      // A run of a workflow the store no longer has (never applied here): replay has nothing to run it against.
      expect(await atTime(times.orphan, () => repo.route([newRun('orphan', 'beta', 'retired')], []))).toEqual([ids.orphan]);

      expect(await repo.countByStatus()).toEqual({ completed: 1, pending: 3, failed: 1 });
    });
  });

  afterAll(async () => {
    await pgDatabase?.drop();
  });

  /** The ids `runs list` printed, in order, from its table. */
  const listed = async (...args: string[]): Promise<string[]> => {
    const result = await runs('list', ...args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return lines(result.stdout).map((line) => line.split(/\s+/)[2]!);
  };

  describe('list', () => {
    it('prints one line per run, newest first, with its status, tenant/workflow, version and failure', async () => {
      const result = await runs('list');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(lines(result.stdout)).toEqual([
        `2026-11-03T06:00:00.000Z  pending    ${ids.orphan}  beta/retired v1`,
        `2026-11-03T00:00:00.000Z  pending    ${ids.other}  beta/digest v1`,
        `2026-11-02T12:00:00.000Z  failed     ${ids.refused}  acme/store-welcome v1  workflow.expression_failed: trigger.data.state is not a string`,
        `2026-11-01T08:30:00.000Z  pending    ${ids.pending}  acme/store-welcome v1`,
        `2026-10-30T10:00:00.000Z  completed  ${ids.done}  acme/store-welcome v1`,
      ]);
    });

    it('prints JSON lines with the trigger parsed and times as ISO 8601', async () => {
      const result = await runs('list', '--json');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const rows = lines(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(rows.map((r) => r.id)).toEqual([ids.orphan, ids.other, ids.refused, ids.pending, ids.done]);
      expect(rows[4]).toEqual({
        id: ids.done, tenantId: 'acme', workflowId: 'store-welcome', version: 1, status: 'completed', triggerKey: 'evt_done',
        trigger: JSON.parse(trigger), failure: null, wakeAt: null,
        createdAt: iso(times.done), updatedAt: iso(doneFinished), finishedAt: iso(doneFinished),
      });
      expect(rows[2]).toMatchObject({ status: 'failed', failure: refusal, createdAt: iso(times.refused), finishedAt: iso(times.refused) });
      expect(rows[3]).toMatchObject({ status: 'pending', failure: null, finishedAt: null, createdAt: iso(times.pending) });
    });

    it('filters by status, workflow and tenant, alone and together', async () => {
      const [pending, welcome, beta, acmePending, none] = await Promise.all([
        listed('--status', 'pending'),
        listed('--workflow', 'store-welcome'),
        listed('--tenant', 'beta'),
        listed('--tenant', 'acme', '--status', 'pending'),
        runs('list', '--tenant', 'nobody'),
      ]);
      expect(pending).toEqual([ids.orphan, ids.other, ids.pending]);
      expect(welcome).toEqual([ids.refused, ids.pending, ids.done]);
      expect(beta).toEqual([ids.orphan, ids.other]);
      expect(acmePending).toEqual([ids.pending]);
      expect(none).toMatchObject({ code: 0, stdout: 'no runs\n', stderr: '' });
    });

    it('filters by creation time: --since inclusive, --until exclusive, dates as UTC midnight, offsets honoured', async () => {
      const [sinceDate, untilDate, window, day] = await Promise.all([
        listed('--since', '2026-11-01'),
        listed('--until', '2026-11-01'),
        // 16:30+08:00 on 11-01 is the pending run's creation time exactly, which --since includes; 08:00+08:00 on 11-03 is
        // the other run's, which --until excludes. Read as UTC instead, the window would hold neither refused nor pending alone.
        listed('--since', '2026-11-01T16:30:00+08:00', '--until', '2026-11-03T08:00:00+08:00'),
        listed('--since', '2026-11-02', '--until', '2026-11-03'),
      ]);
      expect(sinceDate).toEqual([ids.orphan, ids.other, ids.refused, ids.pending]);
      expect(untilDate).toEqual([ids.done]);
      expect(window).toEqual([ids.refused, ids.pending]);
      expect(day).toEqual([ids.refused]);
    });

    it('keeps the newest --limit runs', async () => {
      expect(await listed('--limit', '2', '--tenant', 'acme')).toEqual([ids.refused, ids.pending]);
    });

    it('refuses a bad --status, --since, --until or --limit with one line naming the flag', async () => {
      const cases: [string[], string][] = [
        [['--status', 'done'], 'lianjie: --status must be one of pending, running, waiting, completed, failed, cancelled, got "done"'],
        [['--since', 'yesterday'], 'lianjie: --since must be an RFC 3339 time or a date such as 2026-11-01, got "yesterday"'],
        // No offset: which zone it meant is unknown.
        [['--since', '2026-11-01T08:00:00'], 'lianjie: --since must be an RFC 3339 time or a date such as 2026-11-01, got "2026-11-01T08:00:00"'],
        // Dates that do not exist are refused, not rolled over into the next month or day.
        [['--until', '2026-02-30'], 'lianjie: --until must be an RFC 3339 time or a date such as 2026-11-01, got "2026-02-30"'],
        [['--since', '2026-11-31T08:00:00Z'], 'lianjie: --since must be an RFC 3339 time or a date such as 2026-11-01, got "2026-11-31T08:00:00Z"'],
        [['--until', '2026-11-01T24:00:00Z'], 'lianjie: --until must be an RFC 3339 time or a date such as 2026-11-01, got "2026-11-01T24:00:00Z"'],
        [['--limit', '0'], 'lianjie: --limit must be a positive integer, got "0"'],
      ];
      const results = await Promise.all(cases.map(([args]) => runs('list', ...args)));
      results.forEach((result, i) => {
        expect(result.code, cases[i]![0].join(' ')).toBe(1);
        expect(result.stdout).toBe('');
        expect(lines(result.stderr)).toEqual([cases[i]![1]]);
      });
    });
  });

  describe('show', () => {
    it('prints the run and each step attempt with its timing, input, clipped output and failure', async () => {
      const result = await runs('show', ids.done);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.split('\n')).toEqual([
        `run       ${ids.done}`,
        'workflow  acme/store-welcome version 1',
        'status    completed',
        'trigger   evt_done',
        `created   2026-10-30T10:00:00.000Z   finished 2026-10-30T10:00:05.000Z`,
        'steps',
        '  tag  #1  failed  250 ms',
        `    input   ${tagInput}`,
        '    failure action.output_invalid: WeCom answered 45009: api freq out of limit',
        '  tag  #2  completed  100 ms',
        `    input   ${tagInput}`,
        `    output  ${longOutput.slice(0, 197)}...`,
        '  welcome  #1  skipped  0 ms',
        '',
      ]);
    });

    it('prints a run that failed at routing with its failure and no steps', async () => {
      const result = await runs('show', ids.refused);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(lines(result.stdout)).toEqual([
        `run       ${ids.refused}`,
        'workflow  acme/store-welcome version 1',
        'status    failed (workflow.expression_failed at trigger: trigger.data.state is not a string)',
        'trigger   evt_refused',
        'created   2026-11-02T12:00:00.000Z   finished 2026-11-02T12:00:00.000Z',
        'no steps yet',
      ]);
    });

    it('prints JSON with the steps\' input and output parsed, in full', async () => {
      const result = await runs('show', ids.done, '--json');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(lines(result.stdout)).toHaveLength(1);
      const shown = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({ id: ids.done, status: 'completed', version: 1, trigger: JSON.parse(trigger), finishedAt: iso(doneFinished) });
      expect(shown.steps).toEqual([
        {
          step: 'tag', attempt: 1, status: 'failed', input: JSON.parse(tagInput), output: null, failure: steps[0]!.failure,
          startedAt: iso(times.done + 1_000), finishedAt: iso(times.done + 1_250), ms: 250,
        },
        {
          step: 'tag', attempt: 2, status: 'completed', input: JSON.parse(tagInput), output: JSON.parse(longOutput), failure: null,
          startedAt: iso(times.done + 3_000), finishedAt: iso(times.done + 3_100), ms: 100,
        },
        {
          step: 'welcome', attempt: 1, status: 'skipped', input: null, output: null, failure: null,
          startedAt: iso(times.done + 3_200), finishedAt: iso(times.done + 3_200), ms: 0,
        },
      ]);
      const pending = JSON.parse((await runs('show', ids.pending, '--json')).stdout) as Record<string, unknown>;
      expect(pending).toMatchObject({ id: ids.pending, status: 'pending', finishedAt: null, steps: [] });
    });

    it('answers an unknown run id with run.not_found on one line and exit 1', async () => {
      const result = await runs('show', 'run_nope');
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(lines(result.stderr)).toEqual(['lianjie: run.not_found: no run run_nope']);
    });
  });

  describe('cancel', () => {
    it('cancels a pending run, and says so when the run had already finished', async () => {
      const cancelled = await runs('cancel', ids.pending);
      expect(cancelled).toMatchObject({ code: 0, stdout: `cancelled: ${ids.pending}\n`, stderr: '' });
      const after = await withTestStore((store) => store.runs().get(ids.pending));
      expect(after).toMatchObject({ status: 'cancelled', leaseOwner: null });
      expect(after!.finishedAt).not.toBeNull();

      const [completed, failed, again, unknown] = await Promise.all([
        runs('cancel', ids.done), runs('cancel', ids.refused), runs('cancel', ids.pending), runs('cancel', 'run_nope'),
      ]);
      expect(completed).toMatchObject({ code: 0, stdout: `not cancelled: ${ids.done} had already completed\n`, stderr: '' });
      expect(failed).toMatchObject({ code: 0, stdout: `not cancelled: ${ids.refused} had already failed\n`, stderr: '' });
      expect(again).toMatchObject({ code: 0, stdout: `not cancelled: ${ids.pending} had already been cancelled\n`, stderr: '' });
      expect(unknown).toMatchObject({ code: 1, stdout: '' });
      expect(lines(unknown.stderr)).toEqual(['lianjie: run.not_found: no run run_nope']);

      const stored = await withTestStore(async (store) => Promise.all([ids.done, ids.refused, ids.pending].map((id) => store.runs().get(id))));
      expect(stored.map((r) => r?.status)).toEqual(['completed', 'failed', 'cancelled']);
      expect(stored[0]!.finishedAt).toBe(doneFinished);
    });
  });

  describe('replay', () => {
    it('starts a new pending run of the same trigger against the workflow\'s current version', async () => {
      expect(await withTestStore((store) => store.workflows().apply('acme', 'store-welcome', welcomeV2))).toEqual({ version: 2, created: true });

      const result = await runs('replay', ids.done);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const match = /^replayed: (\S+) as (run_[0-9a-z]+) \(store-welcome version 2\)\n$/.exec(result.stdout);
      expect(match, result.stdout).not.toBeNull();
      expect(match![1]).toBe(ids.done);
      const newId = match![2]!;
      expect(newId).not.toBe(ids.done);

      const [replayed, original, counts] = await withTestStore(async (store) =>
        Promise.all([store.runs().get(newId), store.runs().get(ids.done), store.runs().countByStatus()]));
      expect(replayed).toMatchObject({
        id: newId, tenantId: 'acme', workflowId: 'store-welcome', version: 2, status: 'pending',
        triggerKey: `replay:${newId}`, failure: null, cursor: null, finishedAt: null,
      });
      expect(replayed!.trigger).toBe(trigger);
      expect(original).toMatchObject({ status: 'completed', version: 1, triggerKey: 'evt_done' });
      expect(counts).toEqual({ completed: 1, pending: 3, failed: 1, cancelled: 1 });
    });

    it('gives every replay its own run, also of a run that failed at routing', async () => {
      const [first, second] = await Promise.all([runs('replay', ids.refused), runs('replay', ids.refused)]);
      const newIds = [first, second].map((result) => {
        expect(result).toMatchObject({ code: 0, stderr: '' });
        const match = /^replayed: \S+ as (run_[0-9a-z]+) \(store-welcome version 2\)\n$/.exec(result.stdout);
        expect(match, result.stdout).not.toBeNull();
        return match![1]!;
      });
      expect(new Set(newIds).size).toBe(2);
      const stored = await withTestStore((store) => Promise.all(newIds.map((id) => store.runs().get(id))));
      for (const [i, r] of stored.entries()) {
        expect(r).toMatchObject({ status: 'pending', version: 2, triggerKey: `replay:${newIds[i]}`, failure: null, trigger });
      }
    });

    it('refuses to replay a run whose workflow the store no longer has, and creates nothing', async () => {
      const before = await withTestStore((store) => store.runs().countByStatus());
      const result = await runs('replay', ids.orphan);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(lines(result.stderr)).toEqual(['lianjie: workflow.not_found: tenant beta has no workflow retired any more']);
      expect(await withTestStore((store) => store.runs().countByStatus())).toEqual(before);
    });
  });

  describe('usage', () => {
    it('prints the usage for --help and exits 0', async () => {
      const result = await run(['runs', '--help'], { cwd });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.startsWith('usage: lianjie runs list|show|cancel|replay [options] [--config <file>]\n')).toBe(true);
      for (const verb of ['  list [--tenant <id>]', '  show <runId> [--json]', '  cancel <runId>', '  replay <runId>']) {
        expect(result.stdout).toContain(verb);
      }
    });

    it('refuses a missing or unknown verb, a missing run id and extra arguments with the usage line', async () => {
      const usage = 'lianjie: usage: lianjie runs list|show|cancel|replay [options] [--config <file>]';
      const results = await Promise.all([
        runs(), runs('rerun', ids.done), runs('replay'), runs('list', ids.done), runs('show', ids.done, 'extra'),
      ]);
      for (const result of results) {
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(lines(result.stderr)).toEqual([usage]);
      }
    });
  });
});

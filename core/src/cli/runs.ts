// `lianjie runs list|show|cancel|replay`: run history, cancelling a run, and replaying a run's trigger.
import { cancelRun, getRun, parseTimeFilter, replayRun, runJson, runStatuses as statuses, stepJson } from '../engine/run/history.ts';
import type { RunStatus, StepRecord, StoredRun } from '../store/types.ts';
import { configOption, parse, type Command } from './command.ts';
import { parseLimit, withStore } from './store-access.ts';

export const runsCommand: Command = {
  name: 'runs',
  usage: `lianjie runs list|show|cancel|replay [options] [--config <file>]

  list [--tenant <id>] [--workflow <id>] [--status <status>] [--since <time>] [--until <time>] [--limit <n>] [--json]
                       runs newest first; status is one of ${statuses.join(', ')};
                       times are RFC 3339 (2026-11-01T08:00:00+08:00) or a date (2026-11-01, UTC)
  show <runId> [--json]
                       the run and each step attempt: input, output (install secrets redacted), failure, timings
  cancel <runId>       ends a run that has not finished; a step in flight finishes, nothing after it runs
  replay <runId>       starts a new run of the same trigger against the workflow's current version;
                       a serving host executes it
  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      ...configOption,
      tenant: { type: 'string' }, workflow: { type: 'string' }, status: { type: 'string' },
      since: { type: 'string' }, until: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
    });
    const [verb, runId, ...extra] = positionals;
    const usage = () => new Error(`usage: ${this.usage.split('\n')[0]}`);
    if (extra.length > 0 || !verb) throw usage();
    if (verb === 'list') {
      if (runId !== undefined) throw usage();
      const status = values.status;
      if (status !== undefined && !statuses.includes(status as RunStatus)) throw new Error(`--status must be one of ${statuses.join(', ')}, got "${status}"`);
      const query = {
        tenantId: values.tenant, workflowId: values.workflow, status: status as RunStatus | undefined,
        since: parseTime('--since', values.since), until: parseTime('--until', values.until), limit: parseLimit(values.limit),
      };
      return withStore(values.config, async (store) => {
        const runs = await store.runs().list(query);
        if (values.json) for (const run of runs) console.log(JSON.stringify(runJson(run)));
        else if (runs.length === 0) console.log('no runs');
        else for (const run of runs) console.log(runLine(run));
        return 0;
      });
    }
    if (!runId || !['show', 'cancel', 'replay'].includes(verb)) throw usage();
    return withStore(values.config, async (store) => {
      const run = await getRun(store, runId);
      if (verb === 'show') {
        const steps = await store.runs().steps(runId);
        if (values.json) console.log(JSON.stringify({ ...runJson(run), steps: steps.map(stepJson) }));
        else console.log(showText(run, steps));
        return 0;
      }
      if (verb === 'cancel') {
        const { run: after, cancelled } = await cancelRun(store, run);
        console.log(cancelled ? `cancelled: ${runId}` : `not cancelled: ${runId} had already ${after.status === 'cancelled' ? 'been cancelled' : after.status}`);
        return 0;
      }
      const { id, version } = await replayRun(store, run);
      console.log(`replayed: ${runId} as ${id} (${run.workflowId} version ${version})`);
      return 0;
    });
  },
};

function parseTime(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimeFilter(value);
  if (ms === undefined) throw new Error(`${flag} must be an RFC 3339 time or a date such as 2026-11-01, got "${value}"`);
  return ms;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function runLine(run: StoredRun): string {
  const why = run.failure ? `  ${run.failure.code}: ${run.failure.message}` : run.status === 'waiting' ? `  until ${iso(run.wakeAt)}` : '';
  return `${iso(run.createdAt)}  ${run.status.padEnd(9)}  ${run.id}  ${run.tenantId}/${run.workflowId} v${run.version}${why}`;
}

function showText(run: StoredRun, steps: StepRecord[]): string {
  const lines = [
    `run       ${run.id}`,
    `workflow  ${run.tenantId}/${run.workflowId} version ${run.version}`,
    `status    ${run.status}${run.failure ? ` (${run.failure.code}${run.failure.step ? ` at ${run.failure.step}` : ''}: ${run.failure.message})` : ''}`,
    `trigger   ${run.triggerKey}`,
    `created   ${iso(run.createdAt)}${run.finishedAt ? `   finished ${iso(run.finishedAt)}` : ''}${run.wakeAt ? `   wakes ${iso(run.wakeAt)}` : ''}`,
    steps.length === 0 ? 'no steps yet' : 'steps',
  ];
  for (const step of steps) {
    lines.push(`  ${step.stepPath}  #${step.attempt}  ${step.status}  ${step.finishedAt - step.startedAt} ms`);
    if (step.input !== null) lines.push(`    input   ${clip(step.input)}`);
    if (step.output !== null) lines.push(`    output  ${clip(step.output)}`);
    if (step.failure) lines.push(`    failure ${step.failure.code}: ${step.failure.message}`);
  }
  return lines.join('\n');
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

// `lianjie demo`: against a host started with `lianjie serve --simulate` (npm start), applies the example workflows
// of the config's tenants, makes simulated customers arrive through the channel codes, and shows the runs they start.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '../engine/workflow/validate.ts';
import { loadConfig } from '../config/load.ts';
import { isLianjieError } from '../errors.ts';
import { loadInstalls } from '../plugins/installs.ts';
import { openStore } from '../store/open.ts';
import type { StoredRun } from '../store/types.ts';
import { configOption, parse, type Command } from './command.ts';
import { requestCustomers, simulatorPort } from './simulate.ts';

export const demoCommand: Command = {
  name: 'demo',
  usage: `lianjie demo [--config <file>] [--workflows <dir>] [--customers <n>]

  With a host serving the same config with --simulate (npm start): applies every workflow file under --workflows
  (default: <config folder>/../workflows) whose tenant is in the config, asks the simulator for --customers
  customers (default 6) arriving through the channel codes, and prints the runs they started.`,
  async run(argv) {
    const { values } = parse(argv, { ...configOption, workflows: { type: 'string' }, customers: { type: 'string' } });
    const { config, source } = loadConfig(values.config);
    const base = source === 'demo' ? process.cwd() : path.dirname(path.resolve(source));
    const installs = await loadInstalls(config, base);
    const dir = path.resolve(values.workflows ?? path.join(base, '..', 'workflows'));
    const customers = Number(values.customers ?? 6);
    if (!Number.isInteger(customers) || customers < 1 || customers > 1000) throw new Error(`--customers must be an integer from 1 to 1000, got "${values.customers}"`);
    const tenants = config.tenants.map((t) => t.id);
    const store = openStore(config.database, { synchronous: config.sqlite.synchronous });
    try {
      await store.migrate();
      for (const file of workflowFiles(dir)) {
        const text = readFileSync(file, 'utf8');
        const raw = JSON.parse(text) as { tenantId?: string };
        if (!raw.tenantId || !tenants.includes(raw.tenantId)) continue;
        try {
          const workflow = validateWorkflow(raw, installs, { tenants });
          const { version, created } = await store.workflows().apply(workflow.tenantId, workflow.id, text);
          console.log(`${created ? 'applied' : 'unchanged'}: ${path.relative(process.cwd(), file)} (${workflow.id} version ${version})`);
        } catch (error) {
          if (!isLianjieError(error)) throw error;
          console.log(`skipped: ${path.relative(process.cwd(), file)}: ${error.message}`);
        }
      }
      const since = Date.now();
      // Where `serve --simulate` put the simulator, whatever the config says WeCom's address is.
      const arrived = await requestCustomers(`http://127.0.0.1:${simulatorPort(config)}`, customers);
      for (const a of arrived) console.log(`customer ${a.externalUserId} added ${a.userId}${a.state ? ` through "${a.state}"` : ''}`);
      const runs = await settledRuns(() => store.runs().list({ since, limit: 1000 }), arrived.length);
      for (const run of runs.reverse()) console.log(`  run ${run.id}  ${run.workflowId} v${run.version}  ${run.status}${run.failure ? `  ${run.failure.code}` : ''}`);
      console.log(`${runs.length} runs; see one with: npm run lianjie -- runs show <run id>${source === 'demo' ? '' : ` --config ${path.relative(process.cwd(), source)}`}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
}

/** The runs once at least `expected` exist and none is still pending or running (waits up to 15 s). */
async function settledRuns(list: () => Promise<StoredRun[]>, expected: number): Promise<StoredRun[]> {
  let runs: StoredRun[] = [];
  for (let waited = 0; waited < 15_000; waited += 250) {
    runs = await list();
    if (runs.length >= expected && runs.every((r) => r.status !== 'pending' && r.status !== 'running')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return runs;
}

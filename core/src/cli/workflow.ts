// `lianjie workflow validate|apply`: a workflow file checked against the host config's tenants and installed plugins, and stored.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { flattenSteps } from '../engine/workflow/walk.ts';
import { validateWorkflow } from '../engine/workflow/validate.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import { jsonErrorWhere } from '../json-error.ts';
import { loadInstalls } from '../plugins/installs.ts';
import { openStore } from '../store/open.ts';
import { configOption, parse, reportFailure, type Command } from './command.ts';

export const workflowCommand: Command = {
  name: 'workflow',
  usage: `lianjie workflow validate|apply <file> [--config <file>]

  <file>               a workflow (JSON, schemas/workflow.schema.json)
  --config, -c <file>  host config: its tenants and installs, plugin directories relative to it
                       (default ./lianjie.config.json, else the embedded demo config)

Checks the workflow as the host checks it when it is saved: the schema, that each action and plugin trigger
belongs to a plugin installed for its tenant, literal inputs against the action's input schema, unique step ids,
goto targets, and that expressions compile and name only steps that run before them. Prints "ok: <id> (<n> steps)";
otherwise one line with the reason and one line per problem, "  <pointer>: <message>", and exits 1. The host
config's installs are loaded first, so a plugin directory that does not load is reported the same way.
apply checks the same and then stores the file as the workflow's next version in the host's database, printing
"applied: <id> version <n>" (or "unchanged: <id> version <n>" when the latest version is the same text); runs keep
the version they started with.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { ...configOption });
    const [verb, file, ...extra] = positionals;
    if ((verb !== 'validate' && verb !== 'apply') || !file || extra.length) throw new Error(`usage: ${this.usage.split('\n')[0]}`);
    try {
      const { config, source } = loadConfig(values.config);
      const installs = await loadInstalls(config, source === 'demo' ? process.cwd() : path.dirname(path.resolve(source)));
      const text = readText(file);
      const workflow = validateWorkflow(parseWorkflow(file, text), installs, { tenants: config.tenants.map((t) => t.id) });
      if (verb === 'validate') {
        console.log(`ok: ${workflow.id} (${flattenSteps(workflow).length} steps)`);
        return 0;
      }
      const store = openStore(config.database, { synchronous: config.sqlite.synchronous });
      try {
        await store.migrate();
        const { version, created } = await store.workflows().apply(workflow.tenantId, workflow.id, text);
        console.log(`${created ? 'applied' : 'unchanged'}: ${workflow.id} version ${version}`);
      } finally {
        await store.close();
      }
      return 0;
    } catch (error) {
      if (!isLianjieError(error)) throw error;
      // The one-line reason names the first problems only; here the point is to see every one.
      reportFailure(error);
      for (const detail of error.details) console.error(`  ${detail.pointer}: ${detail.message}`);
      return 1;
    }
  },
};

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function parseWorkflow(file: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new LianjieError('workflow.invalid', `${file} is ${jsonErrorWhere(text, error)}`);
  }
}

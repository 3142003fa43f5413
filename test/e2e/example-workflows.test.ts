// Every example workflow under examples/workflows against the plugins the demo config installs (as `lianjie demo`
// applies them), so an example can never drift from the plugins, their inputs or the demo's installs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/src/config/load.ts';
import type { HostConfig } from '../../core/src/config/types.ts';
import { compileExpression } from '../../core/src/engine/expressions/compile.ts';
import { evaluateCondition } from '../../core/src/engine/expressions/evaluate.ts';
import { validateWorkflow } from '../../core/src/engine/workflow/validate.ts';
import type { Workflow } from '../../core/src/generated/workflow.ts';
import { loadInstalls } from '../../core/src/plugins/installs.ts';
import type { Install } from '../../core/src/plugins/types.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const examples = path.join(repo, 'examples/workflows');
const demoConfigFile = path.join(repo, 'examples/demo/lianjie.config.json');
const world = JSON.parse(readFileSync(path.join(repo, 'examples/demo/world.json'), 'utf8')) as Record<string, { contactWays: { state: string; users: string[] }[] }>;

/** Every workflow file, as a path relative to examples/workflows, in the order `lianjie demo` applies them. */
const files = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
const read = (file: string): Record<string, any> => JSON.parse(readFileSync(path.join(examples, file), 'utf8'));

let config: HostConfig;
let installs: Install[];
let tenants: string[];
const workflows = new Map<string, Workflow>();

beforeAll(async () => {
  config = loadConfig(demoConfigFile, {}).config;
  installs = await loadInstalls(config, path.dirname(demoConfigFile));
  tenants = config.tenants.map((t) => t.id);
  for (const file of files) {
    try {
      workflows.set(file, validateWorkflow(read(file), installs, { tenants }));
    } catch {
      // reported by the test of that file
    }
  }
});

describe('examples/workflows', () => {
  it('has workflows for each vertical', () => {
    const verticals = new Set(files.map((f) => f.split(path.sep)[0]));
    expect([...verticals].sort()).toEqual(['car-dealer', 'education', 'jewellery', 'retail']);
    expect(files).toContain(path.join('retail', 'channel-welcome.json'));
    expect(files).toContain(path.join('retail', 'store-welcome.json'));
  });

  it.each(files)('%s is a workflow of tenant demo that validates against the demo installs', (file) => {
    const raw = read(file);
    expect(raw.tenantId).toBe('demo');
    expect(() => validateWorkflow(raw, installs, { tenants })).not.toThrow();
  });

  it('gives every workflow its own id (the demo applies them all to one tenant)', () => {
    const ids = files.map((f) => read(f).id as string);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every plugin the demo installs, and names each workflow file in its README', () => {
    const named = new Set<string>();
    for (const workflow of workflows.values()) {
      const ref = 'plugin' in workflow.trigger ? workflow.trigger.plugin : undefined;
      if (ref) named.add(ref.split('/')[0]!);
      for (const ref of actionsOf(workflow.steps)) named.add(ref.split('/')[0]!);
    }
    expect([...named].sort()).toEqual(installs.map((i) => i.plugin.manifest.id).sort());
    const readme = readFileSync(path.join(examples, 'README.md'), 'utf8');
    for (const file of files) expect(readme, `README.md does not name ${file}`).toContain(file.split(path.sep).join('/'));
  });

  it('grants each install what its workflows call, and a webhook secret where a workflow starts from a webhook', () => {
    for (const workflow of workflows.values()) {
      if (!('plugin' in workflow.trigger)) continue;
      const [pluginId, triggerId] = workflow.trigger.plugin.split('/') as [string, string];
      const install = installs.find((i) => i.tenantId === workflow.tenantId && i.plugin.manifest.id === pluginId)!;
      const kind = install.plugin.manifest.triggers.find((t) => t.id === triggerId)?.kind;
      const entry = config.installs.find((i) => i.id === install.id)!;
      if (kind === 'webhook') expect(entry.webhookSecret, `${workflow.id}: install ${install.id} has no webhookSecret`).toBeTruthy();
    }
    for (const install of installs) {
      // A first-party plugin asks for what it uses; the demo grants all of it (store-membership's coupon http included).
      expect([...install.grants].sort(), install.id).toEqual([...(install.plugin.manifest.permissions as string[])].sort());
    }
  });

  it('welcomes a customer arriving through each of the demo world\'s channel codes with exactly one workflow', async () => {
    const welcomes = [...workflows.values()].filter((w) => 'event' in w.trigger && w.trigger.event === 'wecom.external_contact.add' && usesWelcomeCode(w.steps));
    for (const [tenantId, seed] of Object.entries(world)) {
      for (const way of seed.contactWays) {
        const trigger = {
          type: 'wecom.external_contact.add', tenantId,
          data: { changeType: 'add_external_contact', userId: way.users[0], externalUserId: 'wmDemo', state: way.state, welcomeCode: 'W1' },
        };
        const started: string[] = [];
        for (const workflow of welcomes.filter((w) => w.tenantId === tenantId)) {
          const condition = workflow.trigger.if;
          const holds = condition === undefined
            || await evaluateCondition(compileExpression(condition, '/trigger/if'), { trigger, steps: {}, install: {}, now: new Date().toISOString() });
          if (holds) started.push(workflow.id);
        }
        expect(started, `channel code "${way.state}"`).toHaveLength(1);
      }
    }
  });
});

function actionsOf(steps: readonly unknown[]): string[] {
  return steps.flatMap((step: any): string[] => [
    ...(typeof step.action === 'string' ? [step.action] : []),
    ...actionsOf(step.branch?.then ?? []), ...actionsOf(step.branch?.else ?? []), ...actionsOf(step.forEach?.steps ?? []),
  ]);
}

/** Whether a step passes the event's welcome code on: WeCom takes one welcome per code. */
function usesWelcomeCode(steps: readonly unknown[]): boolean {
  return steps.some((step: any) => JSON.stringify(step.input ?? {}).includes('trigger.data.welcomeCode')
    || usesWelcomeCode([...(step.branch?.then ?? []), ...(step.branch?.else ?? []), ...(step.forEach?.steps ?? [])]));
}

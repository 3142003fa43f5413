// `lianjie workflow validate` as a real process: plugin directories installed by a host config, workflows checked against them.
// The shipped example (tenant demo, on the first-party plugins) is checked against the demo config's installs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { folder, lines, repo, run, useCliSandbox, writeConfig } from '../support/cli.ts';
import { demoCorpId } from '../support/host.ts';
import { testManifest, writePluginDir } from '../support/plugins.ts';

useCliSandbox();

const example = path.join(repo, 'examples/workflows/retail/store-welcome.json');
const source = 'lianjie.register({ actions: {} });';
const welcomeInput = { type: 'object', properties: { welcomeCode: { type: 'string' }, text: { type: 'string', minLength: 1 } }, required: ['text'], additionalProperties: false };

let cwd: string;
let config: string;
/** examples/demo/lianjie.config.json with its database in the test's folder and its plugin directories absolute. */
let demoConfig: string;

beforeAll(async () => {
  cwd = folder('workflow-validate');
  await Promise.all([
    writePluginDir(path.join(cwd, 'plugins/customer-tags'), testManifest('lianjie.customer-tags', ['add']), source),
    writePluginDir(path.join(cwd, 'plugins/welcome'), testManifest('lianjie.welcome', [], { actions: [{ id: 'send', input: welcomeInput, output: {} }] }), source),
    writePluginDir(path.join(cwd, 'plugins/reminders'), testManifest('lianjie.reminders', ['notify-staff']), source),
  ]);
  config = writeConfig(cwd, {
    database: 'lianjie.db',
    tenants: [{ id: 'acme', corpId: demoCorpId }],
    installs: ['customer-tags', 'welcome', 'reminders'].map((name) => ({ id: `acme-${name}`, tenant: 'acme', plugin: `plugins/${name}` })),
  }, 'host.json');
  const demo = JSON.parse(readFileSync(path.join(repo, 'examples/demo/lianjie.config.json'), 'utf8')) as Record<string, any>;
  demoConfig = writeConfig(cwd, {
    ...demo, database: 'demo.db',
    installs: demo.installs.map((i: { plugin: string }) => ({ ...i, plugin: path.resolve(repo, 'examples/demo', i.plugin) })),
  }, 'demo.json');
});

const validate = (file: string, ...args: string[]) => run(['workflow', 'validate', file, ...args], { cwd });

function writeWorkflow(name: string, value: unknown): string {
  const file = path.join(cwd, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

describe('lianjie workflow validate', () => {
  it('accepts the shipped example against a config that installs its plugins, counting nested steps', async () => {
    const result = await validate(example, '--config', demoConfig);
    expect(result).toMatchObject({ code: 0, stdout: 'ok: store-welcome (4 steps)\n', stderr: '' });
    const nested = writeWorkflow('nested.json', {
      id: 'nested', name: 'Nested', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
      steps: [{ id: 'fork', branch: { if: 'true', then: [{ id: 'hello', action: 'lianjie.welcome/send', input: { text: 'hi' } }], else: [{ id: 'done', stop: { status: 'completed' } }] } }],
    });
    expect((await validate(nested, '-c', config)).stdout).toBe('ok: nested (3 steps)\n');
  });

  it('prints the reason, then one line per problem with its pointer, and exits 1', async () => {
    const file = writeWorkflow('broken.json', {
      id: 'broken', name: 'Broken', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add', if: 'steps.tag.ok' },
      steps: [
        { id: 'tag', action: 'lianjie.customer-tags/remove' },
        { id: 'hello', action: 'lianjie.welcome/send', input: { txt: 'hi' } },
        { id: 'later', wait: 'P3X', onError: { goto: 'tag' } },
      ],
    });
    const result = await validate(file, '--config', config);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(lines(result.stderr)).toEqual([
      'lianjie: workflow.invalid: invalid workflow broken: /trigger/if names steps.tag, but the trigger\'s condition is evaluated before any step runs; /steps/0/action lianjie.customer-tags@1.0.0 has no action "remove" (its actions: add); /steps/1/input/text is required; and 3 more',
      '  /trigger/if: names steps.tag, but the trigger\'s condition is evaluated before any step runs',
      '  /steps/0/action: lianjie.customer-tags@1.0.0 has no action "remove" (its actions: add)',
      '  /steps/1/input/text: is required',
      '  /steps/1/input/txt: is not an allowed key here',
      '  /steps/2/wait: must be an ISO 8601 duration such as P3D, PT2H or P1DT12H (weeks, days, hours, minutes, seconds; no years or months)',
      '  /steps/2/onError/goto: names step "tag" (/steps/0), which does not come after this step: goto jumps forward',
    ]);
  });

  it('checks the workflow\'s tenant against the config\'s tenants', async () => {
    const file = writeWorkflow('other-tenant.json', { id: 'x', name: 'X', tenantId: 'beta', trigger: { event: 'wecom.external_contact.add' }, steps: [] });
    const result = await validate(file, '--config', config);
    expect(lines(result.stderr).slice(1)).toEqual(['  /tenantId: no tenant "beta" (tenants: acme)']);
  });

  it('reports installs that do not load the same way, before looking at the workflow', async () => {
    const bad = writeConfig(cwd, {
      database: 'lianjie.db', tenants: [{ id: 'acme', corpId: demoCorpId }],
      installs: [{ id: 'gone', tenant: 'acme', plugin: 'plugins/gone' }, { id: 'w', tenant: 'acme', plugin: 'plugins/welcome', grants: ['store'] }],
    }, 'bad-installs.json');
    const result = await validate(example, '--config', bad);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^lianjie: config\.invalid: invalid config: \/installs\/0\/plugin manifest\.invalid: cannot read the plugin manifest .*plugins\/gone\/plugin\.json: no such file; \/installs\/1\/grants\/0 /),
      `  /installs/0/plugin: manifest.invalid: cannot read the plugin manifest ${path.join(cwd, 'plugins/gone/plugin.json')}: no such file`,
      '  /installs/1/grants/0: "store" is not a permission lianjie.welcome declares (it declares: none)',
    ]);
  });

  it('uses the embedded demo config, which has tenant demo and installs nothing, when there is no ./lianjie.config.json', async () => {
    const result = await run(['workflow', 'validate', example], { cwd: folder('workflow-demo') });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toContain('  /steps/0/action: no plugin "lianjie.store-membership" is installed for tenant "demo" (it has no plugins installed)');
    expect(lines(result.stderr)).toContain('  /steps/1/action: no plugin "lianjie.customer-tags" is installed for tenant "demo" (it has no plugins installed)');
    expect(result.stderr).not.toContain('/tenantId');
  });

  it('refuses files that cannot be read or are not JSON, and bad arguments, with one line', async () => {
    const notJson = writeWorkflow('not-json.json', '{ "id": "x",\n  steps: [] }');
    const [json, missing, usage, extra] = await Promise.all([
      validate(notJson, '--config', config),
      validate(path.join(cwd, 'nowhere.json'), '--config', config),
      run(['workflow', 'run', example], { cwd }),
      validate(example, 'another.json'),
    ]);
    expect(json).toMatchObject({ code: 1, stdout: '', stderr: `lianjie: workflow.invalid: ${notJson} is not valid JSON at line 2, column 3\n` });
    expect(missing).toMatchObject({ code: 1, stderr: `lianjie: cannot read ${path.join(cwd, 'nowhere.json')}: ENOENT\n` });
    for (const result of [usage, extra]) expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'lianjie: usage: lianjie workflow validate|apply <file> [--config <file>]\n' });
  });

  it('--help prints the usage and exits 0; the overview lists the command', async () => {
    const [help, overview] = await Promise.all([run(['workflow', '--help'], { cwd }), run(['--help'], { cwd })]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: lianjie workflow validate\|apply <file> \[--config <file>\]/);
    expect(help.stdout).toContain('--config, -c <file>');
    expect(overview.stdout).toMatch(/^ {2}workflow {3}check a workflow file/m);
  });
});

describe('lianjie workflow apply', () => {
  it('stores a valid workflow as its next version, leaves an unchanged one alone, and refuses an invalid one', async () => {
    const apply = (file: string) => run(['workflow', 'apply', file, '--config', demoConfig], { cwd });
    const first = await apply(example);
    expect(first, first.stderr).toMatchObject({ code: 0, stdout: 'applied: store-welcome version 1\n' });
    expect((await apply(example)).stdout).toBe('unchanged: store-welcome version 1\n');
    const changed = JSON.parse(readFileSync(example, 'utf8')) as { name: string };
    changed.name = 'Store welcome, second edition';
    expect((await apply(writeWorkflow('second.json', changed))).stdout).toBe('applied: store-welcome version 2\n');
    const broken = await apply(writeWorkflow('apply-broken.json', { id: 'x', name: 'x', tenantId: 'demo', trigger: { event: 'wecom.external_contact.add' }, steps: [{ id: 'a', action: 'nope/none' }] }));
    expect(broken).toMatchObject({ code: 1, stdout: '' });
    expect(broken.stderr).toMatch(/^lianjie: workflow\.invalid: /);
  });
});

// The demo as README tells it, as real processes: `lianjie serve --simulate` (npm start) with the demo config and
// world, then `lianjie demo` (npm run demo): simulated customers arrive through the channel codes, the example
// workflows run against the simulated WeCom, and the runs are listed.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder, repo, run, serve, useCliSandbox, writeConfig } from '../support/cli.ts';

useCliSandbox();

/** A port nothing listens on right now. */
const freePort = () => new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

describe('npm start + npm run demo', () => {
  it('serves with an attached simulator; the demo applies the workflows and its customers start completed runs', async () => {
    const dir = folder('demo');
    const demo = JSON.parse(readFileSync(path.join(repo, 'examples/demo/lianjie.config.json'), 'utf8')) as Record<string, any>;
    const simulatorPort = await freePort();
    const config = writeConfig(dir, {
      ...demo, database: `file:${path.join(dir, 'demo.db')}`, port: 0, logLevel: 'warn', wecom: { baseUrl: `http://127.0.0.1:${simulatorPort}` },
      installs: demo.installs.map((i: { plugin: string }) => ({ ...i, plugin: path.resolve(repo, 'examples/demo', i.plugin) })),
    });
    const host = await serve(['--config', config, '--simulate', '--world', path.join(repo, 'examples/demo/world.json')], { cwd: dir });
    expect(host.output().stdout).toContain(`WeCom         simulated at http://127.0.0.1:${simulatorPort}`);

    const result = await run(['demo', '--config', config, '--workflows', path.join(repo, 'examples/workflows'), '--customers', '3'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/applied: .*channel-welcome\.json/);
    expect(result.stdout).toContain('through "store-42"');
    const runs = result.stdout.split('\n').filter((line) => line.trimStart().startsWith('run '));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const line of runs) expect(line).toContain('completed');

    const state = (await (await fetch(`http://127.0.0.1:${simulatorPort}/_simulator/effects`)).json()) as { effects: { path: string; errcode: number }[] };
    const welcomes = state.effects.filter((e) => e.path === '/cgi-bin/externalcontact/send_welcome_msg' && e.errcode === 0);
    expect(welcomes).toHaveLength(3);

    const again = await run(['demo', '--config', config, '--workflows', path.join(repo, 'examples/workflows'), '--customers', '1'], { cwd: dir });
    expect(again.stdout).toMatch(/unchanged: .*channel-welcome\.json/);
  }, 120_000);
});

// The README tour's workflow step, command by command: apply examples/tour/greet-texts.json with the tour config,
// start the host, send WeCom's sample callback, and find a completed run greeting its sender.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder, repo, run, serve, sleep, useCliSandbox, writeConfig } from '../support/cli.ts';

useCliSandbox();

// Tour step 2: WeCom's vector B2, a text message "hello" from mycreate.
const b2 = {
  query: 'msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149',
  body: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>',
};

describe('the tour: a workflow runs', () => {
  it('applies the example workflow, and a text message starts a run that greets its sender', async () => {
    // The tour's config as written, with its database and plugin moved so the test leaves the repository alone.
    const dir = folder('tour');
    const tour = JSON.parse(readFileSync(path.join(repo, 'examples/tour/lianjie.config.json'), 'utf8'));
    const config = writeConfig(dir, {
      ...tour, database: `file:${path.join(dir, 'tour.db')}`, port: 0, logLevel: 'silent',
      installs: tour.installs.map((i: { plugin: string }) => ({ ...i, plugin: path.resolve(repo, 'examples/tour', i.plugin) })),
    });
    const workflow = path.join(repo, 'examples/tour/greet-texts.json');
    const applied = await run(['workflow', 'apply', workflow, '--config', config], { cwd: dir });
    expect(applied.stdout.trim()).toBe('applied: greet-texts version 1');

    const host = await serve(['--config', config], { cwd: dir });
    const response = await fetch(`${host.url}/wecom/callback/demo/crm?${b2.query}`, { method: 'POST', body: b2.body });
    expect(await response.text()).toBe('success');

    let runs: { id: string; status: string }[] = [];
    for (let i = 0; i < 100 && runs[0]?.status !== 'completed'; i++) {
      await sleep(100);
      const listed = await run(['runs', 'list', '--tenant', 'demo', '--json', '--config', config], { cwd: dir });
      runs = listed.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    }
    expect(runs).toMatchObject([{ status: 'completed', workflowId: 'greet-texts' }]);
    const shown = await run(['runs', 'show', runs[0]!.id, '--json', '--config', config], { cwd: dir });
    expect(JSON.parse(shown.stdout).steps).toMatchObject([{ step: 'greet', status: 'completed', input: { name: 'mycreate' }, output: { text: 'Hello, mycreate', visits: 1 } }]);
    host.child.kill('SIGTERM');
    await host.exited;
  });
});

// The `lianjie` CLI as real processes: help, one-line failures from a bad config, migrate, and `events list` against a live `serve`.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import {
  appKeys, childEnv, contactAddedXml, exitWithin, folder, lines, liveConfig, run, serve, sleep, useCliSandbox, writeConfig, type Result,
} from '../support/cli.ts';
import { demoCorpId, demoKeys, demoSuiteId } from '../support/host.ts';

useCliSandbox();

describe('lianjie help', () => {
  it('--help lists serve, migrate and events and exits 0', async () => {
    const result = await run(['--help'], { cwd: folder('help') });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: lianjie <command>/);
    for (const name of ['serve', 'migrate', 'events']) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it('<command> --help prints that command\'s usage and exits 0, before reading any config', async () => {
    const cwd = folder('sub-help');
    const bad = writeConfig(cwd, { database: 'x.db', port: 'not a port' });
    const [serveHelp, migrateHelp, eventsHelp] = await Promise.all([
      run(['serve', '--help'], { cwd }),
      run(['migrate', '-c', bad, '-h'], { cwd }),
      run(['events', 'list', '--tenant', 'acme', '--help'], { cwd }),
    ]);
    for (const [result, name] of [[serveHelp, 'serve'], [migrateHelp, 'migrate'], [eventsHelp, 'events']] as const) {
      expect(result, name).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.startsWith(`usage: lianjie ${name} `), result.stdout).toBe(true);
      expect(result.stdout).toContain('--config, -c <file>');
    }
    expect(serveHelp.stdout).toContain('--port <n>');
    for (const option of ['--tenant <id>', '--suite <id>', '--type <type>', '--limit <n>', '--json']) expect(eventsHelp.stdout).toContain(option);
    expect(readdirSync(cwd)).toEqual(['lianjie.config.json']);
  });

  it('an unknown command exits 1 with a one-line reason, then the overview; no command shows the overview and exits 1', async () => {
    const cwd = folder('unknown');
    const [unknown, none] = await Promise.all([run(['frobnicate', '--config', 'x.json'], { cwd }), run([], { cwd })]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr.split('\n')[0]).toBe('lianjie: unknown command "frobnicate"');
    expect(unknown.stderr).toContain('usage: lianjie <command>');
    expect(none).toMatchObject({ code: 1, stderr: '' });
    expect(none.stdout).toMatch(/^usage: lianjie <command>/);
  });
});

describe('lianjie with a bad config', () => {
  it('serve and migrate exit 1 with one line naming the JSON pointer, and nothing on stdout', async () => {
    const cwd = folder('bad-config');
    const bad = writeConfig(cwd, {
      database: 'lianjie.db', logLevel: 'silent',
      tenants: [{ id: 'acme', corpId: demoCorpId, apps: [{ id: 'crm', token: 'bad token', encodingAesKey: demoKeys.encodingAesKey }] }],
    });
    const unsetEnv = writeConfig(cwd, {
      database: 'lianjie.db', logLevel: 'silent',
      tenants: [{ id: 'acme', corpId: demoCorpId, apps: [{ id: 'crm', token: { env: 'LIANJIE_E2E_UNSET_TOKEN' }, encodingAesKey: demoKeys.encodingAesKey }] }],
    }, 'unset-env.json');
    const mysql = writeConfig(cwd, { database: 'mysql://root:hunter2@db/app', logLevel: 'silent' }, 'mysql.json');
    const env = childEnv();
    delete env.LIANJIE_E2E_UNSET_TOKEN;

    const [serveBad, migrateBad, missingSecret, otherDatabase, unreadable] = await Promise.all([
      run(['serve', '--config', bad, '--port', '0'], { cwd }),
      run(['migrate', '-c', bad], { cwd }),
      run(['migrate', '-c', unsetEnv], { cwd, env }),
      run(['migrate', '-c', mysql], { cwd }),
      run(['migrate', '-c', path.join(cwd, 'missing.json')], { cwd }),
    ]);
    const oneLine = (result: Result) => {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(lines(result.stderr)).toHaveLength(1);
      return result.stderr.trim();
    };
    for (const result of [serveBad, migrateBad]) {
      expect(oneLine(result)).toBe('lianjie: config.invalid: invalid config: /tenants/0/apps/0/token must be a WeCom callback Token of 1 to 32 letters or digits');
    }
    expect(oneLine(missingSecret)).toBe('lianjie: config.secret_missing: config refers to unset environment variables: /tenants/0/apps/0/token environment variable LIANJIE_E2E_UNSET_TOKEN is not set');
    // A URL the host does not speak is refused, not turned into a SQLite file under ./mysql:/…
    expect(oneLine(otherDatabase)).toBe('lianjie: config.invalid: database "mysql://***@db/app" is neither a postgres:// URL nor a SQLite file');
    expect(oneLine(unreadable)).toMatch(/^lianjie: config\.unreadable: cannot read config .*missing\.json: ENOENT/);
    // Nothing was created: every failure came before the database was opened.
    expect(readdirSync(cwd).sort()).toEqual(['lianjie.config.json', 'mysql.json', 'unset-env.json']);
  });
});

describe('lianjie migrate', () => {
  it('creates the SQLite file beside the config, not in the working directory, and confirms', async () => {
    const cwd = folder('migrate-cwd');
    const configDir = folder('migrate-config');
    const config = writeConfig(configDir, { database: 'data/lianjie.db', logLevel: 'silent' });
    const result = await run(['migrate', '--config', config], { cwd });
    expect(result).toMatchObject({ code: 0, stdout: 'migrations applied (sqlite)\n', stderr: '' });
    expect(existsSync(path.join(configDir, 'data', 'lianjie.db'))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('lianjie events list', () => {
  it('needs exactly one of --tenant and --suite, and says so before touching any database', async () => {
    const cwd = folder('events-args');
    const [neither, both, noList, badLimit] = await Promise.all([
      run(['events', 'list'], { cwd }),
      run(['events', 'list', '--tenant', 'acme', '--suite', demoSuiteId], { cwd }),
      run(['events', '--tenant', 'acme'], { cwd }),
      run(['events', 'list', '--tenant', 'acme', '--limit', '0'], { cwd }),
    ]);
    for (const result of [neither, both]) {
      expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'lianjie: give exactly one of --tenant <id> or --suite <id>\n' });
    }
    expect(noList).toMatchObject({ code: 1, stdout: '' });
    expect(noList.stderr).toMatch(/^lianjie: usage: lianjie events list \(--tenant <id> \| --suite <id>\)/);
    expect(badLimit).toMatchObject({ code: 1, stdout: '', stderr: 'lianjie: --limit must be a positive integer, got "0"\n' });
    // The demo config would have created ./data/lianjie-demo.db had any of them got that far.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('lists the events a running `serve` stored, as JSON lines or a table, filtered by type; SIGTERM stops serve cleanly', { timeout: 180_000 }, async () => {
    const cwd = folder('live-cwd');
    const dir = folder('live');
    const config = writeConfig(dir, liveConfig('lianjie.db'));
    const database = path.join(dir, 'lianjie.db');
    const server = await serve(['--config', config], { cwd });

    const banner = lines(server.output().stdout);
    expect(banner[0]).toBe(`lianjie listening on ${server.url} (config: ${config}, database: sqlite)`);
    expect(banner).toContain(`  callback URL  ${server.url}/wecom/callback/acme/crm`);
    expect(banner).toContain(`  suite URL     ${server.url}/wecom/suite/${demoSuiteId}`);

    const text = `<xml><ToUserName><![CDATA[${demoCorpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>` +
      `<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello from the CLI test]]></Content>` +
      `<MsgId>7311111111111111111</MsgId><AgentID>218</AgentID></xml>`;
    for (const message of [text, contactAddedXml('wmCliTest')]) {
      const cb = signedCallback(appKeys, message, { agentId: 218 });
      const response = await fetch(`${server.url}/wecom/callback/acme/crm?${cb.query}`, { method: 'POST', body: cb.body, headers: { 'content-type': 'text/xml' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('success');
    }

    // The decoder turns inbox rows into events in the background: poll until both are listed.
    const events = (args: string[]) => run(['events', 'list', '--config', config, ...args], { cwd });
    let listed: Result | undefined;
    for (let attempt = 0; attempt < 15; attempt++) {
      listed = await events(['--tenant', 'acme', '--json']);
      if (lines(listed.stdout).length >= 2) break;
      await sleep(200);
    }
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const all = lines(listed!.stdout).map((line) => JSON.parse(line) as Record<string, any>);
    expect(all).toHaveLength(2);
    for (const event of all) {
      expect(event).toMatchObject({ tenantId: 'acme', appId: 'crm' });
      expect(typeof event.id).toBe('string');
      expect(typeof event.receivedAt).toBe('string');
    }
    expect(all.map((e) => e.type).sort()).toEqual(['wecom.external_contact.add', 'wecom.message.text']);
    expect(all.find((e) => e.type === 'wecom.message.text')!.data).toMatchObject({ content: 'hello from the CLI test', fromUserName: 'zhangsan' });
    expect(all.map((e) => e.receivedAt)).toEqual(all.map((e) => e.receivedAt).sort().reverse()); // newest first

    const [byType, table, otherTenant, limited, noSuiteEvents] = await Promise.all([
      events(['--tenant', 'acme', '--type', 'wecom.external_contact.add', '--json']),
      events(['--tenant', 'acme']),
      events(['--tenant', 'beta', '--json']),
      events(['--tenant', 'acme', '--limit', '1', '--json']),
      events(['--suite', demoSuiteId]),
    ]);
    expect(byType).toMatchObject({ code: 0, stderr: '' });
    const added = lines(byType.stdout).map((line) => JSON.parse(line) as Record<string, any>);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ type: 'wecom.external_contact.add', data: { userId: 'zhangsan', externalUserId: 'wmCliTest' } });

    expect(table).toMatchObject({ code: 0, stderr: '' });
    const rows = lines(table.stdout);
    expect(rows).toHaveLength(2);
    all.forEach((event, i) => {
      expect(rows[i]!.startsWith(`${event.receivedAt}  ${event.type}`)).toBe(true);
      expect(rows[i]).toContain(`  ${event.id}  `);
      expect(rows[i]).toContain(JSON.stringify(event.data).slice(0, 40));
    });

    expect(otherTenant).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(lines(limited.stdout).map((line) => JSON.parse(line).id)).toEqual([all[0]!.id]);
    expect(noSuiteEvents).toMatchObject({ code: 0, stdout: 'no events\n', stderr: '' });

    const stopping = Date.now();
    server.child.kill('SIGTERM');
    const result = await exitWithin(server.exited, 10_000);
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(Date.now() - stopping).toBeLessThan(10_000);
    // The store was closed, not abandoned: SQLite folds the write-ahead log back in on the last close.
    expect(existsSync(`${database}-wal`)).toBe(false);
    expect(existsSync(database)).toBe(true);
  });
});

// The `lianjie` CLI as real processes: help, one-line failures, migrate, `events list` against a live `serve`,
// the demo config, graceful shutdown, and the core/bin/lianjie.js launcher under older and current Node.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { demoCorpId, demoKeys, demoSuiteId, suiteCorpId } from '../support/host.ts';
import { freshTempDir, type TempDir } from '../support/tmp.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'core/src/cli/main.ts');
const launcher = path.join(repo, 'core/bin/lianjie.js');
const appKeys = { ...demoKeys, receiveId: demoCorpId };

/** The machine's own node when it is older than 24 (the launcher must re-exec), else undefined. */
const olderNode = (() => {
  const candidate = '/usr/bin/node';
  if (!existsSync(candidate)) return undefined;
  try {
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
    return Number(version.replace(/^v/, '').split('.')[0]) < 24 ? candidate : undefined;
  } catch {
    return undefined;
  }
})();

// Children get the test's environment minus anything that would change how node starts.
const childEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const { NODE_OPTIONS: _options, ...rest } = process.env;
  return { ...rest, ...extra };
};

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  cwd: string;
  /** The node binary and its arguments before the CLI's; default the pinned Node 24 running main.ts. */
  command?: [string, ...string[]];
  env?: NodeJS.ProcessEnv;
  /** Start in a new process group, so a signal can reach the whole group as a terminal's Ctrl-C does. */
  detached?: boolean;
}

/** Children still running, and whether each leads its own process group (then its children die with it). */
const running = new Map<ChildProcess, boolean>();

function start(args: string[], options: RunOptions): { child: ChildProcess; output: () => Result; exited: Promise<Result> } {
  const [node, ...pre] = options.command ?? [process.execPath, '--no-node-snapshot', cli];
  const child = spawn(node, [...pre, ...args], {
    cwd: options.cwd, env: options.env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false,
  });
  running.set(child, options.detached ?? false);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const output = (): Result => ({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
  const exited = new Promise<Result>((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': every byte of stdout and stderr has arrived.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output, exited };
}

/** Runs the CLI to completion (killed after 60 s). */
async function run(args: string[], options: RunOptions): Promise<Result> {
  const { child, exited } = start(args, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

interface Server {
  child: ChildProcess;
  url: string;
  output: () => Result;
  exited: Promise<Result>;
}

/** Starts `serve` and resolves once it has printed its address. */
async function serve(args: string[], options: RunOptions): Promise<Server> {
  const { child, output, exited } = start(['serve', ...args], options);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no address in 60 s: ${JSON.stringify(output())}`)), 60_000);
    const look = () => {
      const match = /lianjie listening on (http:\/\/\S+)/.exec(output().stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((result) => {
      clearTimeout(timer);
      reject(new Error(`serve exited before listening: ${JSON.stringify(result)}`));
    });
  });
  return { child, url, output, exited };
}

/** Waits for the process to end, failing if that takes longer than `ms`. */
async function exitWithin(exited: Promise<Result>, ms: number): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms); });
  try {
    return await Promise.race([exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const contactAddedXml = (externalUserId: string) =>
  `<xml><ToUserName><![CDATA[${demoCorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
  `<CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>` +
  `<ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID>` +
  `<ExternalUserID><![CDATA[${externalUserId}]]></ExternalUserID></xml>`;

let tmp: TempDir;
beforeAll(async () => {
  tmp = await freshTempDir('lianjie-cli-');
});
afterAll(async () => {
  for (const [child, group] of running) {
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  await tmp?.remove();
});

/** A fresh folder under the test's temp dir. */
function folder(name: string): string {
  const dir = tmp.file(name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function writeConfig(dir: string, config: unknown, name = 'lianjie.config.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const liveConfig = (database: string) => ({
  database, host: '127.0.0.1', port: 0, logLevel: 'silent',
  tenants: [
    { id: 'acme', name: 'Acme Fruit', corpId: demoCorpId, apps: [{ id: 'crm', agentId: 218, ...demoKeys }] },
    { id: 'beta', name: 'Beta Jewels', corpId: suiteCorpId, apps: [] },
  ],
  suites: [{ id: demoSuiteId, ...demoKeys }],
});

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

describe('lianjie serve with the demo config', () => {
  it('prints the demo callback and suite URLs, answers /healthz, and stops on SIGTERM', { timeout: 120_000 }, async () => {
    const cwd = folder('demo');
    const server = await serve(['--port', '0'], { cwd });
    const stdout = server.output().stdout;
    expect(stdout).toContain(`lianjie listening on ${server.url} (config: demo, database: sqlite)`);
    expect(server.url).not.toMatch(/:8080$/); // --port 0 overrides the demo's 8080
    expect(stdout).toContain(`  callback URL  ${server.url}/wecom/callback/demo/crm\n`);
    expect(stdout).toContain(`  suite URL     ${server.url}/wecom/suite/wwdemosuite0001\n`);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(existsSync(path.join(cwd, 'data', 'lianjie-demo.db'))).toBe(true);

    server.child.kill('SIGTERM');
    const result = await exitWithin(server.exited, 10_000);
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(existsSync(path.join(cwd, 'data', 'lianjie-demo.db-wal'))).toBe(false);
  });
});

describe('core/bin/lianjie.js', () => {
  // Every node that starts prints its version and flags to stderr, so the test sees which processes ran.
  const reporter = () => {
    const file = tmp.file('report-node.cjs');
    writeFileSync(file, "process.stderr.write(`node ${process.version} [${process.execArgv.join(' ')}]\\n`);\n");
    return childEnv({ NODE_OPTIONS: `--require ${file}` });
  };
  const pinned = `node ${process.version} [--no-node-snapshot]`;

  it.skipIf(!olderNode)('started by the machine\'s older Node, re-executes the CLI on the pinned Node 24 and passes on its exit code', async () => {
    const cwd = folder('launcher-old');
    const env = reporter();
    const [help, unknown] = await Promise.all([
      run(['--help'], { cwd, env, command: [olderNode!, launcher] }),
      run(['frobnicate'], { cwd, env, command: [olderNode!, launcher] }),
    ]);
    expect(help.code).toBe(0);
    for (const name of ['serve', 'migrate', 'events']) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    const started = lines(help.stderr);
    expect(started).toHaveLength(2);
    expect(started[0]).toMatch(/^node v(1\d|2[0-3])\.\S+ \[\]$/); // the launcher itself
    expect(started[1]).toBe(pinned); // the CLI, on the pinned node with --no-node-snapshot
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('lianjie: unknown command "frobnicate"');
  });

  it('started by Node 24 re-executes itself only when --no-node-snapshot is missing', async () => {
    const cwd = folder('launcher-24');
    const env = reporter();
    const [without, withFlag] = await Promise.all([
      run(['--help'], { cwd, env, command: [process.execPath, launcher] }),
      run(['--help'], { cwd, env, command: [process.execPath, '--no-node-snapshot', launcher] }),
    ]);
    expect(without.code).toBe(0);
    expect(lines(without.stderr)).toEqual([`node ${process.version} []`, pinned]);
    expect(without.stdout).toMatch(/^usage: lianjie <command>/);
    expect(withFlag.code).toBe(0);
    expect(lines(withFlag.stderr)).toEqual([pinned]);
    expect(withFlag.stdout).toBe(without.stdout);
  });

  // Ctrl-C in a terminal signals the launcher and the CLI alike, and the launcher forwards its copy as well: serve
  // must not die of the second SIGINT halfway through closing. A callback still arriving holds close() open meanwhile.
  it('shuts `serve` down gracefully when Ctrl-C reaches the whole process group, answering the callback in flight', { timeout: 120_000 }, async () => {
    const dir = folder('launcher-sigint');
    const config = writeConfig(dir, liveConfig('lianjie.db'));
    const server = await serve(['--config', config], { cwd: dir, command: [olderNode ?? process.execPath, launcher], detached: true });

    const cb = signedCallback(appKeys, contactAddedXml('wmInFlight'), { agentId: 218 });
    const body = Buffer.from(cb.body);
    const { hostname, port } = new URL(server.url);
    const request = http.request({
      hostname, port, method: 'POST', path: `/wecom/callback/acme/crm?${cb.query}`, agent: false,
      headers: { 'content-type': 'text/xml', 'content-length': body.length, connection: 'close' },
    });
    const answered = new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        response.once('end', () => resolve({ status: response.statusCode, text }));
      });
    });
    answered.catch(() => {}); // awaited below; a reset before then must not count as unhandled
    request.write(body.subarray(0, 20));
    await sleep(500); // the host is reading this request's body
    process.kill(-server.child.pid!, 'SIGINT');
    await sleep(700); // both copies of SIGINT have arrived; close() waits for this request
    expect(server.child.exitCode).toBe(null);
    request.end(body.subarray(20));

    expect(await answered).toEqual({ status: 200, text: 'success' });
    const result = await exitWithin(server.exited, 10_000);
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    // close() ran to the end: SQLite folds the write-ahead log back in when the last connection closes.
    expect(existsSync(path.join(dir, 'lianjie.db-wal'))).toBe(false);
    // 'success' promised the callback was durable: it is in the inbox, decoded or waiting for the next start.
    const store = openStore(`file:${path.join(dir, 'lianjie.db')}`);
    try {
      expect((await store.listInbox('pending')).length + (await store.listInbox('done')).length).toBe(1);
    } finally {
      await store.close();
    }
  });
});

// The CLI's serve with the demo config, and the core/bin/lianjie.js launcher: re-exec under older and current Node, graceful Ctrl-C.
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import {
  appKeys, childEnv, contactAddedXml, exitWithin, folder, launcher, lines, liveConfig, olderNode, run, serve, sleep, tmpFile, useCliSandbox, writeConfig,
} from '../support/cli.ts';

useCliSandbox();

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
    const file = tmpFile('report-node.cjs');
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

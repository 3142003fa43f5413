// `lianjie inbox list`: dead letters are visible with their reason, never with their ciphertext.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import { folder, lines, liveConfig, run, useCliSandbox, writeConfig } from '../support/cli.ts';

useCliSandbox();

describe('lianjie inbox list', () => {
  it('shows dead letters with their code and message, as a table or JSON lines', async () => {
    const cwd = folder('inbox');
    const database = `file:${path.join(cwd, 'lianjie.db')}`;
    const config = writeConfig(cwd, liveConfig(database));
    const store = openStore(database);
    await store.migrate();
    await store.appendInbox([{
      route: 'app', tenantId: 'acme', appId: 'crm', suiteId: null, msgSignature: 'a'.repeat(40), timestamp: '1700000000',
      nonce: '7', encrypt: 'SECRETCIPHERTEXT', receivedAt: Date.parse('2026-11-22T01:02:03Z'),
      deadLetter: { code: 'wecom.receive_id_mismatch', message: 'receive id "wwOther" is not "wx5823bf96d3bd56c7"' },
    }]);
    await store.close();

    const table = await run(['inbox', 'list', '--config', config], { cwd });
    expect(table.code).toBe(0);
    expect(lines(table.stdout)).toHaveLength(1);
    expect(table.stdout).toContain('2026-11-22T01:02:03.000Z');
    expect(table.stdout).toContain('acme/crm');
    expect(table.stdout).toContain('wecom.receive_id_mismatch: receive id "wwOther"');

    const json = await run(['inbox', 'list', '--json', '--config', config], { cwd });
    const [row] = lines(json.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(row).toMatchObject({ status: 'dead', tenantId: 'acme', errorCode: 'wecom.receive_id_mismatch' });
    expect(json.stdout).not.toContain('SECRETCIPHERTEXT');

    const pending = await run(['inbox', 'list', '--status', 'pending', '--config', config], { cwd });
    expect(pending.stdout.trim()).toBe('no pending envelopes');

    const bad = await run(['inbox', 'list', '--status', 'lost', '--config', config], { cwd });
    expect(bad.code).toBe(1);
    expect(lines(bad.stderr)).toEqual(['lianjie: --status must be one of dead, pending, done, got "lost"']);
  });
});

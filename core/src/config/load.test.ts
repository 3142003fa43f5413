// loadConfig: reading the file, resolving SQLite paths against its folder, unreadable files, and the ./lianjie.config.json / demo fallback.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshTempDir, type TempDir } from '../../../test/support/tmp.ts';
import { loadInstalls } from '../plugins/installs.ts';
import { openStore } from '../store/open.ts';
import { loadConfig } from './load.ts';
import { failure, keys, withApp } from './load.test-support.ts';

describe('loadConfig', () => {
  let tmp: TempDir;
  let root: string;
  const cwd = process.cwd();
  beforeAll(async () => {
    tmp = await freshTempDir('lianjie-config-');
    root = realpathSync(tmp.path);
  });
  afterEach(() => process.chdir(cwd));
  afterAll(async () => tmp.remove());

  /** Writes `content` (JSON-encoded unless a string) to root/<name>, making folders, and returns the path. */
  function write(name: string, content: unknown): string {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }
  const databaseFrom = (name: string, database: unknown, env: NodeJS.ProcessEnv = {}) =>
    loadConfig(write(name, { database }), env).config.database;

  it('reads, validates and reports the file it was given as the source', () => {
    const file = write('read/lianjie.config.json', withApp({ token: { env: 'LJ_TOKEN' } }));
    const { config, source } = loadConfig(file, { LJ_TOKEN: 'fromEnv' });
    expect(source).toBe(file);
    expect(config.tenants[0]!.apps[0]!.token).toBe('fromEnv');
    expect(config.port).toBe(8080);
  });

  it('resolves a relative SQLite path against the config file\'s folder', () => {
    const folder = path.join(root, 'rel', 'conf');
    expect(databaseFrom('rel/conf/a.json', 'data/lianjie.db')).toBe(`file:${folder}/data/lianjie.db`);
    expect(databaseFrom('rel/conf/b.json', 'file:./lianjie.db')).toBe(`file:${folder}/lianjie.db`);
    expect(databaseFrom('rel/conf/c.json', 'file:../up.db')).toBe(`file:${path.join(root, 'rel')}/up.db`);
    expect(databaseFrom('rel/conf/d.json', { env: 'LJ_DATABASE' }, { LJ_DATABASE: 'from-env.db' })).toBe(`file:${folder}/from-env.db`);
  });

  it('resolves against the file\'s folder, not the working directory, when the file is named relatively', () => {
    write('relname/sub/lianjie.config.json', { database: 'x.db' });
    process.chdir(root);
    const { config, source } = loadConfig(path.join('relname', 'sub', 'lianjie.config.json'), {});
    expect(source).toBe(path.join('relname', 'sub', 'lianjie.config.json'));
    expect(config.database).toBe(`file:${root}/relname/sub/x.db`);
  });

  it('keeps absolute SQLite paths and :memory:', () => {
    expect(databaseFrom('abs/a.json', '/srv/lianjie/main.db')).toBe('file:/srv/lianjie/main.db');
    expect(databaseFrom('abs/b.json', 'file:/srv/lianjie/main.db')).toBe('file:/srv/lianjie/main.db');
    expect(databaseFrom('abs/c.json', ':memory:')).toBe(':memory:');
  });

  it('leaves postgres URLs untouched, written or from the env', () => {
    expect(databaseFrom('pg/a.json', 'postgres://lianjie:pw@db:5432/lianjie')).toBe('postgres://lianjie:pw@db:5432/lianjie');
    expect(databaseFrom('pg/b.json', 'postgresql://db/lianjie?sslmode=require')).toBe('postgresql://db/lianjie?sslmode=require');
    expect(databaseFrom('pg/c.json', 'POSTGRES://db/lianjie')).toBe('POSTGRES://db/lianjie');
    expect(databaseFrom('pg/d.json', { env: 'LJ_DATABASE' }, { LJ_DATABASE: 'postgres://db/x' })).toBe('postgres://db/x');
  });

  it('leaves other URLs as written, so the store refuses them instead of making a SQLite file named "mysql:"', () => {
    const database = databaseFrom('mysql/lianjie.config.json', 'mysql://root:pw@db/app');
    expect(database).toBe('mysql://root:pw@db/app');
    const error = failure(() => openStore(database));
    expect(error.code).toBe('config.invalid');
    expect(error.message).not.toContain('pw');
  });

  it.each([
    ['a missing file', () => path.join(root, 'nowhere', 'lianjie.config.json'), 'ENOENT'],
    ['a folder', () => { mkdirSync(path.join(root, 'a-folder'), { recursive: true }); return path.join(root, 'a-folder'); }, 'EISDIR'],
    ['a file that is not JSON', () => write('notjson.json', '{ database: "x.db", }'), 'JSON'],
    ['an empty file', () => write('empty.json', ''), 'JSON'],
  ])('throws config.unreadable for %s, naming the file', (_what, file, reason) => {
    const chosen = file();
    const error = failure(() => loadConfig(chosen, {}));
    expect(error.code).toBe('config.unreadable');
    expect(error.message).toContain(chosen);
    expect(error.message).toContain(reason);
    // A JSON error's own message quotes the text around the mistake, which may be a secret: it is not kept.
    if (reason === 'JSON') expect(error.cause).toBeUndefined();
    else expect(error.cause).toBeInstanceOf(Error);
  });

  it('throws config.invalid, not config.unreadable, for JSON that breaks the schema', () => {
    const error = failure(() => loadConfig(write('bad/lianjie.config.json', withApp({ token: 'bad token' })), {}));
    expect(error.code).toBe('config.invalid');
    expect(error.details[0]?.pointer).toBe('/tenants/0/apps/0/token');
  });

  it('loads the shipped example with its secrets from the env, and its installs of the first-party plugins', async () => {
    const example = path.resolve(import.meta.dirname, '../../../examples/lianjie.config.json');
    const env = {
      ACME_CRM_SECRET: 'secret', ACME_CRM_TOKEN: keys.token, ACME_CRM_AES_KEY: keys.encodingAesKey,
      ACME_KF_WEBHOOK_SECRET: 'kf-webhook-secret-0123456789', ACME_POS_WEBHOOK_SECRET: 'pos-webhook-secret-0123456789',
    };
    const { config } = loadConfig(example, env);
    expect(config.database).toBe(`file:${path.dirname(example)}/data/lianjie.db`);
    expect(config.wecom.baseUrl).toBe('https://qyapi.weixin.qq.com');
    expect(config.tenants[0]!.apps[0]).toMatchObject({ secret: 'secret', ...keys });
    expect(config.tenants[0]!.contactQuota).toMatchObject({ perMonth: 'days-in-month' });
    expect(config.installs.find((i) => i.id === 'acme-membership')?.webhookSecret).toBe('pos-webhook-secret-0123456789');
    const installs = await loadInstalls(config, path.dirname(example));
    expect(installs.map((i) => i.plugin.manifest.id).sort()).toEqual([
      'lianjie.birthday-reminders', 'lianjie.channel-welcome', 'lianjie.churn-alert', 'lianjie.customer-tags', 'lianjie.keyword-reply', 'lianjie.store-membership',
    ]);
    const missing = failure(() => loadConfig(example, {}));
    expect(missing.code).toBe('config.secret_missing');
    expect(missing.details.map((d) => d.pointer)).toEqual(expect.arrayContaining(['/installs/2/webhookSecret', '/installs/5/webhookSecret']));
  });

  describe('without a file argument', () => {
    it('uses the embedded demo when ./lianjie.config.json does not exist, its database under the working directory', () => {
      const empty = path.join(root, 'no-config');
      mkdirSync(empty, { recursive: true });
      process.chdir(empty);
      const { config, source } = loadConfig(undefined, {});
      expect(source).toBe('demo');
      expect(config.database).toBe(`file:${empty}/data/lianjie-demo.db`);
      expect(config.tenants.map((t) => `${t.id}/${t.apps.map((a) => a.id).join(',')}`)).toEqual(['demo/crm']);
      expect(config.suites.map((s) => s.id)).toEqual(['wwdemosuite0001']);
    });

    it('uses ./lianjie.config.json when it exists, resolving its database against the working directory', () => {
      const folder = path.join(root, 'has-config');
      write('has-config/lianjie.config.json', { database: 'here.db', port: 9000 });
      process.chdir(folder);
      const { config, source } = loadConfig(undefined, {});
      expect(source).toBe('lianjie.config.json');
      expect(config.port).toBe(9000);
      expect(config.database).toBe(`file:${folder}/here.db`);
    });

    it('does not fall back to the demo when ./lianjie.config.json is invalid', () => {
      write('bad-config/lianjie.config.json', { database: 'here.db', port: 70000 });
      process.chdir(path.join(root, 'bad-config'));
      const error = failure(() => loadConfig(undefined, {}));
      expect(error.code).toBe('config.invalid');
      expect(error.details).toEqual([{ pointer: '/port', message: 'must be <= 65535' }]);
    });

    it('prefers an explicit file over ./lianjie.config.json', () => {
      write('both/lianjie.config.json', { database: 'default.db' });
      const other = write('both/other.json', { database: 'other.db' });
      process.chdir(path.join(root, 'both'));
      expect(loadConfig(other, {}).config.database).toBe(`file:${root}/both/other.db`);
    });
  });
});

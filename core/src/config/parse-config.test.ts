// parseConfig: defaults, unknown keys and bad values at their JSON pointers, env secrets, duplicate ids, and the demo config.
import { describe, expect, it } from 'vitest';
import { demoConfig } from './demo.ts';
import { parseConfig } from './load.ts';
import { corpId, detailAt, failure, keys, withApp } from './load.test-support.ts';

describe('parseConfig defaults', () => {
  it('fills in host, port, logLevel, the WeCom API origin, sqlite.synchronous, the sandbox maxima, the engine settings, the marketplace retention and empty tenants, suites and installs', () => {
    expect(parseConfig({ database: 'file:x.db' }, {})).toEqual({
      database: 'file:x.db',
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      wecom: { baseUrl: 'https://qyapi.weixin.qq.com' },
      sqlite: { synchronous: 'FULL' },
      sandbox: { maxIsolatesPerWorker: 1000, maxima: { memoryMb: 256, timeoutMs: 30000, cpuMs: 10000, outputKb: 4096 } },
      engine: { concurrency: 64, perTenant: 16, leaseMs: 30000, retentionDays: 30 },
      api: { tokens: [] },
      marketplace: { retainDays: 30 },
      tenants: [],
      suites: [],
      installs: [],
    });
  });

  it('fills in a tenant\'s timezone and apps, and sqlite.synchronous inside a given sqlite object', () => {
    const config = parseConfig({ database: 'x.db', sqlite: {}, tenants: [{ id: 'acme', corpId }] }, {});
    expect(config.tenants).toEqual([{ id: 'acme', corpId, timezone: 'Asia/Shanghai', apps: [] }]);
    expect(config.sqlite).toEqual({ synchronous: 'FULL' });
  });

  it('keeps values that are given', () => {
    const config = parseConfig({
      database: 'postgres://lianjie@db/lianjie', host: '::1', port: 0, publicUrl: 'https://hooks.example.com',
      logLevel: 'silent', sqlite: { synchronous: 'NORMAL' },
      tenants: [{ id: 'acme', name: 'Acme', corpId, timezone: 'Europe/Berlin', apps: [{ id: 'crm', agentId: 0, secret: 's3cret', ...keys }] }],
      suites: [{ id: 'ww4asffe99e54c0f4c', secret: 'x', ...keys }],
    }, {});
    expect(config).toMatchObject({ host: '::1', port: 0, publicUrl: 'https://hooks.example.com', logLevel: 'silent', sqlite: { synchronous: 'NORMAL' } });
    expect(config.tenants[0]).toEqual({ id: 'acme', name: 'Acme', corpId, timezone: 'Europe/Berlin', apps: [{ id: 'crm', agentId: 0, secret: 's3cret', ...keys }] });
    expect(config.suites).toEqual([{ id: 'ww4asffe99e54c0f4c', secret: 'x', ...keys }]);
  });

  it('leaves the object it was given untouched', () => {
    const raw = withApp({ token: { env: 'LJ_TOKEN' } });
    const before = structuredClone(raw);
    parseConfig(raw, { LJ_TOKEN: 'abc' });
    expect(raw).toEqual(before);
  });

  it('accepts the $schema key editors use', () => {
    expect(parseConfig({ $schema: '../schemas/host-config.schema.json', database: 'x.db' }, {}).database).toBe('x.db');
  });
});

describe('parseConfig rejects unknown keys at their JSON pointer', () => {
  it.each([
    [{ database: 'x.db', extra: 1 }, '/extra'],
    [{ database: 'x.db', sqlite: { journal: 'WAL' } }, '/sqlite/journal'],
    [withApp({}, { extra: true }), '/tenants/0/extra'],
    [withApp({ extra: true }), '/tenants/0/apps/0/extra'],
    [{ database: 'x.db', suites: [{ id: 'ww1', ...keys, agentId: 1 }] }, '/suites/0/agentId'],
    [withApp({ token: { env: 'LJ_TOKEN', fallback: 'abc' } }), '/tenants/0/apps/0/token/fallback'],
  ])('%j → %s', (raw, pointer) => {
    const error = failure(() => parseConfig(raw, { LJ_TOKEN: 'abc' }));
    expect(error.code).toBe('config.invalid');
    expect(detailAt(error, pointer)?.message).toBe('is not an allowed key here');
    expect(error.message).toContain(`${pointer} is not an allowed key here`);
  });

  it('reports a key with "/" or "~" in its name escaped as RFC 6901 says', () => {
    const error = failure(() => parseConfig({ database: 'x.db', 'a/b~c': 1 }, {}));
    expect(error.details).toEqual([{ pointer: '/a~1b~0c', message: 'is not an allowed key here' }]);
  });
});

describe('parseConfig names bad values with their pointer and what was expected', () => {
  it.each([
    ['a token with a space', withApp({ token: 'bad token' }), '/tenants/0/apps/0/token', 'must be a WeCom callback Token of 1 to 32 letters or digits'],
    ['a 33-character token', withApp({ token: 'a'.repeat(33) }), '/tenants/0/apps/0/token', 'must be a WeCom callback Token of 1 to 32 letters or digits'],
    ['a 42-character encodingAesKey', withApp({ encodingAesKey: keys.encodingAesKey.slice(0, 42) }), '/tenants/0/apps/0/encodingAesKey', 'must be a WeCom EncodingAESKey of exactly 43 letters or digits'],
    ['a 44-character encodingAesKey', withApp({ encodingAesKey: `${keys.encodingAesKey}A` }), '/tenants/0/apps/0/encodingAesKey', 'must be a WeCom EncodingAESKey of exactly 43 letters or digits'],
    ['a suite token with a space', { database: 'x.db', suites: [{ id: 'ww1', ...keys, token: 'a b' }] }, '/suites/0/token', 'must be a WeCom callback Token of 1 to 32 letters or digits'],
    ['port 70000', { database: 'x.db', port: 70000 }, '/port', 'must be <= 65535'],
    ['port -1', { database: 'x.db', port: -1 }, '/port', 'must be >= 0'],
    ['port 80.5', { database: 'x.db', port: 80.5 }, '/port', 'must be integer'],
    ['port as a string', { database: 'x.db', port: '8080' }, '/port', 'must be integer'],
    ['an upper-case tenant id', withApp({}, { id: 'Acme' }), '/tenants/0/id', 'must be an id of lower-case letters, digits, \'-\' and \'_\' (at most 63 characters, starting with a letter or digit)'],
    ['a tenant id with a space', withApp({}, { id: 'acme corp' }), '/tenants/0/id', 'must be an id of lower-case letters'],
    ['a tenant id starting with "-"', withApp({}, { id: '-acme' }), '/tenants/0/id', 'must be an id of lower-case letters'],
    ['a 64-character tenant id', withApp({}, { id: 'a'.repeat(64) }), '/tenants/0/id', 'must be an id of lower-case letters'],
    ['an app id with a dot', withApp({ id: 'crm.v2' }), '/tenants/0/apps/0/id', 'must be an id of lower-case letters'],
    ['a corpId with a space', withApp({}, { corpId: 'wx 1' }), '/tenants/0/corpId', 'must be the enterprise\'s CorpID'],
    ['a negative agentId', withApp({ agentId: -1 }), '/tenants/0/apps/0/agentId', 'must be >= 0'],
    ['an unknown logLevel', { database: 'x.db', logLevel: 'verbose' }, '/logLevel', 'must be one of ["fatal","error","warn","info","debug","trace","silent"]'],
    ['sqlite.synchronous OFF', { database: 'x.db', sqlite: { synchronous: 'OFF' } }, '/sqlite/synchronous', 'must be one of ["FULL","NORMAL"]'],
    ['a publicUrl without http(s)', { database: 'x.db', publicUrl: 'hooks.example.com' }, '/publicUrl', 'must be an http:// or https:// URL'],
    ['an empty database', { database: '' }, '/database', 'must NOT have fewer than 1 characters'],
    ['no database', { port: 1 }, '/database', 'is required'],
    ['an app without a token', withApp({ token: undefined }), '/tenants/0/apps/0/token', 'is required'],
    ['a tenant without a corpId', withApp({}, { corpId: undefined }), '/tenants/0/corpId', 'is required'],
    ['an env reference where no secret is allowed', { database: 'x.db', host: { env: 'HOST' } }, '/host', 'must be string'],
    ['an env reference with a bad variable name', withApp({ token: { env: '1TOKEN' } }), '/tenants/0/apps/0/token/env', 'must match'],
    ['an array instead of an object', [], '/', 'must be object'],
  ])('%s', (_what, raw, pointer, expected) => {
    const error = failure(() => parseConfig(JSON.parse(JSON.stringify(raw)), { HOST: 'x' }));
    expect(error.code).toBe('config.invalid');
    expect(detailAt(error, pointer)?.message, JSON.stringify(error.details)).toContain(expected);
    expect(error.message).toContain(pointer);
  });

  it('reports every problem at once, each at its own pointer', () => {
    const error = failure(() => parseConfig(withApp({ token: 'bad token', encodingAesKey: 'short' }, { id: 'ACME' }), {}));
    expect(error.details.map((d) => d.pointer).sort()).toEqual(['/tenants/0/apps/0/encodingAesKey', '/tenants/0/apps/0/token', '/tenants/0/id']);
  });

  it('never echoes a rejected secret back in the message', () => {
    const error = failure(() => parseConfig(withApp({ token: 'hunter2 secret', encodingAesKey: 'Zx9'.repeat(14) }), {}));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('Zx9Zx9');
    expect(JSON.stringify(error.details)).not.toContain('hunter2');
  });
});

describe('parseConfig resolves { "env": "VAR" } secrets', () => {
  const secretRefs = () => ({
    database: { env: 'LJ_DATABASE' },
    tenants: [{ id: 'acme', corpId, apps: [{ id: 'crm', secret: { env: 'LJ_SECRET' }, token: { env: 'LJ_TOKEN' }, encodingAesKey: { env: 'LJ_AES' } }] }],
    suites: [{ id: 'ww1', secret: { env: 'LJ_SUITE_SECRET' }, token: { env: 'LJ_TOKEN' }, encodingAesKey: { env: 'LJ_AES' } }],
  });
  const env = {
    LJ_DATABASE: 'postgres://lianjie:pw@db/lianjie', LJ_SECRET: 'app-secret', LJ_TOKEN: keys.token,
    LJ_AES: keys.encodingAesKey, LJ_SUITE_SECRET: 'suite-secret',
  };

  it('takes each value from the env it is given', () => {
    const config = parseConfig(secretRefs(), env);
    expect(config.database).toBe('postgres://lianjie:pw@db/lianjie');
    expect(config.tenants[0]!.apps[0]).toEqual({ id: 'crm', secret: 'app-secret', ...keys });
    expect(config.suites[0]).toEqual({ id: 'ww1', secret: 'suite-secret', ...keys });
  });

  it('reads the env argument, not process.env', () => {
    process.env.LJ_ONLY_IN_PROCESS = keys.token;
    try {
      const error = failure(() => parseConfig(withApp({ token: { env: 'LJ_ONLY_IN_PROCESS' } }), {}));
      expect(error.code).toBe('config.secret_missing');
    } finally {
      delete process.env.LJ_ONLY_IN_PROCESS;
    }
  });

  it('names the pointer and the variable of a missing one with config.secret_missing', () => {
    const error = failure(() => parseConfig(withApp({ token: { env: 'LJ_TOKEN' } }), {}));
    expect(error.code).toBe('config.secret_missing');
    expect(error.details).toEqual([{ pointer: '/tenants/0/apps/0/token', message: 'environment variable LJ_TOKEN is not set' }]);
    expect(error.message).toContain('/tenants/0/apps/0/token');
    expect(error.message).toContain('LJ_TOKEN');
  });

  it('treats an empty variable as missing, and lists every missing one', () => {
    const { LJ_AES: _aes, LJ_SUITE_SECRET: _suite, ...partial } = env;
    const error = failure(() => parseConfig(secretRefs(), { ...partial, LJ_SECRET: '' }));
    expect(error.code).toBe('config.secret_missing');
    expect(error.details).toEqual([
      { pointer: '/tenants/0/apps/0/secret', message: 'environment variable LJ_SECRET is not set' },
      { pointer: '/tenants/0/apps/0/encodingAesKey', message: 'environment variable LJ_AES is not set' },
      { pointer: '/suites/0/secret', message: 'environment variable LJ_SUITE_SECRET is not set' },
      { pointer: '/suites/0/encodingAesKey', message: 'environment variable LJ_AES is not set' },
    ]);
  });

  it('rejects an invalid value from the env with config.invalid at the reference\'s pointer, without the value', () => {
    const error = failure(() => parseConfig(withApp({ token: { env: 'LJ_TOKEN' } }), { LJ_TOKEN: 'not a token!' }));
    expect(error.code).toBe('config.invalid');
    expect(error.details).toEqual([
      { pointer: '/tenants/0/apps/0/token', message: 'must be a WeCom callback Token of 1 to 32 letters or digits (after resolving env)' },
    ]);
    expect(error.message).not.toContain('not a token!');
  });

  it('rejects a 42-character encodingAesKey from the env', () => {
    const error = failure(() => parseConfig(withApp({ encodingAesKey: { env: 'LJ_AES' } }), { LJ_AES: keys.encodingAesKey.slice(1) }));
    expect(error.code).toBe('config.invalid');
    expect(detailAt(error, '/tenants/0/apps/0/encodingAesKey')?.message).toContain('exactly 43 letters or digits (after resolving env)');
  });
});

describe('parseConfig rejects duplicate ids, naming both places', () => {
  const tenant = (id: string, corp: string, apps: unknown[] = []) => ({ id, corpId: corp, apps });
  const app = (id: string) => ({ id, ...keys });

  it('tenant ids', () => {
    const error = failure(() => parseConfig({ database: 'x.db', tenants: [tenant('acme', 'wx1'), tenant('beta', 'wx2'), tenant('acme', 'wx3')] }, {}));
    expect(error.code).toBe('config.invalid');
    expect(error.details).toEqual([{ pointer: '/tenants/2/id', message: 'tenant id "acme" is already used at /tenants/0/id' }]);
    expect(error.message).toContain('/tenants/2/id');
    expect(error.message).toContain('/tenants/0/id');
  });

  it('app ids within one tenant, but not across tenants', () => {
    const error = failure(() => parseConfig({ database: 'x.db', tenants: [tenant('acme', 'wx1', [app('crm'), app('crm')])] }, {}));
    expect(error.details).toEqual([{ pointer: '/tenants/0/apps/1/id', message: 'app id "crm" is already used at /tenants/0/apps/0/id' }]);
    const config = parseConfig({ database: 'x.db', tenants: [tenant('acme', 'wx1', [app('crm')]), tenant('beta', 'wx2', [app('crm')])] }, {});
    expect(config.tenants.map((t) => t.apps[0]!.id)).toEqual(['crm', 'crm']);
  });

  it('suite ids', () => {
    const error = failure(() => parseConfig({ database: 'x.db', suites: [{ id: 'ww1', ...keys }, { id: 'ww1', ...keys }] }, {}));
    expect(error.details).toEqual([{ pointer: '/suites/1/id', message: 'suite id "ww1" is already used at /suites/0/id' }]);
  });

  it('corpIds shared by two tenants', () => {
    const error = failure(() => parseConfig({ database: 'x.db', tenants: [tenant('acme', corpId), tenant('beta', corpId)] }, {}));
    expect(error.details).toEqual([{ pointer: '/tenants/1/corpId', message: `corpId "${corpId}" already belongs to /tenants/0` }]);
  });

  it('all duplicates at once', () => {
    const error = failure(() => parseConfig({
      database: 'x.db',
      tenants: [tenant('acme', 'wx1', [app('crm'), app('crm')]), tenant('acme', 'wx1')],
      suites: [{ id: 'ww1', ...keys }, { id: 'ww1', ...keys }],
    }, {}));
    expect(error.details.map((d) => d.pointer)).toEqual(['/tenants/1/id', '/tenants/0/apps/1/id', '/suites/1/id', '/tenants/1/corpId']);
  });
});

describe('parseConfig on the demo config', () => {
  it('is valid with no environment, and keyed with the published sample values', () => {
    const config = parseConfig(demoConfig(), {});
    expect(config.tenants).toEqual([{
      id: 'demo', name: 'Demo Fruit Co.', corpId, timezone: 'Asia/Shanghai',
      apps: [{ id: 'crm', agentId: 218, ...keys }],
    }]);
    expect(config.suites).toEqual([{ id: 'wwdemosuite0001', ...keys }]);
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, logLevel: 'info', sqlite: { synchronous: 'FULL' } });
  });
});

describe('sandbox settings', () => {
  it('defaults the maxima to DESIGN.md §4 and refuses unknown keys with their pointer', () => {
    const config = parseConfig({ database: 'x.db' }, {});
    expect(config.sandbox).toEqual({ maxIsolatesPerWorker: 1000, maxima: { memoryMb: 256, timeoutMs: 30000, cpuMs: 10000, outputKb: 4096 } });
    const custom = parseConfig({ database: 'x.db', sandbox: { workers: 4, maxima: { cpuMs: 500 } } }, {});
    expect(custom.sandbox).toMatchObject({ workers: 4, maxima: { cpuMs: 500, memoryMb: 256 } });
    expect(() => parseConfig({ database: 'x.db', sandbox: { workers: 0 } }, {})).toThrow(/\/sandbox\/workers/);
    expect(() => parseConfig({ database: 'x.db', sandbox: { maxima: { heapMb: 1 } } }, {})).toThrow(/\/sandbox\/maxima\/heapMb/);
  });
});

describe('installs', () => {
  const install = (fields: Record<string, unknown> = {}) => ({ id: 'acme-greeter', tenant: 'acme', plugin: 'plugins/greeter', ...fields });
  const withInstalls = (...installs: unknown[]) => ({ ...withApp(), installs });

  it('fills in empty grants and config, and keeps the rest as written', () => {
    const config = parseConfig(withInstalls(install(), install({ id: 'pinned', sha256: 'A'.repeat(64), grants: ['store'], config: { greeting: 'hi' } })), {});
    expect(config.installs).toEqual([
      { id: 'acme-greeter', tenant: 'acme', plugin: 'plugins/greeter', grants: [], config: {} },
      { id: 'pinned', tenant: 'acme', plugin: 'plugins/greeter', sha256: 'A'.repeat(64), grants: ['store'], config: { greeting: 'hi' } },
    ]);
  });

  it('takes an install\'s config literally: a plugin setting may be called "env"', () => {
    const config = parseConfig(withInstalls(install({ config: { env: 'staging' } }), install({ id: 'nested', config: { api: { env: 'KEY' } } })), {});
    expect(config.installs.map((i) => i.config)).toEqual([{ env: 'staging' }, { api: { env: 'KEY' } }]);
  });

  it.each([
    ['an unknown key', install({ version: '1.0.0' }), '/installs/0/version', 'is not an allowed key here'],
    ['no plugin', install({ plugin: undefined }), '/installs/0/plugin', 'is required'],
    ['no tenant', install({ tenant: undefined }), '/installs/0/tenant', 'is required'],
    ['an upper-case id', install({ id: 'Greeter' }), '/installs/0/id', 'must be an id of lower-case letters'],
    ['a short sha256', install({ sha256: 'abc' }), '/installs/0/sha256', 'must be the sha256 the plugin\'s dist/plugin.js must have: 64 hex digits'],
    ['a grant twice', install({ grants: ['store', 'store'] }), '/installs/0/grants', 'must NOT have duplicate items'],
    ['a config that is not an object', install({ config: [] }), '/installs/0/config', 'must be object'],
  ])('refuses %s at its pointer', (_what, entry, pointer, message) => {
    const error = failure(() => parseConfig(JSON.parse(JSON.stringify(withInstalls(entry))), {}));
    expect(error.code).toBe('config.invalid');
    expect(detailAt(error, pointer)?.message, JSON.stringify(error.details)).toContain(message);
  });

  it('refuses duplicate install ids and installs of tenants the config does not have, naming the tenants it has', () => {
    const error = failure(() => parseConfig(withInstalls(install(), install({ tenant: 'beta' }), install({ id: 'other', tenant: 'gamma' })), {}));
    expect(error.details).toEqual([
      { pointer: '/installs/1/id', message: 'install id "acme-greeter" is already used at /installs/0/id' },
      { pointer: '/installs/1/tenant', message: 'no tenant "beta" in this config (tenants: acme)' },
      { pointer: '/installs/2/tenant', message: 'no tenant "gamma" in this config (tenants: acme)' },
    ]);
  });
});

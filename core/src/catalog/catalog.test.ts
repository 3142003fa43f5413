// The catalog on a real SQLite file: config and stored tenants merged, a row whose secrets cannot be opened left out
// (and reported once) while the rest is served, clashes with the config ignored, disabled tenants out of the
// directory, another process's change seen through the revision, and nothing stored without a key.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { freshTempDir, type TempDir } from '../../../test/support/tmp.ts';
import { LianjieError } from '../errors.ts';
import type { Logger } from '../ops/logger.ts';
import { createTenantAdmin } from '../marketplace/tenant-admin.ts';
import { createSealer, type Sealer } from '../secrets/seal.ts';
import { createSqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/types.ts';
import { createCatalog } from './catalog.ts';

const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const config = { tenants: [{ id: 'acme', corpId: 'wwacme', timezone: 'Asia/Shanghai', apps: [{ id: 'crm', ...keys }] }], suites: [], installs: [] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fixture(): Promise<{ store: Store; dir: TempDir; file: string }> {
  const dir = await freshTempDir();
  const file = dir.file('lianjie.db');
  const store = createSqliteStore({ file, synchronous: 'FULL' });
  await store.migrate();
  cleanups.push(async () => {
    await store.close();
    await dir.remove();
  });
  return { store, dir, file };
}

/** A logger that keeps the error messages; the catalog calls error(fields, message) only. */
function logger(): Pick<Logger, 'error' | 'warn'> & { errors: string[] } {
  const errors: string[] = [];
  const error = ((_: unknown, message: string) => void errors.push(message)) as Logger['error'];
  return { errors, error, warn: (() => {}) as Logger['warn'] };
}

const newSealer = () => createSealer(randomBytes(32));

describe('catalog', () => {
  it('merges stored tenants with the config\'s; one sealed under another key is left out, once reported, and the rest served', async () => {
    const { store } = await fixture();
    const good = newSealer();
    const other = newSealer();
    const log = logger();
    const catalog = createCatalog({ config, configInstalls: [], store, sealer: () => good, logger: log });
    const admin = createTenantAdmin({ store, catalog, secrets: () => good });
    await admin.create({ id: 'gamma', corpId: 'wwgamma', apps: [{ id: 'crm', secret: 's3cret', ...keys }] });
    const adminElsewhere = createTenantAdmin({ store, catalog: createCatalog({ config, configInstalls: [], store, sealer: () => other, logger: logger() }), secrets: () => other });
    await adminElsewhere.create({ id: 'delta', corpId: 'wwdelta', apps: [{ id: 'crm', ...keys }] });

    const snapshot = await catalog.refresh(true);
    expect([...snapshot.tenants.keys()].sort()).toEqual(['acme', 'gamma']);
    expect(snapshot.tenants.get('gamma')?.apps).toEqual([{ id: 'crm', secret: 's3cret', ...keys }]);
    expect(snapshot.directory.app('gamma', 'crm')?.token).toBe(keys.token);
    expect(snapshot.directory.app('delta', 'crm')).toBeUndefined();
    await catalog.refresh(true);
    expect(log.errors.filter((m) => m.includes('secret.key_mismatch'))).toHaveLength(1);
  });

  it('sees another process\'s change once the revision moves, and a disabled tenant leaves the directory', async () => {
    const { store, file } = await fixture();
    const sealer = newSealer();
    const catalog = createCatalog({ config, configInstalls: [], store, sealer: () => sealer, logger: logger() });
    await catalog.start();
    cleanups.push(async () => catalog.stop());
    const elsewhere = createSqliteStore({ file, synchronous: 'FULL' });
    cleanups.push(() => elsewhere.close());
    const admin = createTenantAdmin({ store: elsewhere, catalog: createCatalog({ config, configInstalls: [], store: elsewhere, sealer: () => sealer, logger: logger() }), secrets: () => sealer });
    await admin.create({ id: 'gamma', corpId: 'wwgamma', apps: [{ id: 'crm', ...keys }] });
    expect(catalog.current().tenants.has('gamma')).toBe(false);
    expect((await catalog.refresh()).directory.hasTenant('gamma')).toBe(true);
    await admin.disable('gamma', 7);
    const after = await catalog.refresh();
    expect(after.tenants.get('gamma')?.status).toBe('disabled');
    expect(after.directory.hasTenant('gamma')).toBe(false);
  });

  it('refuses what clashes with the config file, and a stored row that does anyway is ignored', async () => {
    const { store } = await fixture();
    const sealer = newSealer();
    const log = logger();
    const catalog = createCatalog({ config, configInstalls: [], store, sealer: () => sealer, logger: log });
    const admin = createTenantAdmin({ store, catalog, secrets: () => sealer });
    await expect(admin.create({ id: 'acme', corpId: 'wwother' })).rejects.toMatchObject({ code: 'tenant.exists' });
    await expect(admin.update('acme', { name: 'x' })).rejects.toMatchObject({ code: 'tenant.read_only' });
    // Written behind the API's back (or before the config named the corp).
    await store.tenants().create({ id: 'copy', name: null, corpId: 'wwacme', timezone: 'UTC', contactQuota: null, origin: 'api', suiteId: null, permanentCode: null, suiteAgentId: null }, Date.now());
    const snapshot = await catalog.refresh(true);
    expect(snapshot.tenants.has('copy')).toBe(false);
    expect(log.errors.some((m) => m.includes('config tenant'))).toBe(true);
  });

  it('without a key nothing is stored: the tenant and its apps are refused whole', async () => {
    const { store } = await fixture();
    const missing = (): Sealer => {
      throw new LianjieError('secret.key_missing', 'LIANJIE_SECRET_KEY is not set');
    };
    const catalog = createCatalog({ config, configInstalls: [], store, sealer: missing, logger: logger() });
    const admin = createTenantAdmin({ store, catalog, secrets: missing });
    await expect(admin.create({ id: 'gamma', corpId: 'wwgamma', apps: [{ id: 'crm', secret: 's', ...keys }] })).rejects.toMatchObject({ code: 'secret.key_missing' });
    expect(await store.tenants().list()).toEqual([]);
    // The config's tenants are served all the same.
    expect((await catalog.refresh(true)).directory.app('acme', 'crm')).toBeDefined();
  });
});

// Starts a real host on a loopback port for a test, on a fresh SQLite file or a fresh PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../core/src/config/load.ts';
import type { HostConfig } from '../../core/src/config/types.ts';
import { createHost, type Host } from '../../core/src/host.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import type { Install } from '../../core/src/plugins/types.ts';
import { freshPostgresDatabase, postgresUrl } from './postgres.ts';

export type Dialect = 'sqlite' | 'postgres';

/** The dialects this run can test: SQLite always, PostgreSQL when DATABASE_URL is set. */
export const dialects: Dialect[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

// WeCom's published vector set B; the tenant and suite share its keys so the official samples verify.
export const demoKeys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
export const demoCorpId = 'wx5823bf96d3bd56c7';
export const demoSuiteId = 'ww4asffe99e54c0f4c';
export const suiteCorpId = 'wxf8b4f85f3a794e77';

export function testConfig(database: string, overrides: Partial<HostConfig> = {}): HostConfig {
  return parseConfig({
    database,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    tenants: [
      { id: 'acme', name: 'Acme Fruit', corpId: demoCorpId, apps: [{ id: 'crm', agentId: 218, ...demoKeys }] },
      { id: 'beta', name: 'Beta Jewels', corpId: suiteCorpId, apps: [] },
    ],
    suites: [{ id: demoSuiteId, ...demoKeys }],
    ...overrides,
  });
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'postgres') return freshPostgresDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-test-'));
  return { url: `file:${path.join(dir, 'lianjie.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningHost {
  host: Host;
  url: string;
  database: TestDatabase;
  post(pathAndQuery: string, body: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  get(pathAndQuery: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startHost(
  dialect: Dialect,
  options: { decode?: boolean; run?: boolean; config?: Partial<HostConfig>; installs?: readonly Install[] } = {},
): Promise<RunningHost> {
  const database = await freshDatabase(dialect);
  const host = createHost(testConfig(database.url, options.config), {
    logger: createLogger('silent'), decode: options.decode, run: options.run, installs: options.installs,
  });
  const { url } = await host.listen();
  const request = async (method: string, target: string, body?: string, headers?: Record<string, string>) => {
    const response = await fetch(url + target, { method, body, headers });
    return { status: response.status, text: await response.text() };
  };
  return {
    host, url, database,
    post: (target, body, headers) => request('POST', target, body, { 'content-type': 'text/xml', ...headers }),
    get: (target) => request('GET', target),
    async close() {
      await host.close();
      await database.drop();
    },
  };
}

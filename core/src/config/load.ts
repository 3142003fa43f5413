// Reads lianjie.config.json (or the demo config), validates it, resolves `{ "env": "VAR" }` secrets.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LianjieError, type ErrorDetail } from '../errors.ts';
import { jsonErrorWhere } from '../json-error.ts';
import { schemaCheck } from '../schema/validator.ts';
import { demoConfig } from './demo.ts';
import type { HostConfig } from './types.ts';

export const defaultConfigFile = 'lianjie.config.json';

export interface LoadedConfig {
  config: HostConfig;
  /** The file it came from, or 'demo' for the embedded demo configuration. */
  source: string;
}

/**
 * Loads `file` if given; else `./lianjie.config.json` if it exists; else the embedded demo.
 * A relative SQLite path is resolved against the config file's folder.
 */
export function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const chosen = file ?? (existsSync(defaultConfigFile) ? defaultConfigFile : undefined);
  if (!chosen) {
    const config = parseConfig(demoConfig(), env);
    return { config: { ...config, database: resolveDatabase(config.database, process.cwd()) }, source: 'demo' };
  }
  let text: string;
  try {
    text = readFileSync(chosen, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new LianjieError('config.unreadable', `cannot read config ${chosen}: ${reason}`, [], { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LianjieError('config.unreadable', `cannot read config ${chosen}: ${jsonErrorWhere(text, error)}`);
  }
  const config = parseConfig(raw, env);
  return { config: { ...config, database: resolveDatabase(config.database, path.dirname(path.resolve(chosen))) }, source: chosen };
}

const checkConfig = schemaCheck<HostConfig>('host-config.schema.json');

/** Validates twice with one schema: as written (secrets may be env references), then with secrets resolved. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): HostConfig {
  const written = structuredClone(raw);
  if (!checkConfig(written)) throw invalid(checkConfig.details());
  const missing: ErrorDetail[] = [];
  const resolved = resolveEnv(written, '', env, missing);
  if (missing.length > 0) {
    throw new LianjieError('config.secret_missing', `config refers to unset environment variables: ${summary(missing)}`, missing);
  }
  if (!checkConfig(resolved)) throw invalid(checkConfig.details().map((d) => ({ ...d, message: `${d.message} (after resolving env)` })));
  const problems = [...findDuplicateIds(resolved), ...installTenantProblems(resolved)];
  if (problems.length > 0) throw invalid(problems);
  return resolved;
}

function invalid(details: ErrorDetail[]): LianjieError {
  return new LianjieError('config.invalid', `invalid config: ${summary(details)}`, details);
}

function summary(details: ErrorDetail[]): string {
  return details.map((d) => `${d.pointer} ${d.message}`).join('; ');
}

// An install's config belongs to the plugin, whose own settings may well be called "env".
const installConfig = /^\/installs\/\d+\/config$/;

function resolveEnv(value: unknown, pointer: string, env: NodeJS.ProcessEnv, missing: ErrorDetail[]): any {
  if (installConfig.test(pointer)) return value;
  if (Array.isArray(value)) return value.map((item, i) => resolveEnv(item, `${pointer}/${i}`, env, missing));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'env') {
    const name = (value as { env: string }).env;
    const found = env[name];
    if (found === undefined || found === '') missing.push({ pointer, message: `environment variable ${name} is not set` });
    return found ?? '';
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v, `${pointer}/${k}`, env, missing)]));
}

function findDuplicateIds(config: HostConfig): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const firstSeen = (items: { id: string }[], base: string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const earlier = seen.get(item.id);
      if (earlier === undefined) seen.set(item.id, i);
      else details.push({ pointer: `${base}/${i}/id`, message: `${what} id "${item.id}" is already used at ${base}/${earlier}/id` });
    });
  };
  firstSeen(config.tenants, '/tenants', 'tenant');
  config.tenants.forEach((tenant, t) => firstSeen(tenant.apps, `/tenants/${t}/apps`, 'app'));
  firstSeen(config.suites, '/suites', 'suite');
  firstSeen(config.installs, '/installs', 'install');
  const corpSeen = new Map<string, number>();
  config.tenants.forEach((tenant, t) => {
    const earlier = corpSeen.get(tenant.corpId);
    if (earlier === undefined) corpSeen.set(tenant.corpId, t);
    else details.push({ pointer: `/tenants/${t}/corpId`, message: `corpId "${tenant.corpId}" already belongs to /tenants/${earlier}` });
  });
  return details;
}

function installTenantProblems(config: HostConfig): ErrorDetail[] {
  const tenants = new Set(config.tenants.map((t) => t.id));
  return config.installs.flatMap((install, i) => tenants.has(install.tenant) ? [] : [{
    pointer: `/installs/${i}/tenant`,
    message: `no tenant "${install.tenant}" in this config (tenants: ${[...tenants].join(', ') || 'none'})`,
  }]);
}

function resolveDatabase(database: string, baseDir: string): string {
  // Any scheme:// URL but file: stays as written: postgres:// for the store, anything else for the store to reject.
  if (/^(?!file:)[a-z][a-z0-9+.-]*:\/\//i.test(database) || database === ':memory:') return database;
  const file = database.startsWith('file:') ? database.slice('file:'.length) : database;
  return `file:${path.resolve(baseDir, file)}`;
}

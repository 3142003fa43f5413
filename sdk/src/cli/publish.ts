// `lianjie-plugin publish`: the packed plugin submitted to a host's registry for review (`--server`, `--token`, a
// vendor token), or unpacked into a plugins directory a host loads (`--to`; `installs[].plugin` in its config names
// `<dir>/<id>@<version>`). A published version is never replaced.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extract } from 'tar';
import { packPlugin, type PackResult } from './pack.ts';
import type { PluginDir } from './plugin-dir.ts';

export type PublishResult = { ok: true; target: string } | Extract<PackResult, { ok: false }>;

export async function publishPlugin(dir: PluginDir, pluginsDir: string): Promise<PublishResult> {
  const target = path.join(pluginsDir, `${dir.manifest.id}@${dir.manifest.version}`);
  if (existsSync(target)) throw new Error(`${target} already exists: a published version is never replaced; raise the version in plugin.json`);
  const packed = await packPlugin(dir);
  if (!packed.ok) return packed;
  mkdirSync(target, { recursive: true });
  await extract({ file: packed.file, cwd: target });
  return { ok: true, target };
}

export type SubmitResult =
  | { ok: true; status: string; pluginId: string; version: string }
  | Extract<PackResult, { ok: false }>;

/** Packs, then POSTs the tarball to `<server>/api/v1/plugins`; the registry's refusal comes back as an Error naming its code. */
export async function submitPlugin(dir: PluginDir, server: string, token: string): Promise<SubmitResult> {
  const packed = await packPlugin(dir);
  if (!packed.ok) return packed;
  const url = `${server.replace(/\/+$/, '')}/api/v1/plugins`;
  const { protocol, hostname } = new URL(url);
  if (protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
    console.error(`lianjie-plugin: warning: ${server} is plain http: the token travels unencrypted`);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ tarball: readFileSync(packed.file).toString('base64') }), signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  const answer = (await response.json().catch(() => ({}))) as {
    version?: { pluginId: string; version: string; status: string };
    error?: { code: string; message: string; details?: { pointer: string; message: string }[] };
  };
  if (response.status === 201 && answer.version) return { ok: true, ...answer.version };
  const error = answer.error;
  const details = (error?.details ?? []).map((d) => `\n  ${d.pointer}: ${d.message}`).join('');
  throw new Error(error ? `the registry refused: ${error.code}: ${error.message}${details}` : `the registry answered HTTP ${response.status}`);
}

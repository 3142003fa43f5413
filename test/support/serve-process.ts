// Hosts as child processes (`lianjie serve`), an idempotent HTTP receiver for their effects, and WeCom senders.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { openStore } from '../../core/src/store/open.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys } from './host.ts';
import { writePluginDir } from './plugins.ts';

const cli = path.resolve(import.meta.dirname, '../../core/src/cli/main.ts');
const keys = { ...demoKeys, receiveId: demoCorpId };

export interface ServeProcess {
  child: ChildProcess;
  url: string;
}

/** Starts `lianjie serve --config <config>`; resolves once it prints the address it listens on. */
export function startServe(config: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--no-node-snapshot', cli, 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.once('exit', (code, signal) => reject(new Error(`serve exited with ${code ?? signal}: ${out}`)));
  });
}

export const exited = (child: ChildProcess): Promise<unknown> =>
  new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

/** A receiver that applies each Idempotency-Key once, as a well-behaved API does, and counts every delivery. */
export function idempotentSink() {
  const applied = new Map<string, string>();
  let deliveries = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      deliveries += 1;
      const key = String(request.headers['idempotency-key']);
      if (!applied.has(key)) applied.set(key, body);
      response.end(JSON.stringify({ applied: key }));
    });
  });
  return { server, applied, deliveries: () => deliveries };
}

/** A plugin whose one action POSTs its input to the receiver on `port`: an external effect per step. */
export const postingPlugin = {
  manifest: (port: number) => ({
    id: 'acme.crm', version: '1.0.0', engine: '^1', name: { en: 'acme.crm' }, vendor: 'Tests', permissions: ['http'], triggers: [],
    http: { hosts: [`127.0.0.1:${port}`] },
    actions: [{ id: 'post', input: { type: 'object' }, output: {} }],
  }),
  source: `
    declare const lianjie: any;
    lianjie.register({ actions: {
      post: async (input: any, ctx: any) => {
        const r = await ctx.http.fetch({ url: input.url, method: 'POST', body: JSON.stringify(input) });
        return { status: r.status };
      },
    } });`,
};

/** A contact-added callback for tenant acme's app crm (the demo keys), for contact `wm<prefix><n>`. */
export function contactCallback(prefix: string, n: number) {
  const xml = contactAddedXml({ corpId: demoCorpId, userId: 'staff', externalUserId: `wm${prefix}${n}`, createTime: 1700300000 + n });
  return signedCallback(keys, xml, { agentId: 218 });
}

/** Posts a callback until some host answers `success`, as WeCom retries; `url()` picks the host each try. */
export async function deliver(url: () => string, callback: () => { query: string; body: string }): Promise<void> {
  for (;;) {
    try {
      const cb = callback();
      const response = await fetch(`${url()}/wecom/callback/acme/crm?${cb.query}`, { method: 'POST', body: cb.body });
      if (response.status === 200 && (await response.text()) === 'success') return;
    } catch {
      // the host is down: try again
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The steps of the `onboard` workflow `prepareOnboarding` applies: each POSTs to the receiver. */
export const onboardSteps = ['tag', 'welcome', 'remind'];

/**
 * Writes into `dir` the posting plugin (allowed to reach the receiver on `port`) and a host config on `databaseUrl`
 * installing it for tenant acme, with two-second leases so a killed host's runs are taken up again quickly; migrates
 * and applies workflow `onboard`. Answers the config file's path.
 */
export async function prepareOnboarding(dir: string, databaseUrl: string, port: number): Promise<string> {
  await writePluginDir(path.join(dir, 'plugin'), postingPlugin.manifest(port), postingPlugin.source);
  const config = path.join(dir, 'lianjie.config.json');
  writeFileSync(config, JSON.stringify({
    database: databaseUrl, host: '127.0.0.1', port: 0, logLevel: 'silent', sandbox: { workers: 1 },
    engine: { leaseMs: 2000 },
    tenants: [{ id: 'acme', corpId: demoCorpId, apps: [{ id: 'crm', agentId: 218, ...demoKeys }] }],
    installs: [{ id: 'crm', tenant: 'acme', plugin: './plugin', grants: ['http'] }],
  }));
  const store = openStore(databaseUrl);
  try {
    await store.migrate();
    const url = `http://127.0.0.1:${port}/effects`;
    await store.workflows().apply('acme', 'onboard', JSON.stringify({
      id: 'onboard', name: 'onboard', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
      steps: onboardSteps.map((id) => ({ id, action: 'acme.crm/post', input: { url, step: id, who: '{{ trigger.data.externalUserId }}' } })),
    }));
  } finally {
    await store.close();
  }
  return config;
}

// Runs the `lianjie` CLI as real child processes for the e2e tests: spawning, output capture, temp folders, configs and cleanup.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { contactAddedXml as contactAdded } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, demoSuiteId, suiteCorpId } from './host.ts';
import { freshTempDir, type TempDir } from './tmp.ts';

export const repo = path.resolve(import.meta.dirname, '../..');
export const cli = path.join(repo, 'core/src/cli/main.ts');
export const launcher = path.join(repo, 'core/bin/lianjie.js');
export const appKeys = { ...demoKeys, receiveId: demoCorpId };

/** The machine's own node when it is older than 24 (the launcher must re-exec), else undefined. */
export const olderNode = (() => {
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
export const childEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const { NODE_OPTIONS: _options, ...rest } = process.env;
  return { ...rest, ...extra };
};

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** The node binary and its arguments before the CLI's; default the pinned Node 24 running main.ts. */
  command?: [string, ...string[]];
  env?: NodeJS.ProcessEnv;
  /** Start in a new process group, so a signal can reach the whole group as a terminal's Ctrl-C does. */
  detached?: boolean;
}

/** Children still running, and whether each leads its own process group (then its children die with it). */
export const running = new Map<ChildProcess, boolean>();

export function start(args: string[], options: RunOptions): { child: ChildProcess; output: () => Result; exited: Promise<Result> } {
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
export async function run(args: string[], options: RunOptions): Promise<Result> {
  const { child, exited } = start(args, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface Server {
  child: ChildProcess;
  url: string;
  output: () => Result;
  exited: Promise<Result>;
}

/** Starts `serve` and resolves once it has printed its address. */
export async function serve(args: string[], options: RunOptions): Promise<Server> {
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
export async function exitWithin(exited: Promise<Result>, ms: number): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms); });
  try {
    return await Promise.race([exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const lines = (text: string) => text.split('\n').filter((line) => line !== '');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const contactAddedXml = (externalUserId: string) =>
  contactAdded({ corpId: demoCorpId, userId: 'zhangsan', externalUserId, createTime: 1700000001 });

let tmp: TempDir;

/**
 * Gives the calling test file a fresh temp dir before its tests and, after them, kills every child it left running
 * (the whole process group for detached ones) and removes the temp dir. Call once at the top of each file that starts processes.
 */
export function useCliSandbox(): void {
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
}

/** A path inside the test file's temp dir. */
export function tmpFile(name: string): string {
  return tmp.file(name);
}

/** A fresh folder under the test's temp dir. */
export function folder(name: string): string {
  const dir = tmp.file(name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeConfig(dir: string, config: unknown, name = 'lianjie.config.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export const liveConfig = (database: string) => ({
  database, host: '127.0.0.1', port: 0, logLevel: 'silent',
  tenants: [
    { id: 'acme', name: 'Acme Fruit', corpId: demoCorpId, apps: [{ id: 'crm', agentId: 218, ...demoKeys }] },
    { id: 'beta', name: 'Beta Jewels', corpId: suiteCorpId, apps: [] },
  ],
  suites: [{ id: demoSuiteId, ...demoKeys }],
});

// One sandbox worker process as the host sees it: spawn, the line channel to it, and its death.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openLineChannel, type LineChannel } from './line-channel.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { readTrace, tracePath } from './trace.ts';

// `.ts` in the repository (Node strips the types), `.js` in the published package.
const workerMain = fileURLToPath(new URL(`./worker-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

export interface WorkerSettings {
  maxIsolates: number;
  maxCallsPerInvocation: number;
}

export interface WorkerProcess {
  readonly pid: number | undefined;
  readonly startedAt: number;
  /** Bundles (sha256) this process already holds, so their code is sent once. */
  readonly bundles: Set<string>;
  send(message: ToWorker, payload?: string): void;
  kill(): void;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  /** The last lines the process wrote to stderr: why it died, when V8 said so. */
  stderrTail(): string;
  /** The invocation whose guest code it ran last (see trace.ts); after its death, what it was running then. */
  lastMarked(): string | undefined;
  /** When it last sent anything. */
  lastHeard(): number;
}

export interface WorkerEvents {
  message(message: FromWorker): void;
  exit(why: string): void;
}

export function startWorkerProcess(settings: WorkerSettings, events: WorkerEvents): WorkerProcess {
  const trace = tracePath();
  // Plugins' neighbours get nothing of the host's environment (secrets, database URLs): only what Node needs.
  const env: NodeJS.ProcessEnv = { LIANJIE_SANDBOX_WORKER: JSON.stringify({ ...settings, trace }) };
  for (const name of ['PATH', 'TZ', 'LANG', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name];
  const child: ChildProcess = spawn(process.execPath, ['--no-node-snapshot', workerMain], { stdio: ['ignore', 'inherit', 'pipe', 'pipe'], env });
  let heard = Date.now();
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
  });
  const socket = child.stdio[3] as Socket;
  const channel: LineChannel = openLineChannel(
    socket,
    (message) => {
      heard = Date.now();
      events.message(message as FromWorker);
    },
    () => child.kill('SIGKILL'), // a worker that breaks the protocol is treated as crashed
  );
  let marked: string | undefined;
  socket.on('error', () => {}); // the exit handler reports the death
  let exited = false;
  let markExited: () => void = () => {};
  const exitedPromise = new Promise<void>((resolve) => (markExited = resolve));
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (exited) return;
    exited = true;
    marked = readTrace(trace, true);
    markExited();
    events.exit(signal ? `killed by ${signal}` : `exited with code ${code}`);
  };
  child.on('exit', onExit);
  child.on('error', (error) => {
    if (exited) return;
    exited = true;
    marked = readTrace(trace, true);
    markExited();
    events.exit(`could not start: ${error.message}`);
  });
  return {
    get pid() {
      return child.pid;
    },
    startedAt: Date.now(),
    bundles: new Set(),
    send: (message, payload) => channel.send(JSON.stringify(message), payload),
    kill: () => {
      if (!exited) child.kill('SIGKILL');
    },
    stderrTail: () => tail.trim().split('\n').slice(-5).join('\n'),
    lastMarked: () => (exited ? marked : readTrace(trace, false)),
    lastHeard: () => heard,
    exited: exitedPromise,
  };
}

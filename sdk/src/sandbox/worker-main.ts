// Entry point of a sandbox worker process: plugin isolates live here, never in the host process.
import { Socket } from 'node:net';
import { openLineChannel } from './line-channel.ts';
import type { ToWorker } from './protocol.ts';
import { openTrace } from './trace.ts';
import { createWorkerRuntime } from './worker-runtime.ts';

const settings = JSON.parse(process.env.LIANJIE_SANDBOX_WORKER ?? '{}') as { maxIsolates?: number; maxCallsPerInvocation?: number; trace?: string };

// fd 3 is the duplex pipe the host opened for this worker.
const socket = new Socket({ fd: 3, readable: true, writable: true });
const runtime = createWorkerRuntime({
  send: (line) => channel.send(line),
  maxIsolates: settings.maxIsolates ?? 1000,
  maxCallsPerInvocation: settings.maxCallsPerInvocation ?? 1000,
  watchdogMs: 10,
  mark: openTrace(settings.trace),
});
const channel = openLineChannel(socket, (message, payload) => runtime.handle(message as ToWorker, payload ?? ''));
// The host going away (socket closed) ends the worker: nothing here outlives its supervisor.
socket.on('close', () => process.exit(0));
socket.on('error', () => process.exit(0));
channel.send(JSON.stringify({ t: 'ready', pid: process.pid }));

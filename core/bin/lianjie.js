#!/usr/bin/env node
// Starts the lianjie CLI on the Node version the project pins (24, with --no-node-snapshot), whatever Node ran this file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const main = path.join(here, '..', 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24 && process.execArgv.includes('--no-node-snapshot')) {
  await import(main);
} else {
  const node = major >= 24 ? process.execPath : findPinnedNode(here);
  if (!node) {
    console.error(`lianjie: needs Node >= 24 (this is ${process.version}) and found no pinned node in node_modules; run npm install`);
    process.exit(1);
  }
  const child = spawn(node, ['--no-node-snapshot', main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 1);
  });
}

/** The `node` npm package's binary in the nearest node_modules above this file. */
function findPinnedNode(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'node', 'bin', 'node');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

// Fresh temporary directories for tests, removed by the caller when done.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempDir {
  path: string;
  /** A path inside the directory. */
  file(name: string): string;
  remove(): Promise<void>;
}

export async function freshTempDir(prefix = 'lianjie-test-'): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return {
    path: dir,
    file: (name) => path.join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

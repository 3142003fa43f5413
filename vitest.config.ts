// isolated-vm and the host need `--no-node-snapshot`; forks give each test file its own process. The repository's own
// plugins import `@lianjie/sdk` as an ISV's do; here it is the SDK's source (tsconfig.json's paths say the same).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const sdk = (file: string) => fileURLToPath(new URL(`./sdk/src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@lianjie\/sdk\/testing$/, replacement: sdk('testing/index.ts') },
      { find: /^@lianjie\/sdk$/, replacement: sdk('index.ts') },
    ],
  },
  test: {
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    include: ['core/**/*.test.ts', 'sdk/**/*.test.ts', 'plugins/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

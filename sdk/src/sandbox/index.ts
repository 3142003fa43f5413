// The sandbox a host runs plugins in: supervised worker processes, each holding isolated-vm isolates, one per
// install and bundle. The host (`lianjie serve`) and the test kit (`@lianjie/sdk/testing`) both run this code, so
// a plugin's tests exercise exactly the limits and bridge it meets in production.
export {
  createSandboxPool, workerIndexFor, type PoolEvent, type RegisteredIds, type SandboxBundle, type SandboxCall, type SandboxPoolOptions, type WorkerStats,
} from './pool.ts';
export { failure, type Failure, type Result } from './result.ts';

// Group commit for checkpoints: the runs of one executor that checkpoint at about the same time share one transaction,
// so a durable write (an fsync on SQLite's FULL) is paid once per batch rather than once per step.
import type { RunCheckpoint, RunRepository } from '../../store/types.ts';

interface Queued {
  runId: string;
  update: RunCheckpoint;
  resolve(written: boolean): void;
  reject(error: unknown): void;
}

/** Most checkpoints in one transaction: a batch should not hold SQLite's write lock for long. */
const maxBatch = 256;

/** A `checkpoint(runId, update)` for `owner` whose calls are written together; one batch is in flight at a time. */
export function createCheckpointWriter(runs: RunRepository, owner: string): (runId: string, update: RunCheckpoint) => Promise<boolean> {
  let queue: Queued[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const written = await runs.checkpointMany(owner, batch.map(({ runId, update }) => ({ runId, update })));
        batch.forEach((item, i) => item.resolve(written[i] === true));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    flushing = false;
  }

  return (runId, update) => new Promise<boolean>((resolve, reject) => {
    queue.push({ runId, update, resolve, reject });
    if (flushing) return;
    flushing = true;
    // Checkpoints requested in this turn of the event loop join the first batch.
    setImmediate(() => void flush());
  });
}

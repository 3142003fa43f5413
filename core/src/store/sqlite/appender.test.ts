// The append thread reports its own death instead of leaving appends pending forever.
import { describe, expect, it } from 'vitest';
import { createThreadAppender } from './appender.ts';

describe('SQLite append thread', () => {
  it('rejects appends and reports failure when its thread cannot start', async () => {
    const appender = createThreadAppender({ file: '/nonexistent-dir/for/sure/inbox.db', synchronous: 'FULL' }, ['id']);
    await expect(appender.append([['x']])).rejects.toThrow();
    expect(appender.failure()).toBeInstanceOf(Error);
    await expect(appender.append([['y']])).rejects.toThrow();
    await appender.close();
  });
});

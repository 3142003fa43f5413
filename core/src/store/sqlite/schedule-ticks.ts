// Schedule ticks on the store's main SQLite connection: a claim is one upsert that only takes an unclaimed tick or
// one whose claim ended without it being done.
import type Database from 'better-sqlite3';
import type { ScheduleTick, ScheduleTickRepository } from '../types.ts';

export function createSqliteScheduleTicks(sqlite: Database.Database): ScheduleTickRepository {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));
  return {
    async claim(tick, owner, claimedUntil, now) {
      return s().claim.run({ ...tick, owner, claimedUntil, now }).changes > 0;
    },
    async done(tick, owner, failure) {
      return s().done.run({ ...tick, owner, now: Date.now(), failure: failure ? JSON.stringify(failure) : null }).changes > 0;
    },
    async abandoned(now, limit, installIds) {
      return s().abandoned.all({ now, limit, installIds: JSON.stringify(installIds) }) as ScheduleTick[];
    },
    async prune(before) {
      return s().prune.run({ before }).changes;
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    claim: sqlite.prepare(
      `INSERT INTO schedule_ticks (install_id, trigger_id, tick_at, claimed_by, claimed_until)
       VALUES (@installId, @triggerId, @tickAt, @owner, @claimedUntil)
       ON CONFLICT (install_id, trigger_id, tick_at) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
       WHERE schedule_ticks.done_at IS NULL AND schedule_ticks.claimed_until < @now`,
    ),
    done: sqlite.prepare(
      `UPDATE schedule_ticks SET done_at = @now, failure = @failure
       WHERE install_id = @installId AND trigger_id = @triggerId AND tick_at = @tickAt AND claimed_by = @owner AND done_at IS NULL`,
    ),
    abandoned: sqlite.prepare(
      `SELECT install_id AS installId, trigger_id AS triggerId, tick_at AS tickAt FROM schedule_ticks
       WHERE done_at IS NULL AND claimed_until < @now AND install_id IN (SELECT value FROM json_each(@installIds))
       ORDER BY claimed_until LIMIT @limit`,
    ),
    prune: sqlite.prepare('DELETE FROM schedule_ticks WHERE done_at < @before'),
  };
}

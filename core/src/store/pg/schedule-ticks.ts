// Schedule ticks on PostgreSQL: a claim is one upsert that only takes an unclaimed tick or one whose claim ended
// without it being done; the row lock makes two hosts claiming at once take turns, and only one wins.
import type pg from 'pg';
import type { ScheduleTickRepository } from '../types.ts';

const claimSql = `INSERT INTO schedule_ticks (install_id, trigger_id, tick_at, claimed_by, claimed_until) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (install_id, trigger_id, tick_at) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
  WHERE schedule_ticks.done_at IS NULL AND schedule_ticks.claimed_until < $6`;
const doneSql = `UPDATE schedule_ticks SET done_at = $5, failure = $6
  WHERE install_id = $1 AND trigger_id = $2 AND tick_at = $3 AND claimed_by = $4 AND done_at IS NULL`;
const abandonedSql = `SELECT install_id AS "installId", trigger_id AS "triggerId", tick_at AS "tickAt" FROM schedule_ticks
  WHERE done_at IS NULL AND claimed_until < $1 AND install_id = ANY($3::text[]) ORDER BY claimed_until LIMIT $2`;
const pruneSql = 'DELETE FROM schedule_ticks WHERE done_at < $1';

export function createPgScheduleTicks(pool: pg.Pool): ScheduleTickRepository {
  return {
    async claim(tick, owner, claimedUntil, now) {
      const { rowCount } = await pool.query({ name: 'lianjie_ticks_claim', text: claimSql, values: [tick.installId, tick.triggerId, tick.tickAt, owner, claimedUntil, now] });
      return (rowCount ?? 0) > 0;
    },
    async done(tick, owner, failure) {
      const { rowCount } = await pool.query({
        name: 'lianjie_ticks_done', text: doneSql, values: [tick.installId, tick.triggerId, tick.tickAt, owner, Date.now(), failure ? JSON.stringify(failure) : null],
      });
      return (rowCount ?? 0) > 0;
    },
    async abandoned(now, limit, installIds) {
      const { rows } = await pool.query<{ installId: string; triggerId: string; tickAt: string }>({
        name: 'lianjie_ticks_abandoned', text: abandonedSql, values: [now, limit, installIds],
      });
      return rows.map((r) => ({ installId: r.installId, triggerId: r.triggerId, tickAt: Number(r.tickAt) }));
    },
    async prune(before) {
      const { rowCount } = await pool.query({ name: 'lianjie_ticks_prune', text: pruneSql, values: [before] });
      return rowCount ?? 0;
    },
  };
}

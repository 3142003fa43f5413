// Inbox row ids that sort in the order this process wrote them, so (received_at, id) keeps a batch's order.
import { randomFillSync, randomInt } from 'node:crypto';

let lastTime = 0;
let sequence = 0;
// One crypto call per 1024 ids rather than per id: ids are made on the ingress's hot path.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex4(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 4;
  return pool.toString('hex', poolOffset - 4, poolOffset);
}

/** `inb_` + time (9 base-36 chars) + a per-millisecond sequence (8 hex) + randomness (8 hex); same length as ids.ts's. */
export function newInboxId(now: number = Date.now()): string {
  // A clock that steps back must not reorder ids, so time never goes below the last one used.
  const time = Math.max(now, lastTime);
  if (time === lastTime) {
    sequence += 1;
  } else {
    lastTime = time;
    // A random start keeps ids from two processes in the same millisecond from colliding on their prefix.
    sequence = randomInt(0, 0x7fffffff);
  }
  if (sequence > 0xffffffff) {
    lastTime = time + 1;
    sequence = 0;
  }
  return `inb_${lastTime.toString(36).padStart(9, '0')}${sequence.toString(16).padStart(8, '0')}${randomHex4()}`;
}

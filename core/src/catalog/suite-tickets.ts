// A suite's newest ticket, as the WeCom client asks for it when it needs a suite token: kept sealed by the store.
import { LianjieError } from '../errors.ts';
import type { Sealer } from '../secrets/seal.ts';
import type { Store } from '../store/types.ts';

export function suiteTicketReader(store: Store, sealer: () => Sealer): (suiteId: string) => Promise<string> {
  return async (suiteId) => {
    const kept = await store.tenants().suiteTicket(suiteId);
    if (!kept) {
      throw new LianjieError('wecom.suite_ticket_missing', `no suite_ticket has arrived for suite "${suiteId}" yet; WeCom pushes one every 10 minutes`);
    }
    return sealer().open(kept.ticket);
  };
}

// The simulator's own controls over HTTP, beside WeCom's API paths: what a demo or a person at a terminal drives it
// with from another process (make customers arrive, read what the host did). Not part of WeCom's API.
import { Hono } from 'hono';
import type { CorpWorld, WecomSimulator } from './server.ts';

export interface ArrivedCustomer {
  corpId: string;
  externalUserId: string;
  userId: string;
  state?: string;
  welcomeCode?: string;
  /** The host's answers to the callback, one per callback URL. */
  statuses: number[];
}

/** Customers adding staff through the corp's channel codes, taken in turn. */
export async function customersArrive(world: CorpWorld, corpId: string, count: number): Promise<ArrivedCustomer[]> {
  const ways = [...world.contactWays.values()];
  if (ways.length === 0) throw new Error(`corp ${corpId} has no channel codes (contact ways) to arrive through`);
  const arrived: ArrivedCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const way = ways[i % ways.length]!;
    const added = await world.customerAddsStaff({ configId: way.configId });
    arrived.push({
      corpId, externalUserId: added.externalUserId, userId: way.users[0]!, ...(way.state ? { state: way.state } : {}),
      ...(added.welcomeCode ? { welcomeCode: added.welcomeCode } : {}), statuses: added.deliveries.map((d) => d.status),
    });
  }
  return arrived;
}

export function controlRoutes(sim: WecomSimulator, corpIds: readonly string[]): Hono {
  const app = new Hono();
  app.get('/_simulator', (c) => c.json({
    corps: corpIds.map((corpId) => {
      const world = sim.world(corpId);
      return {
        corpId, staff: [...world.staff.keys()], customers: world.customers.size,
        channelCodes: [...world.contactWays.values()].map((w) => ({ configId: w.configId, state: w.state, users: w.users })),
      };
    }),
    effects: sim.effects.length, callbacks: sim.callbacks.length,
  }));
  app.post('/_simulator/customers', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { corpId?: unknown; count?: unknown };
    const corpId = typeof body.corpId === 'string' ? body.corpId : corpIds[0];
    const count = body.count === undefined ? 1 : Number(body.count);
    if (!corpId || !corpIds.includes(corpId)) return c.json({ error: `no corp ${String(body.corpId)} (corps: ${corpIds.join(', ')})` }, 404);
    if (!Number.isInteger(count) || count < 1 || count > 1000) return c.json({ error: '/count must be an integer from 1 to 1000' }, 400);
    try {
      return c.json({ arrived: await customersArrive(sim.world(corpId), corpId, count) });
    } catch (error) {
      return c.json({ error: error instanceof Error ? error.message : String(error) }, 409);
    }
  });
  app.get('/_simulator/effects', (c) => {
    const since = Number(c.req.query('since') ?? 0);
    return c.json({ effects: sim.effects.slice(Number.isInteger(since) && since > 0 ? since : 0) });
  });
  return app;
}

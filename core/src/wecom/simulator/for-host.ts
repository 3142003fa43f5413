// A simulator standing in for WeCom in front of a host: one simulated enterprise per tenant of the host's config, whose
// app secrets are the apps' secrets, whose callbacks go to the host's callback URLs, seeded with a world file.
import type { HostConfig } from '../../config/types.ts';
import { controlRoutes } from './control-routes.ts';
import { createWecomSimulator, type WecomSimulator } from './server.ts';
import type { TokenApp } from './tokens.ts';
import type { WorldSeed } from './world.ts';

export interface SimulatorForHost {
  sim: WecomSimulator;
  corpIds: string[];
}

/**
 * `hostUrl` is where the host listens; `worlds` seeds each tenant's enterprise by tenant id (staff, tags, channel
 * codes). An app without a secret gets no API access (WeCom would refuse it too), only callbacks.
 */
export function simulatorForHost(config: Pick<HostConfig, 'tenants'>, hostUrl: string, worlds: Record<string, WorldSeed> = {}): SimulatorForHost {
  const corps = config.tenants.map((tenant) => ({
    corpId: tenant.corpId,
    corpName: tenant.name ?? tenant.id,
    secrets: Object.fromEntries(tenant.apps.flatMap((app) => (app.secret ? [[app.secret, app.agentId ?? ('contact' as const)] as const] : []))) as Record<string, TokenApp>,
    callbacks: tenant.apps.map((app) => ({ url: `${hostUrl}/wecom/callback/${tenant.id}/${app.id}`, token: app.token, encodingAesKey: app.encodingAesKey, receiveId: tenant.corpId })),
    ...(worlds[tenant.id] ? { seed: worlds[tenant.id] } : {}),
  }));
  const sim = createWecomSimulator({ corps });
  const corpIds = corps.map((c) => c.corpId);
  sim.app.route('/', controlRoutes(sim, corpIds));
  return { sim, corpIds };
}

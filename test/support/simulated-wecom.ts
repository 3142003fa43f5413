// `ctx.wecom` for the SDK's test host, answered by the host's own wecom capability against a WeCom simulator over
// loopback: a plugin's tests meet WeCom's real request shapes, errcodes and limits, not hand-written stubs.
import type { WecomStubs } from '../../sdk/src/testing/index.ts';
import { wecomPermissions, type WecomMethodName } from '../../sdk/src/capabilities/wecom-permissions.ts';
import { isCapabilityFailure } from '../../core/src/capabilities/types.ts';
import { createWecomCapability } from '../../core/src/capabilities/wecom.ts';
import { createWecomClient } from '../../core/src/wecom/api/client.ts';
import { createWecomSimulator, type CorpWorld, type WecomSimulator, type WorldSeed } from '../../core/src/wecom/simulator/index.ts';

export interface SimulatedWecom {
  sim: WecomSimulator;
  world: CorpWorld;
  /** Pass as createTestHost({ wecom }). */
  stubs: WecomStubs;
  close(): Promise<void>;
}

const corpId = 'wwplugintest0001';
const secret = 'plugin-test-secret';

export async function simulatedWecom(seed: WorldSeed = {}, options: { clock?: () => number; agentId?: number } = {}): Promise<SimulatedWecom> {
  const agentId = options.agentId ?? 1000002;
  const sim = createWecomSimulator({ ...(options.clock ? { clock: options.clock } : {}), corps: [{ corpId, secrets: { [secret]: agentId }, seed }] });
  const server = await sim.listen();
  const capability = createWecomCapability({
    client: createWecomClient({ baseUrl: server.url, sleep: async () => {} }),
    access: () => ({ credentials: { kind: 'corp', corpId, secret }, agentId, timezone: 'Asia/Shanghai', quota: { perMonth: 'days-in-month' } }),
  });
  const scope = { tenantId: 'test', installId: 'test', pluginId: 'test', pluginVersion: '0.0.0', httpHosts: [] };
  const stubs: WecomStubs = {};
  for (const method of Object.keys(wecomPermissions) as WecomMethodName[]) {
    stubs[method] = async (args: unknown) => {
      try {
        return await capability.methods[method]!.run(args, scope);
      } catch (error) {
        if (isCapabilityFailure(error)) throw { ...error.failure };
        throw error;
      }
    };
  }
  return { sim, world: sim.world(corpId), stubs, close: () => server.close() };
}

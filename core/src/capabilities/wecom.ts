// The `wecom` capability: WeCom's server API for a plugin, acting for its install's tenant. Each method needs its own
// permission; changes go through the effects ledger (once per workflow step); messages to customers go through the
// tenant's contact quota, shared by every plugin of the tenant.
import { randomUUID } from 'node:crypto';
import type { ContactQuotaPolicy } from '../wecom/contact-quota.ts';
import { quotaWindows, windowOpens } from '../wecom/contact-quota.ts';
import type { Credentials, WecomAnswer, WecomClient } from '../wecom/api/client.ts';
import { failureOf, WecomApiError } from '../wecom/api/errors.ts';
import type { ContactSends, EffectLedger } from '../store/types.ts';
import { once } from './effects.ts';
import { CapabilityFailure, type Capability, type CallScope, type CapabilityMethod } from './types.ts';
import { wecomMethods, type WecomMethod, type WecomMethodSpec } from './wecom-methods.ts';

/** How one tenant reaches WeCom. */
export interface TenantWecom {
  credentials: Credentials;
  /** The app's AgentID, for app messages. */
  agentId?: number;
  timezone: string;
  quota: ContactQuotaPolicy;
}

export interface WecomCapabilityOptions {
  client: WecomClient;
  /** The tenant's WeCom access for a call, or undefined when its config gives none (the call fails wecom.not_configured). */
  access(scope: CallScope): TenantWecom | undefined;
  effects?: EffectLedger;
  /** Where sends to customers are counted; without it, no quota is enforced. */
  contactSends?: ContactSends;
  clock?: () => number;
  /** Told of every customer a quota refused, for metrics. */
  onQuotaRefused?(tenantId: string, window: string): void;
}

export function createWecomCapability(options: WecomCapabilityOptions): Capability {
  const clock = options.clock ?? Date.now;
  const methods: Record<string, CapabilityMethod> = {};
  for (const [name, spec] of Object.entries(wecomMethods)) {
    methods[name] = {
      permission: spec.permission,
      async run(args, scope) {
        const tenant = options.access(scope);
        if (!tenant) throw new CapabilityFailure('wecom.not_configured', `tenant "${scope.tenantId}" has no WeCom app with a secret for plugins to act through`);
        if (name === 'sendAppMessage' && tenant.agentId === undefined) {
          throw new CapabilityFailure('wecom.not_configured', `app messages need the tenant app's agentId, which the host config does not give`);
        }
        const call = (request: ReturnType<WecomMethod['request']>) => callWecom(options.client, tenant.credentials, spec, request, scope.signal);
        const input = args as Record<string, any>;
        if (!spec.effect) return call(spec.request(input, tenant));
        return once(options.effects, scope, {
          effect: `wecom.${name}`,
          perform: (key) => (name === 'sendMassMessage' ? massSend(input, tenant, scope, key, call) : call(spec.request(input, tenant))),
        });
      },
    };
  }
  return { name: 'wecom', methods };

  /**
   * A mass message to customers: each counts against the contact quota first. Customers over it are left out (and
   * listed in `refused_by_quota`); when none is left the call fails `quota.exceeded`, retryable when the earliest window
   * opens. Counted sends are released again if WeCom does not take the message.
   */
  async function massSend(args: Record<string, any>, tenant: TenantWecom, scope: CallScope, key: string | undefined, call: (request: ReturnType<WecomMethod['request']>) => Promise<unknown>) {
    const ids = args.externalUserIds as string[];
    const store = options.contactSends;
    if (!store) return call(wecomMethods.sendMassMessage!.request(args, tenant));
    const now = clock();
    const decision = quotaWindows(tenant.quota, tenant.timezone, now);
    if (!decision.ok) {
      for (let i = 0; i < ids.length; i++) options.onQuotaRefused?.(scope.tenantId, 'quiet');
      throw new CapabilityFailure('quota.exceeded', `no messages to customers during ${decision.reason}`, true, decision.retryAt);
    }
    const sendKey = key ?? `adhoc:${randomUUID()}`;
    const allowed: string[] = [];
    const refused: { external_userid: string; window: string; limit: number; retry_at: string }[] = [];
    for (const id of ids) {
      const verdict = await store.take({ tenantId: scope.tenantId, contactId: id, key: sendKey, sentAt: now }, decision.windows);
      if (verdict.ok) {
        allowed.push(id);
        continue;
      }
      options.onQuotaRefused?.(scope.tenantId, verdict.window);
      refused.push({ external_userid: id, window: verdict.window, limit: verdict.limit, retry_at: new Date(windowOpens(verdict.window, tenant.timezone, now)).toISOString() });
    }
    if (allowed.length === 0) {
      const first = refused.reduce((a, b) => (a.retry_at <= b.retry_at ? a : b));
      const who = ids.length === 1 ? `customer ${ids[0]}` : `all ${ids.length} customers`;
      throw new CapabilityFailure('quota.exceeded', `${who} reached the tenant's contact quota (${first.limit} per ${first.window})`, true, Date.parse(first.retry_at));
    }
    try {
      const answer = (await call(wecomMethods.sendMassMessage!.request({ ...args, externalUserIds: allowed }, tenant))) as Record<string, unknown>;
      return refused.length === 0 ? answer : { ...answer, refused_by_quota: refused };
    } catch (error) {
      // Given back only when WeCom said no: after a timeout the task may exist, and counting it is the safe side.
      if (error instanceof CapabilityFailure && error.failure.code !== 'wecom.unreachable') {
        await Promise.all(allowed.map((id) => store.release(scope.tenantId, id, sendKey)));
      }
      throw error;
    }
  }
}

/**
 * One WeCom call; WeCom's errors become coded capability failures, and the answer loses errcode and errmsg. A change
 * whose answer never came (a timeout, a reset) may have been made: it is not retryable, since sending again could
 * send twice (a second welcome fails 41051 anyway; a second mass message reaches the customer twice).
 */
async function callWecom(client: WecomClient, credentials: Credentials, spec: WecomMethodSpec, request: ReturnType<WecomMethod['request']>, signal?: AbortSignal): Promise<unknown> {
  let answer: WecomAnswer;
  try {
    answer = await client.call(credentials, spec.api, { method: spec.method, ...request, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (!(error instanceof WecomApiError)) throw error;
    const { code, message, retryable } = failureOf(error);
    if (spec.effect && error.errcode === undefined) throw new CapabilityFailure(code, `${message}; WeCom may have made the change, so it is not tried again`, false);
    throw new CapabilityFailure(code, message, retryable);
  }
  const { errcode: _errcode, errmsg: _errmsg, ...rest } = answer;
  return rest;
}

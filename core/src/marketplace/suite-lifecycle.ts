// What a suite's command callbacks do to tenants (REFERENCE.md §1.6): the newest suite_ticket is kept (sealed); on
// create_auth the auth code becomes the corp's permanent code and the corp a tenant (or the same tenant again, if it
// authorised before); on cancel_auth the tenant is disabled and its data scheduled for deletion, as WeCom requires.
// The router offers these events here before routing them; answering false offers the event again on a later pass.
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.ts';
import type { SuiteConfig } from '../config/types.ts';
import { isLianjieError } from '../errors.ts';
import type { EventProtector } from '../inbox/decode-row.ts';
import type { Logger } from '../ops/logger.ts';
import type { Sealer } from '../secrets/seal.ts';
import type { StoredEvent, Store } from '../store/types.ts';
import type { SuiteCredentials, WecomClient } from '../wecom/api/client.ts';
import { busy, WecomApiError } from '../wecom/api/errors.ts';
import { suiteTicketReader } from '../catalog/suite-tickets.ts';
import { defaultTimezone } from './tenant-admin.ts';

export interface SuiteLifecycleDeps {
  store: Store;
  catalog: Catalog;
  client: WecomClient;
  suites: readonly SuiteConfig[];
  secrets(): Sealer;
  /** Days a cancelled tenant's data is kept before it is deleted. */
  retainDays: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

/**
 * Suite event types this handles; other events pass untouched. reset_permanent_code (代开发 apps) carries an auth code
 * for the corp's new permanent code, exchanged as create_auth's is.
 */
export const suiteCommandTypes = new Set(['wecom.suite.ticket', 'wecom.suite.create_auth', 'wecom.suite.reset_permanent_code', 'wecom.suite.cancel_auth']);

export function createSuiteLifecycle(deps: SuiteLifecycleDeps): (event: StoredEvent) => Promise<boolean> {
  const { store, catalog, logger } = deps;
  const now = deps.now ?? Date.now;

  const ticket = suiteTicketReader(store, deps.secrets);
  const credentials = (suite: SuiteConfig & { secret: string }): SuiteCredentials => ({ suiteId: suite.id, suiteSecret: suite.secret, ticket: () => ticket(suite.id) });

  async function createAuth(event: StoredEvent, suite: SuiteConfig & { secret: string }, sealedCode: string): Promise<boolean> {
    let answer: Record<string, unknown>;
    try {
      answer = await deps.client.suite.permanentCode(credentials(suite), deps.secrets().open(sealedCode));
    } catch (error) {
      // No ticket yet: one comes within 10 minutes.
      if (isLianjieError(error) && error.code === 'wecom.suite_ticket_missing') return false;
      if (!(error instanceof WecomApiError)) throw error;
      // Unreachable, busy or rate-limited: try again on a later pass. Any other errcode (an expired or used auth code)
      // will not change by trying again; another host process on the same database may have used it first.
      if (error.errcode === undefined || busy.has(error.errcode)) return false;
      logger.error({ err: error, suiteId: suite.id, eventId: event.id }, `${event.type}: WeCom refused the auth code (used already by another host process, or expired: then the corp must authorise again)`);
      return true;
    }
    const corp = answer.auth_corp_info as { corpid?: unknown; corp_name?: unknown } | undefined;
    const agent = (answer.auth_info as { agent?: { agentid?: unknown }[] } | undefined)?.agent?.[0];
    if (typeof answer.permanent_code !== 'string' || typeof corp?.corpid !== 'string') {
      logger.error({ suiteId: suite.id, eventId: event.id }, 'create_auth: WeCom answered without a permanent code or corp id');
      return true;
    }
    // A corp or id of the config file's tenants is the operator's: a suite does not make a second tenant of it.
    const fixed = [...catalog.current().tenants.values()].filter((t) => t.origin === 'config');
    if (fixed.some((t) => t.corpId === corp.corpid)) {
      logger.error({ corpId: corp.corpid, suiteId: suite.id }, `${event.type}: the corp is a tenant of the host config file; the suite authorisation is not used`);
      return true;
    }
    const sealedPermanent = deps.secrets().seal(answer.permanent_code);
    const base = tenantIdFor(corp.corpid);
    const candidates = Array.from({ length: 20 }, (_, i) => (i === 0 ? base : `${base.slice(0, 58)}-${i + 1}`)).filter((id) => !fixed.some((t) => t.id === id));
    for (const id of candidates) {
      const outcome = await store.tenants().authorise({
        id, name: typeof corp.corp_name === 'string' ? corp.corp_name : null, corpId: corp.corpid,
        timezone: defaultTimezone, contactQuota: null, origin: 'suite', suiteId: suite.id, permanentCode: sealedPermanent,
        suiteAgentId: typeof agent?.agentid === 'number' ? agent.agentid : null,
      }, now());
      if (outcome.ok) {
        await catalog.changed();
        logger.info({ tenantId: outcome.tenant.id, corpId: corp.corpid, suiteId: suite.id, reactivated: outcome.reactivated }, 'suite authorised by a corp');
        return true;
      }
      if (outcome.reason === 'corp_taken') {
        logger.error({ corpId: corp.corpid, suiteId: suite.id }, `${event.type}: the corp is a tenant made through the admin API; the suite authorisation is not used`);
        return true;
      }
    }
    logger.error({ corpId: corp.corpid }, 'create_auth: no free tenant id for the corp');
    return true;
  }

  async function cancelAuth(event: StoredEvent, suite: SuiteConfig, corpId: string): Promise<boolean> {
    const tenant = await store.tenants().byCorpId(corpId);
    // Only the suite the corp authorised last can end it; a second delivery (or another process) finds it ended.
    if (!tenant || tenant.origin !== 'suite' || tenant.suiteId !== suite.id) {
      logger.warn({ corpId, suiteId: suite.id, eventId: event.id }, 'cancel_auth for a corp that is no tenant of this suite here');
      return true;
    }
    if (tenant.status === 'disabled') return true;
    const at = now();
    await store.tenants().disable(tenant.id, at, at + deps.retainDays * 86_400_000);
    await catalog.changed();
    logger.info({ tenantId: tenant.id, corpId }, 'suite authorisation cancelled: tenant disabled, data scheduled for deletion');
    return true;
  }

  return async (event) => {
    if (!suiteCommandTypes.has(event.type)) return true;
    const data = event.data as { suiteId?: string; suiteTicket?: string; authCode?: string; authCorpId?: string };
    const suite = deps.suites.find((s) => s.id === event.suiteId);
    if (!suite) return true;
    try {
      switch (event.type) {
        case 'wecom.suite.ticket':
          if (data.suiteTicket) await store.tenants().putSuiteTicket(suite.id, data.suiteTicket, Date.parse(event.occurredAt) || now());
          return true;
        case 'wecom.suite.create_auth':
        case 'wecom.suite.reset_permanent_code':
          if (!suite.secret) {
            logger.error({ suiteId: suite.id }, 'create_auth: the suite has no secret in the host config, so its auth code cannot be exchanged');
            return true;
          }
          return await createAuth(event, { ...suite, secret: suite.secret }, data.authCode ?? '');
        default:
          return await cancelAuth(event, suite, data.authCorpId ?? '');
      }
    } catch (error) {
      // No key to seal or open with: nothing will change until an operator sets one, so the event is not held.
      if (isLianjieError(error) && error.code.startsWith('secret.')) {
        logger.error({ err: error, eventId: event.id }, `${event.type}: ${error.message}`);
        return true;
      }
      throw error;
    }
  };
}

/** A tenant id from a corp id: the id pattern is lower-case, so WeCom's mixed-case ids are folded (clashes get -2, -3, …). */
export function tenantIdFor(corpId: string): string {
  const folded = corpId.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
  return (folded || 'corp').slice(0, 63);
}

/** The fields of suite command events that are credentials: kept sealed in the event, and out of its raw message. */
export const credentialFields = { 'wecom.suite.ticket': 'suiteTicket', 'wecom.suite.create_auth': 'authCode', 'wecom.suite.reset_permanent_code': 'authCode' } as const;

/**
 * Seals a suite_ticket's ticket and a create_auth's auth code before the event is stored; without a key they are
 * dropped (and the suite cannot act, which the lifecycle reports).
 */
export function suiteSecretProtector(secrets: () => Sealer, logger: Pick<Logger, 'error'>): EventProtector {
  return (event, raw) => {
    const field = credentialFields[event.type as keyof typeof credentialFields];
    const data = event.data as Record<string, unknown>;
    const plain = field && data[field];
    if (typeof plain !== 'string' || plain === '') return { event, raw };
    let sealed = '';
    try {
      sealed = secrets().seal(plain);
    } catch (error) {
      logger.error({ err: error, type: event.type }, `${event.type}: its ${field} is not kept: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { event: { ...event, dedupKey: event.dedupKey.replaceAll(plain, credentialDigest(plain)), data: { ...data, [field]: sealed } }, raw: raw.replaceAll(plain, '[sealed]') };
  };
}

/** What stands for a credential in a dedup key: stable across WeCom's redeliveries, without the value. */
export function credentialDigest(plain: string): string {
  return `#${createHash('sha256').update(plain).digest('hex').slice(0, 16)}`;
}

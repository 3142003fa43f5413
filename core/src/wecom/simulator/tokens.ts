// Access tokens as WeCom issues them (doc 91039, REFERENCE.md §4.1): 7,200 s on the simulator clock, one live token per app.
import { secretString } from './ids.ts';

export const tokenLifetimeMs = 7200 * 1000;

/** Which app a corp token acts as: an agent id, or the 客户联系 (customer contact) secret. */
export type TokenApp = number | 'contact';

export interface CorpToken {
  token: string;
  corpId: string;
  app: TokenApp;
  /** Set for tokens from get_corp_token / get_permanent_code. */
  suiteId?: string;
  issuedAt: number;
  expiresAt: number;
  /** Revoked by invalidateTokens: WeCom no longer knows it (40014). */
  revoked: boolean;
}

export interface SuiteToken {
  token: string;
  suiteId: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type Lookup<T> = { ok: T } | { errcode: number };

export interface TokenStore {
  /** Issues a corp token for `key` (one per app), or returns the live one: "有效期内重复获取返回相同结果". */
  issueCorp(key: string, corpId: string, app: TokenApp, suiteId?: string): CorpToken;
  issueSuite(suiteId: string): SuiteToken;
  corp(token: string | undefined): Lookup<CorpToken>;
  suite(token: string | undefined): Lookup<SuiteToken>;
  /** Ends a token now, as if its 7,200 s were up: calls get 42001 (42009 for a suite token). */
  expire(token: string): boolean;
  /** Forgets every token of a corp, as WeCom may do early: calls get 40014 and gettoken issues new ones. */
  invalidateCorp(corpId: string): number;
}

export function createTokenStore(clock: () => number): TokenStore {
  const corpTokens = new Map<string, CorpToken>();
  const suiteTokens = new Map<string, SuiteToken>();
  const currentCorp = new Map<string, CorpToken>();
  const currentSuite = new Map<string, SuiteToken>();
  const live = (t: { expiresAt: number; revoked: boolean }) => !t.revoked && clock() < t.expiresAt;

  return {
    issueCorp(key, corpId, app, suiteId) {
      const current = currentCorp.get(key);
      if (current && live(current)) return current;
      const now = clock();
      const token: CorpToken = { token: secretString(), corpId, app, issuedAt: now, expiresAt: now + tokenLifetimeMs, revoked: false };
      if (suiteId !== undefined) token.suiteId = suiteId;
      corpTokens.set(token.token, token);
      currentCorp.set(key, token);
      return token;
    },
    issueSuite(suiteId) {
      const current = currentSuite.get(suiteId);
      if (current && live(current)) return current;
      const now = clock();
      const token: SuiteToken = { token: secretString(), suiteId, issuedAt: now, expiresAt: now + tokenLifetimeMs, revoked: false };
      suiteTokens.set(token.token, token);
      currentSuite.set(suiteId, token);
      return token;
    },
    corp(token) {
      if (!token) return { errcode: 41001 };
      const found = corpTokens.get(token);
      // A suite_access_token where an access_token belongs is "wrong token type": 40014, like an unparsable one.
      if (!found || found.revoked) return { errcode: 40014 };
      if (clock() >= found.expiresAt) return { errcode: 42001 };
      return { ok: found };
    },
    suite(token) {
      if (!token) return { errcode: 41022 };
      const found = suiteTokens.get(token);
      if (!found || found.revoked) return { errcode: 40082 };
      if (clock() >= found.expiresAt) return { errcode: 42009 };
      return { ok: found };
    },
    expire(token) {
      const found = corpTokens.get(token) ?? suiteTokens.get(token);
      if (!found) return false;
      found.expiresAt = Math.min(found.expiresAt, clock());
      return true;
    },
    invalidateCorp(corpId) {
      let count = 0;
      for (const t of corpTokens.values()) {
        if (t.corpId === corpId && !t.revoked) {
          t.revoked = true;
          count++;
        }
      }
      return count;
    },
  };
}

/** Seconds left, rounded up: a repeat gettoken returns the same token, so its expires_in is what remains of it. */
export function expiresIn(token: { expiresAt: number }, now: number): number {
  return Math.max(0, Math.ceil((token.expiresAt - now) / 1000));
}

// Access tokens by key (corp and app, suite, corp via suite): each fetched once however many callers ask at the same
// moment, kept until shortly before it expires, and dropped when WeCom refuses it.

export interface IssuedToken {
  token: string;
  /** Seconds the token lives, as WeCom said (`expires_in`). */
  expiresIn: number;
}

interface Entry {
  token: string;
  /** Clock time (ms) after which the token is fetched again. */
  refreshAt: number;
}

export interface TokenCacheOptions {
  clock?: () => number;
  /** Fetch a new token this long before WeCom's expiry (default 5 minutes: a call started just before still lands). */
  marginMs?: number;
}

export function createTokenCache(options: TokenCacheOptions = {}) {
  const clock = options.clock ?? Date.now;
  const marginMs = options.marginMs ?? 300_000;
  const tokens = new Map<string, Entry>();
  const inflight = new Map<string, Promise<string>>();

  return {
    /** The cached token for `key`, or the one `issue` fetches; concurrent callers share one fetch. */
    get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
      const cached = tokens.get(key);
      if (cached && clock() < cached.refreshAt) return Promise.resolve(cached.token);
      let pending = inflight.get(key);
      if (!pending) {
        pending = issue()
          .then(({ token, expiresIn }) => {
            // A short-lived token is still kept for half its life, not fetched again on every call.
            const lifeMs = expiresIn * 1000;
            tokens.set(key, { token, refreshAt: clock() + Math.max(lifeMs / 2, lifeMs - marginMs) });
            return token;
          })
          .finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      return pending;
    },

    /**
     * Forgets `token` after WeCom refused it. Only that token: when many calls fail with the same stale token, the
     * first forgets it and the rest find the fresh one, rather than each fetching its own.
     */
    invalidate(key: string, token: string): void {
      if (tokens.get(key)?.token === token) tokens.delete(key);
    },
  };
}

export type TokenCache = ReturnType<typeof createTokenCache>;

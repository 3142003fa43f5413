// Bearer tokens for /api/v1, from the host config; each may be limited to some tenants.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../config/types.ts';
import { LianjieError } from '../errors.ts';

export interface Caller {
  tokenId: string;
  /** The tenants the caller may see; undefined: every tenant. */
  tenants: ReadonlySet<string> | undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Resolves `Authorization: Bearer <token>` to its caller, comparing every configured token in constant time. */
export function createAuthenticator(tokens: readonly ApiToken[]): (authorization: string | undefined) => Caller {
  const known = tokens.map((t) => ({ id: t.id, digest: digest(t.token), tenants: t.tenants ? new Set(t.tenants) : undefined }));
  return (authorization) => {
    const given = /^Bearer (\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!given) throw new LianjieError('api.unauthorized', 'send Authorization: Bearer <token> with a token listed in the host config\'s api.tokens');
    const candidate = digest(given);
    let found: (typeof known)[number] | undefined;
    // Every token is compared, so the time taken says nothing about which one came close.
    for (const token of known) if (timingSafeEqual(token.digest, candidate)) found = token;
    if (!found) throw new LianjieError('api.unauthorized', 'the bearer token is not one the host config lists in api.tokens');
    return { tokenId: found.id, tenants: found.tenants };
  };
}

/** Throws api.forbidden unless the caller may see `tenantId`. */
export function requireTenant(caller: Caller, tenantId: string): void {
  if (caller.tenants && !caller.tenants.has(tenantId)) throw new LianjieError('api.forbidden', `token ${caller.tokenId} may not see tenant "${tenantId}"`);
}

// Who is calling /api/v1: a bearer token from the host config (the operator's own, bootstrap) or one issued through
// the API and stored hashed (`lj_<id>.<secret>`). Each has a role: the platform team, a plugin vendor, or a
// tenant's admin; a tenant admin sees only its tenant, a vendor only its plugins.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../config/types.ts';
import { LianjieError } from '../errors.ts';
import type { ApiRole, ApiTokenStore } from '../store/types.ts';

export interface Caller {
  tokenId: string;
  role: ApiRole;
  /** The tenants the caller may see; undefined: every tenant. */
  tenants: ReadonlySet<string> | undefined;
  /** A vendor token's vendor. */
  vendorId?: string;
}

export const digest = (text: string) => createHash('sha256').update(text).digest();

/** A stored token as its holder sends it: the id says which row, the secret is checked against its hash. */
const storedToken = /^lj_(tok_[a-z0-9]{1,64})\.([A-Za-z0-9_-]{20,200})$/;

/** Resolves `Authorization: Bearer <token>` to its caller. */
export function createAuthenticator(tokens: readonly ApiToken[], stored?: Pick<ApiTokenStore, 'get'>): (authorization: string | undefined) => Promise<Caller> {
  const known = tokens.map((t) => ({
    id: t.id, digest: digest(t.token), tenants: t.tenants ? new Set(t.tenants) : undefined,
    role: t.role ?? (t.tenants ? 'tenant' : 'platform') as ApiRole,
  }));
  const refuse = () => new LianjieError('api.unauthorized', 'the bearer token is not one this host issued or lists in api.tokens, or it was revoked');
  return async (authorization) => {
    const given = /^Bearer (\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!given) throw new LianjieError('api.unauthorized', 'send Authorization: Bearer <token>');
    const candidate = digest(given);
    const issued = stored ? storedToken.exec(given) : null;
    if (issued && stored) {
      const row = await stored.get(issued[1]!);
      if (!row || row.revokedAt || !timingSafeEqual(Buffer.from(row.hash, 'hex'), digest(issued[2]!))) throw refuse();
      return {
        tokenId: row.id, role: row.role, tenants: row.tenantId ? new Set([row.tenantId]) : row.role === 'platform' ? undefined : new Set(),
        ...(row.vendorId ? { vendorId: row.vendorId } : {}),
      };
    }
    let found: (typeof known)[number] | undefined;
    // Every configured token is compared, so the time taken says nothing about which one came close.
    for (const token of known) if (timingSafeEqual(token.digest, candidate)) found = token;
    if (!found) throw refuse();
    // A config token's tenants limit it whatever its role.
    return { tokenId: found.id, role: found.role, tenants: found.tenants ?? (found.role === 'platform' ? undefined : new Set()) };
  };
}

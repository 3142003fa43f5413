// /api/v1/tokens: the platform team issues and revokes API tokens. A token's secret is shown once, when it is made;
// only its sha256 is stored.
import { randomBytes } from 'node:crypto';
import { LianjieError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ApiRole, StoredApiToken, Store } from '../store/types.ts';
import { lazy } from './lazy.ts';
import { digest } from './auth.ts';
import type { RouteSpec } from './define-route.ts';

export const tokenJson = (t: StoredApiToken) => ({
  id: t.id, role: t.role, tenantId: t.tenantId, vendorId: t.vendorId, label: t.label, createdAt: t.createdAt, revokedAt: t.revokedAt,
});

export function tokenRoutes(store: Pick<Store, 'apiTokens'>): RouteSpec[] {
  const tokens = lazy(() => store.apiTokens());
  const roles = ['platform'] as const;
  return [
    {
      method: 'post', path: '/api/v1/tokens', tag: 'tokens', roles, status: 201, summary: 'Issues a token for the platform team, a vendor or a tenant admin',
      body: 'api/token-create.schema.json', response: 'api/token-created.schema.json',
      handler: async ({ body }) => {
        const request = body as { role: ApiRole; label: string; tenantId?: string; vendorId?: string };
        const id = newId('tok');
        const secret = randomBytes(32).toString('base64url');
        const token = await tokens.create({
          id, role: request.role, tenantId: request.tenantId ?? null, vendorId: request.vendorId ?? null, label: request.label,
          hash: digest(secret).toString('hex'),
        });
        return { token: tokenJson(token), secret: `lj_${id}.${secret}` };
      },
    },
    {
      method: 'get', path: '/api/v1/tokens', tag: 'tokens', roles, summary: 'Every issued token, newest first, revoked ones included',
      response: 'api/token-list.schema.json',
      handler: async () => ({ tokens: (await tokens.list()).map(tokenJson) }),
    },
    {
      method: 'delete', path: '/api/v1/tokens/:tokenId', tag: 'tokens', roles, summary: 'Revokes a token: it is refused from then on',
      response: 'api/token-revoked.schema.json',
      handler: async ({ params }) => {
        const token = await tokens.revoke(params.tokenId!, Date.now());
        if (!token) throw new LianjieError('token.not_found', `no token ${params.tokenId}`);
        return { token: tokenJson(token) };
      },
    },
  ];
}

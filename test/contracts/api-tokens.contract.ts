// Admin API tokens on every Store dialect: the hash is kept as given (the secret never reaches the store), listing is
// newest first with optional tenant and vendor filters, and a revocation keeps its first time.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ApiRole } from '../../core/src/store/types.ts';
import { iso, t0, useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const token = (id: string, role: ApiRole, scope: { tenantId?: string; vendorId?: string } = {}) => ({
  id, role, tenantId: scope.tenantId ?? null, vendorId: scope.vendorId ?? null, label: `label of ${id}`, hash: sha256(`secret of ${id}`),
});

export function apiTokensContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`api tokens contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);

    it('is the same object on every call', () => {
      expect(current.store.apiTokens()).toBe(current.store.apiTokens());
    });

    it('creates a live token, created now, and gets it back by id; an unknown id is undefined', async () => {
      const tokens = current.store.apiTokens();
      const before = Date.now();
      const created = await tokens.create({ ...token('tok_acme', 'tenant', { tenantId: 'acme' }), label: '运营 token — “ops” 😀' });
      const after = Date.now();
      expect(created).toEqual({
        id: 'tok_acme', role: 'tenant', tenantId: 'acme', vendorId: null, label: '运营 token — “ops” 😀',
        hash: sha256('secret of tok_acme'), createdAt: expect.any(String), revokedAt: null,
      });
      expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
      expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(created.createdAt)).toBeLessThanOrEqual(after);
      expect(await tokens.get('tok_acme')).toEqual(created);
      expect(await tokens.get('tok_nope')).toBeUndefined();
      expect(await tokens.get('TOK_ACME')).toBeUndefined();
    });

    it('keeps the hash exactly as given, and nothing else of the secret', async () => {
      const tokens = current.store.apiTokens();
      const secret = 'lj_secret_0123456789abcdef';
      const hash = sha256(secret);
      await tokens.create({ ...token('tok_p', 'platform'), hash });
      // Not normalised: whatever text the caller hashed to is what comes back.
      await tokens.create({ ...token('tok_upper', 'platform'), hash: hash.toUpperCase() });
      expect((await tokens.get('tok_p'))?.hash).toBe(hash);
      expect((await tokens.get('tok_upper'))?.hash).toBe(hash.toUpperCase());
      expect(JSON.stringify(await tokens.list())).not.toContain(secret);
    });

    it('stores each role with its scope', async () => {
      const tokens = current.store.apiTokens();
      await tokens.create(token('tok_platform', 'platform'));
      await tokens.create(token('tok_vendor', 'vendor', { vendorId: 'v_lianjie' }));
      await tokens.create(token('tok_tenant', 'tenant', { tenantId: 'acme' }));
      expect(await tokens.get('tok_platform')).toMatchObject({ role: 'platform', tenantId: null, vendorId: null });
      expect(await tokens.get('tok_vendor')).toMatchObject({ role: 'vendor', tenantId: null, vendorId: 'v_lianjie' });
      expect(await tokens.get('tok_tenant')).toMatchObject({ role: 'tenant', tenantId: 'acme', vendorId: null });
    });

    it('refuses a taken id, an unknown role, and a tenant or vendor token without its tenant or vendor', async () => {
      const tokens = current.store.apiTokens();
      await tokens.create(token('tok_1', 'platform'));
      await expect(tokens.create(token('tok_1', 'tenant', { tenantId: 'acme' }))).rejects.toThrow();
      await expect(tokens.create(token('tok_2', 'tenant'))).rejects.toThrow();
      await expect(tokens.create(token('tok_3', 'vendor'))).rejects.toThrow();
      await expect(tokens.create(token('tok_4', 'vendor', { tenantId: 'acme' }))).rejects.toThrow();
      await expect(tokens.create(token('tok_5', 'admin' as ApiRole))).rejects.toThrow();
      // The first token is untouched and nothing else was stored.
      expect(await tokens.list()).toEqual([await tokens.get('tok_1')]);
    });

    it('lists newest first, by creation time and then id, filtered by tenant, vendor or both', async () => {
      const tokens = current.store.apiTokens();
      // Created in this order; within one millisecond the later id sorts first.
      const made = [
        token('tok_a', 'platform'),
        token('tok_b', 'tenant', { tenantId: 'acme' }),
        token('tok_c', 'vendor', { vendorId: 'v_one' }),
        token('tok_d', 'tenant', { tenantId: 'globex' }),
        token('tok_e', 'tenant', { tenantId: 'acme', vendorId: 'v_one' }),
      ];
      for (const t of made) await tokens.create(t);
      // A later creation time sorts first even with a smaller id.
      await sleep(5);
      await tokens.create(token('tok_0', 'tenant', { tenantId: 'acme' }));
      const ids = async (filter?: { tenantId?: string; vendorId?: string }) => (await tokens.list(filter)).map((t) => t.id);
      expect(await ids()).toEqual(['tok_0', 'tok_e', 'tok_d', 'tok_c', 'tok_b', 'tok_a']);
      expect(await ids({})).toEqual(['tok_0', 'tok_e', 'tok_d', 'tok_c', 'tok_b', 'tok_a']);
      expect(await ids({ tenantId: 'acme' })).toEqual(['tok_0', 'tok_e', 'tok_b']);
      expect(await ids({ vendorId: 'v_one' })).toEqual(['tok_e', 'tok_c']);
      expect(await ids({ tenantId: 'acme', vendorId: 'v_one' })).toEqual(['tok_e']);
      expect(await ids({ tenantId: 'globex', vendorId: 'v_one' })).toEqual([]);
      expect(await ids({ tenantId: 'nobody' })).toEqual([]);
      // An undefined filter is no filter.
      expect(await ids({ tenantId: undefined, vendorId: 'v_one' })).toEqual(['tok_e', 'tok_c']);
      const listed = await tokens.list();
      for (const t of listed) expect(await tokens.get(t.id)).toEqual(t);
      const times = listed.map((t) => Date.parse(t.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('revokes once: the first time stays, the token stays listed and readable', async () => {
      const tokens = current.store.apiTokens();
      const created = await tokens.create(token('tok_r', 'tenant', { tenantId: 'acme' }));
      // Created after tok_r, and its id sorts after too: newest first either way.
      await tokens.create(token('tok_s', 'tenant', { tenantId: 'acme' }));
      const revoked = await tokens.revoke('tok_r', t0);
      expect(revoked).toEqual({ ...created, revokedAt: iso(t0) });
      expect(await tokens.revoke('tok_r', t0 + 60_000)).toEqual(revoked);
      expect(await tokens.revoke('tok_r', t0 - 60_000)).toEqual(revoked);
      expect(await tokens.get('tok_r')).toEqual(revoked);
      expect(await tokens.list({ tenantId: 'acme' })).toEqual([await tokens.get('tok_s'), revoked]);
      expect((await tokens.get('tok_s'))?.revokedAt).toBeNull();
    });

    it('revoking an unknown id answers undefined and stores nothing', async () => {
      const tokens = current.store.apiTokens();
      expect(await tokens.revoke('tok_nope', t0)).toBeUndefined();
      expect(await tokens.get('tok_nope')).toBeUndefined();
      expect(await tokens.list()).toEqual([]);
    });

    it('another store on the database sees the tokens; racing revocations agree on one time', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const created = await current.store.apiTokens().create(token('tok_shared', 'vendor', { vendorId: 'v_one' }));
        expect(await other.apiTokens().get('tok_shared')).toEqual(created);
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
          [current.store, other][i % 2]!.apiTokens().revoke('tok_shared', t0 + i)));
        const first = answers[0]!.revokedAt;
        expect(first).not.toBeNull();
        for (const answer of answers) expect(answer).toEqual({ ...created, revokedAt: first });
        expect(await other.apiTokens().get('tok_shared')).toEqual({ ...created, revokedAt: first });
      } finally {
        await other.close();
      }
    });
  });
}

// /api/v1/plugins: the registry. Vendors submit immutable versions (the tarball `lianjie-plugin pack` writes, checked
// as the host loads plugins), the platform team approves, rejects with a reason, or yanks, and everyone finds them:
// tenant admins see approved versions, a vendor its own and the approved ones, the platform team all.
import { LianjieError } from '../errors.ts';
import { readPluginPackage } from '../plugins/package-tarball.ts';
import type { PluginVersionRecord, PluginVersionStatus, Store } from '../store/types.ts';
import { lazy } from './lazy.ts';
import type { Caller } from './auth.ts';
import type { RouteSpec } from './define-route.ts';

function versionJson(v: PluginVersionRecord, detail = false) {
  const manifest = JSON.parse(v.manifest) as { name?: unknown };
  return {
    pluginId: v.pluginId, version: v.version, vendorId: v.vendorId, name: manifest.name ?? null, categories: v.categories, permissions: v.permissions,
    sha256: v.sha256, status: v.status, reason: v.reason, submittedAt: v.submittedAt, reviewedAt: v.reviewedAt, reviewedBy: v.reviewedBy,
    ...(detail ? { manifest, readme: v.readme } : {}),
  };
}

/** Whether the caller may see a version: its vendor and the platform team always, others once it is approved. */
function visible(caller: Caller, v: PluginVersionRecord): boolean {
  return caller.role === 'platform' || v.status === 'approved' || (caller.role === 'vendor' && caller.vendorId === v.vendorId);
}

const transitions: Record<string, 'approved' | 'rejected' | 'yanked'> = { approve: 'approved', reject: 'rejected', yank: 'yanked' };

/** The first-party plugins' namespace: no vendor may take an id in it. */
const reservedPrefixes = ['lianjie.'];

export function registryRoutes(store: Pick<Store, 'registry'>, onApproved: (pluginId: string, version: string) => Promise<unknown>): RouteSpec[] {
  const registry = lazy(() => store.registry());
  const found = async (caller: Caller, pluginId: string, version: string) => {
    const v = await registry.get(pluginId, version);
    // A version the caller may not see is as good as missing.
    if (!v || !visible(caller, v)) throw new LianjieError('registry.not_found', `no plugin ${pluginId}@${version}`);
    return v;
  };
  return [
    {
      method: 'post', path: '/api/v1/plugins', tag: 'registry', roles: ['vendor'], status: 201,
      summary: 'Submits a plugin version for review: the tarball lianjie-plugin pack writes, checked as a host checks plugins',
      body: 'api/plugin-submit.schema.json', response: 'api/plugin-version-answer.schema.json', maxBodyBytes: 9 * 1024 * 1024,
      handler: async ({ caller, body }) => {
        if (!caller.vendorId) throw new LianjieError('api.forbidden', `token ${caller.tokenId} names no vendor`);
        const bytes = Buffer.from((body as { tarball: string }).tarball, 'base64');
        const pkg = await readPluginPackage(bytes);
        const { manifest } = pkg;
        // 1.0.0+build equals 1.0.0 in semver: a second one would get round immutability.
        if (manifest.version.includes('+')) throw new LianjieError('registry.package_invalid', 'the registry takes versions without build metadata (+…)', [{ pointer: '/body/tarball/plugin.json/version', message: 'must not carry build metadata' }]);
        if (reservedPrefixes.some((p) => manifest.id.startsWith(p))) throw new LianjieError('registry.owned', `plugin ids starting with ${reservedPrefixes.join(' or ')} are Lianjie's own`);
        const submitted = await registry.submit({
          pluginId: manifest.id, version: manifest.version, vendorId: caller.vendorId!, manifest: pkg.manifestText, bundle: pkg.bundle, sha256: pkg.sha256,
          readme: pkg.readme, categories: (manifest.categories ?? []) as string[], permissions: manifest.permissions as string[], at: Date.now(),
        });
        if (!submitted.ok && submitted.reason === 'exists') {
          throw new LianjieError('registry.version_exists', `${manifest.id}@${manifest.version} was submitted before: versions are immutable, raise the version`);
        }
        if (!submitted.ok) throw new LianjieError('registry.owned', `plugin id ${manifest.id} belongs to another vendor`);
        return { version: versionJson(submitted.version) };
      },
    },
    {
      method: 'get', path: '/api/v1/plugins', tag: 'registry', roles: ['platform', 'vendor', 'tenant'],
      summary: 'Finds plugin versions by plugin, vendor, status, category, permission or text, newest first',
      query: 'api/plugins-query.schema.json', response: 'api/plugin-list.schema.json',
      handler: async ({ caller, query }) => {
        const status = query.status as PluginVersionStatus | undefined;
        const limit = query.limit === undefined ? 100 : Number(query.limit);
        const filter = {
          ...(query.plugin ? { pluginId: query.plugin } : {}), ...(query.vendor ? { vendorId: query.vendor } : {}), ...(query.category ? { category: query.category } : {}),
          ...(query.permission ? { permission: query.permission } : {}), ...(query.q ? { text: query.q } : {}),
        };
        if (caller.role === 'platform') return { versions: (await registry.list({ ...filter, ...(status ? { status } : {}), limit })).map((v) => versionJson(v)) };
        if (caller.role === 'tenant' && status && status !== 'approved') return { versions: [] };
        // A tenant sees approved versions; a vendor its own in any state as well: two queries, merged newest first.
        const approved = !status || status === 'approved' ? await registry.list({ ...filter, status: 'approved', limit }) : [];
        const own = caller.role === 'vendor' && (!filter.vendorId || filter.vendorId === caller.vendorId)
          ? await registry.list({ ...filter, vendorId: caller.vendorId!, ...(status ? { status } : {}), limit })
          : [];
        const seen = new Set<string>();
        const merged = [...approved, ...own]
          .filter((v) => !seen.has(`${v.pluginId}@${v.version}`) && seen.add(`${v.pluginId}@${v.version}`))
          .sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0));
        return { versions: merged.slice(0, limit).map((v) => versionJson(v)) };
      },
    },
    {
      method: 'get', path: '/api/v1/plugins/:pluginId/versions/:version', tag: 'registry', roles: ['platform', 'vendor', 'tenant'],
      summary: 'A plugin version with its manifest and README', response: 'api/plugin-version-answer.schema.json',
      handler: async ({ caller, params }) => ({ version: versionJson(await found(caller, params.pluginId!, params.version!), true) }),
    },
    {
      method: 'post', path: '/api/v1/plugins/:pluginId/versions/:version/review', tag: 'registry', roles: ['platform'],
      summary: 'Approves a submitted version, rejects it with a reason, or yanks an approved one',
      body: 'api/plugin-review.schema.json', response: 'api/plugin-version-answer.schema.json',
      handler: async ({ caller, params, body }) => {
        const { decision, reason } = body as { decision: keyof typeof transitions; reason?: string };
        const changed = await registry.review(params.pluginId!, params.version!, { status: transitions[decision]!, reason: reason ?? null, by: caller.tokenId, at: Date.now() });
        if (!changed) throw new LianjieError('registry.not_found', `no plugin ${params.pluginId}@${params.version}`);
        if (!changed.ok) throw new LianjieError('registry.review_refused', `${params.pluginId}@${params.version} is ${changed.from}: it cannot be ${transitions[decision]}`);
        // Installs this version may move to without asking their admins again move now.
        if (changed.version.status === 'approved') await onApproved(changed.version.pluginId, changed.version.version);
        return { version: versionJson(changed.version) };
      },
    },
  ];
}

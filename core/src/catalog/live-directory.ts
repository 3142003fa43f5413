// The ingress and the decoder look callback targets up in whatever catalog snapshot is current.
import type { Directory } from '../ingress/directory.ts';
import type { Catalog } from './catalog.ts';

export function liveDirectory(catalog: Pick<Catalog, 'current'>): Directory {
  return {
    app: (tenantId, appId) => catalog.current().directory.app(tenantId, appId),
    suite: (suiteId) => catalog.current().directory.suite(suiteId),
    hasTenant: (tenantId) => catalog.current().directory.hasTenant(tenantId),
    tenantByCorpId: (corpId) => catalog.current().directory.tenantByCorpId(corpId),
  };
}

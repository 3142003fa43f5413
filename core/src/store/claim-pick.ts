// Which of the runnable runs a claim takes: candidates are read in claim order, then the worker's exclusions and its
// per-tenant room decide, so one tenant's consecutive runs cannot fill every slot of one claim.
import type { ClaimOptions } from './types.ts';

export interface ClaimCandidate {
  id: string;
  tenantId: string;
}

/** Candidates read per slot asked for: enough to look past one tenant's run of consecutive places. */
export const candidatesPerSlot = 4;

/** A picker for one claim: `take` is called with the due candidates, then the pending ones, in claim order. */
export function claimPicker(limit: number, options: ClaimOptions) {
  const excludedRuns = new Set(options.excludeRuns ?? []);
  const excludedTenants = new Set(options.excludeTenants ?? []);
  const taken = new Map<string, number>();
  const picked: string[] = [];
  const room = (tenantId: string): number => {
    if (excludedTenants.has(tenantId)) return 0;
    if (!options.perTenant) return Infinity;
    return options.perTenant.max - (options.perTenant.running.get(tenantId) ?? 0) - (taken.get(tenantId) ?? 0);
  };
  return {
    picked,
    /** Answers how many more the claim may take. */
    take(candidates: readonly ClaimCandidate[]): number {
      for (const c of candidates) {
        if (picked.length >= limit) break;
        if (excludedRuns.has(c.id) || room(c.tenantId) <= 0) continue;
        picked.push(c.id);
        taken.set(c.tenantId, (taken.get(c.tenantId) ?? 0) + 1);
      }
      return limit - picked.length;
    },
  };
}

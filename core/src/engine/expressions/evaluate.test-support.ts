// Shared by the expression evaluation tests: a typical scope, and compiling and evaluating in one call.
import { isLianjieError, type LianjieError } from '../../errors.ts';
import type { Budget } from './budget.ts';
import { compileMapping } from './compile.ts';
import { evaluateMapping } from './evaluate.ts';
import type { ExpressionScope } from './scope.ts';

export const now = '2026-11-21T08:00:00.000Z';

export function scopeWith(overrides: Partial<ExpressionScope> = {}): ExpressionScope {
  return {
    trigger: {
      id: 'evt_1', type: 'wecom.external_contact.add',
      data: { userId: 'zhangsan', externalUserId: 'wm42', state: 'store42', items: [{ sku: 'a', price: 12 }, { sku: 'b', price: 8 }] },
    },
    steps: { tag: { output: { ok: true, count: 3, tags: ['store42'] } } },
    install: { config: { daysBefore: 7 } },
    now,
    ...overrides,
  };
}

/** Compiles `value` as a mapping at /m and evaluates it. */
export function map(value: unknown, scope: ExpressionScope = scopeWith(), budget?: Partial<Budget>): Promise<unknown> {
  return evaluateMapping(compileMapping(value, '/m'), scope, budget);
}

/** The LianjieError `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<LianjieError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (isLianjieError(error)) return error;
  throw new Error(`expected a LianjieError, got ${String(error)}`);
}

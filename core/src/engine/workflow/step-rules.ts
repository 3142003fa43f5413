// Rules about steps the schema cannot express: ids unique across nesting, goto targets, literal wait times.
import { isCalendarDate } from '../../calendar.ts';
import type { ErrorDetail } from '../../errors.ts';
import { field, isObject, type StepAt } from './walk.ts';

export function stepRuleProblems(steps: readonly StepAt[]): ErrorDetail[] {
  return [...duplicateIds(steps), ...gotoProblems(steps), ...untilProblems(steps)];
}

// Expressions name steps as steps.<id> and goto names its target: one id, one step, wherever it is nested.
function duplicateIds(steps: readonly StepAt[]): ErrorDetail[] {
  const seen = new Map<string, StepAt>();
  return steps.flatMap((at) => {
    if (at.id === undefined) return [];
    const earlier = seen.get(at.id);
    if (!earlier) {
      seen.set(at.id, at);
      return [];
    }
    return [{ pointer: `${at.pointer}/id`, message: `step id "${at.id}" is already used at ${earlier.pointer}/id` }];
  });
}

// A goto jumps forward within its own list: backwards would loop without end, and into or out of a branch
// or a forEach body would leave the enclosing step half run.
function gotoProblems(steps: readonly StepAt[]): ErrorDetail[] {
  const byId = new Map<string, StepAt>();
  for (const at of steps) if (at.id !== undefined && !byId.has(at.id)) byId.set(at.id, at);
  return steps.flatMap((at) => {
    const target = field(at.step.onError, 'goto');
    if (typeof target !== 'string') return [];
    const pointer = `${at.pointer}/onError/goto`;
    const found = byId.get(target);
    if (!found) return [{ pointer, message: `names step "${target}", but the workflow has no such step` }];
    if (found.list !== at.list) return [{ pointer, message: `names step "${target}" (${found.pointer}), which is not in the same list of steps as this one` }];
    if (found.index <= at.index) return [{ pointer, message: `names step "${target}" (${found.pointer}), which does not come after this step: goto jumps forward` }];
    return [];
  });
}

// RFC 3339 with a date, a time and an offset: a time without a zone would depend on the host's.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function untilProblems(steps: readonly StepAt[]): ErrorDetail[] {
  return steps.flatMap((at) => {
    const until = isObject(at.step.wait) ? at.step.wait.until : undefined;
    if (typeof until !== 'string' || until.includes('{{')) return [];
    if (rfc3339.test(until) && !Number.isNaN(Date.parse(until)) && isCalendarDate(until.slice(0, 10))) return [];
    return [{ pointer: `${at.pointer}/wait/until`, message: 'must be an RFC 3339 timestamp with an offset, such as 2026-12-01T09:00:00+08:00, or a {{ expression }}' }];
  });
}

// A workflow's steps in document order, each nested step right after the steps before it, read defensively
// so the rules beyond the schema can run on a workflow that failed it and report everything at once.

export type JsonObject = Record<string, unknown>;

export const stepKinds = ['action', 'branch', 'wait', 'forEach', 'stop'] as const;
export type StepKind = (typeof stepKinds)[number];

export interface StepAt {
  step: JsonObject;
  /** The step's id when it is a string. */
  id: string | undefined;
  pointer: string;
  /** Its position in the flattened order: a step comes after every step above it in the document. */
  order: number;
  /** The pointer of the array that holds it, e.g. /steps or /steps/2/branch/then. */
  list: string;
  index: number;
  /** The steps that enclose it, outermost first. */
  ancestors: readonly StepAt[];
  /** The kind keys it has; exactly one in a valid workflow. */
  kinds: StepKind[];
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when value is a plain object and has that key of its own, else undefined. */
export function field(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Every object under a `steps` array of the workflow, in flattened order. */
export function flattenSteps(workflow: unknown): StepAt[] {
  const found: StepAt[] = [];
  const visit = (list: unknown, listPointer: string, ancestors: readonly StepAt[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((step, index) => {
      if (!isObject(step)) return;
      const id = typeof step.id === 'string' ? step.id : undefined;
      const pointer = `${listPointer}/${index}`;
      const at: StepAt = { step, id, pointer, order: found.length, list: listPointer, index, ancestors, kinds: stepKinds.filter((k) => Object.hasOwn(step, k)) };
      found.push(at);
      const inner = [...ancestors, at];
      visit(field(step.branch, 'then'), `${pointer}/branch/then`, inner);
      visit(field(step.branch, 'else'), `${pointer}/branch/else`, inner);
      visit(field(step.forEach, 'steps'), `${pointer}/forEach/steps`, inner);
    });
  };
  visit(field(workflow, 'steps'), '/steps', []);
  return found;
}

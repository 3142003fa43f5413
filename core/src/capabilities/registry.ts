// The host's door for capability calls: grant check, argument validation, dispatch, and every outcome as a Result.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createLogger, type Logger } from '../ops/logger.ts';
import { failure, type Result } from '../../../sdk/src/sandbox/index.ts';
import { schemaRegistry, toDetails } from '../schema/validator.ts';
import { attribution, isCapabilityFailure, type CallScope, type Capability, type CapabilityMethod } from './types.ts';

export interface CapabilityRegistry {
  /** Runs one call for one install. Never throws: every refusal and failure comes back as `{ ok: false, failure }`. */
  call(scope: CallScope, grants: readonly string[], capability: string, method: string, args: unknown): Promise<Result>;
  /** The methods callable with these grants, by capability (capabilities with none are left out): what `ctx` offers. */
  describe(grants: readonly string[]): Record<string, string[]>;
  /** The permission a method needs (null: none; undefined: no such method). */
  permissionOf(capability: string, method: string): string | null | undefined;
}

export interface CapabilityRegistryOptions {
  /** Where a capability's unexpected errors are logged in full (the plugin sees a sanitised message). */
  logger?: Logger;
}

interface Entry {
  capability: string;
  method: string;
  spec: CapabilityMethod;
  validate: ValidateFunction;
}

export function createCapabilityRegistry(capabilities: Capability[], options: CapabilityRegistryOptions = {}): CapabilityRegistry {
  const logger = options.logger ?? createLogger('info');
  // Keyed "capability.method" in a Map: a plugin naming `__proto__` or `toString` finds nothing, not an inherited member.
  const entries = new Map<string, Entry>();
  for (const capability of capabilities) {
    for (const [method, spec] of Object.entries(capability.methods)) {
      entries.set(`${capability.name}.${method}`, { capability: capability.name, method, spec, validate: argsValidator(capability.name, method, spec) });
    }
  }

  return {
    async call(scope, grants, capability, method, args) {
      const entry = entries.get(`${capability}.${method}`);
      if (!entry) return failure('capability.denied', `${capability}.${method} is not a capability method of this host`);
      const { permission } = entry.spec;
      if (permission !== null && !grants.includes(permission)) {
        return failure('capability.denied', `${capability}.${method} needs the "${permission}" permission, which this install was not granted`);
      }

      const copied = plainCopy(args === undefined ? {} : args);
      if (!copied.ok) return failure('capability.args_invalid', `${capability}.${method} arguments are not JSON`, false, [{ pointer: '/', message: 'is not JSON' }]);
      // The copy is ours to change: ajv fills in schema defaults (list's limit, fetch's method) on it.
      const input = copied.value;
      if (!entry.validate(input)) {
        const details = toDetails(entry.validate.errors ?? []);
        const first = details[0];
        const summary = first ? `: ${first.pointer} ${first.message}` : '';
        return failure('capability.args_invalid', `${capability}.${method} arguments are invalid${summary}`, false, details);
      }

      try {
        const output = plainCopy((await entry.spec.run(input, scope)) ?? null);
        if (output.ok) return { ok: true, output: output.value };
        logger.error({ ...attribution(scope), capability, method }, 'capability returned a value that is not JSON');
        return failure('capability.failed', `${capability}.${method} failed inside the host`, false);
      } catch (error) {
        if (isCapabilityFailure(error)) {
          const { code, message, retryable, details, retryAt } = error.failure;
          const result = failure(code, message, retryable === true, details);
          if (typeof retryAt === 'string') result.failure.retryAt = retryAt;
          return result;
        }
        logger.error({ err: error, ...attribution(scope), capability, method }, 'capability call failed');
        // Database or network trouble on the host's side: the same call may well succeed later.
        return failure('capability.failed', `${capability}.${method} failed inside the host`, true);
      }
    },

    permissionOf(capability, method) {
      return entries.get(`${capability}.${method}`)?.spec.permission;
    },

    describe(grants) {
      const callable: Record<string, string[]> = {};
      for (const { capability, method, spec } of entries.values()) {
        if (spec.permission !== null && !grants.includes(spec.permission)) continue;
        (callable[capability] ??= []).push(method);
      }
      return callable;
    },
  };
}

/** The method's argument schema; a capability whose methods or permissions the schema file does not know is a host bug. */
function argsValidator(capability: string, method: string, spec: CapabilityMethod): ValidateFunction {
  const file = `capabilities/${capability}.schema.json`;
  const validate = schemaRegistry().getSchema(`${file}#/$defs/${method}`);
  if (!validate) throw new Error(`${capability}.${method} has no argument schema at schemas/${file}#/$defs/${method}`);
  if (spec.permission !== null) {
    const allowed = (schemaRegistry().getSchema(`${file}#/$defs/permission`)?.schema as { enum?: unknown[] } | undefined)?.enum ?? [];
    if (!allowed.includes(spec.permission)) throw new Error(`${capability}.${method} needs "${spec.permission}", which schemas/${file} does not list as a permission`);
  }
  return validate;
}

/** A JSON copy: only what JSON carries crosses the sandbox boundary, and the caller's objects are never touched. */
function plainCopy(value: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? { ok: false } : { ok: true, value: JSON.parse(text) };
  } catch {
    // A cycle, a BigInt, or nesting too deep for the serialiser.
    return { ok: false };
  }
}

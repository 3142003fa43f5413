// Where an install's config holds secrets: every value its config schema marks `writeOnly: true` or
// `format: "secret"`. Answers show them as [redacted], run history has them replaced, and a config given again without
// them keeps the ones it had, since the admin giving it was never shown them.
/** What stands for a secret in answers and run history. */
export const redactedText = '[redacted]';

/** A copy of `value` with every value its schema marks `writeOnly: true` or `format: "secret"` replaced by `[redacted]`. */
export function withoutSecrets(schema: unknown, value: unknown): unknown {
  return mapSecrets(schema, value, () => redactedText);
}

type Schema = Record<string, unknown>;

/**
 * `value` with `onSecret` applied to each value `schema` marks secret, wherever the schema reaches it: properties,
 * pattern and additional properties, items, the branches of allOf, anyOf and oneOf (all of them: a value one branch
 * calls secret is treated as one), and local `$ref`s.
 */
export function mapSecrets(schema: unknown, value: unknown, onSecret: (secret: unknown) => unknown, root: unknown = schema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 32) return value;
  const s = schema as Schema;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) {
    value = mapSecrets(resolvePointer(root, s.$ref.slice(1)), value, onSecret, root, depth + 1);
  }
  if (s.writeOnly === true || s.format === 'secret') return value === undefined ? value : onSecret(value);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches)) for (const branch of branches) value = mapSecrets(branch, value, onSecret, root, depth + 1);
  }
  if (Array.isArray(value)) {
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    return value.map((item, i) => mapSecrets(i < prefix.length ? prefix[i] : s.items, item, onSecret, root, depth + 1));
  }
  if (typeof value !== 'object' || value === null) return value;
  const properties = (s.properties ?? {}) as Schema;
  const patterns = Object.entries((s.patternProperties ?? {}) as Schema).map(([pattern, sub]) => [new RegExp(pattern, 'u'), sub] as const);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => {
    let mapped = item;
    const matched = patterns.filter(([pattern]) => pattern.test(key));
    if (Object.hasOwn(properties, key)) mapped = mapSecrets(properties[key], mapped, onSecret, root, depth + 1);
    for (const [, sub] of matched) mapped = mapSecrets(sub, mapped, onSecret, root, depth + 1);
    if (!Object.hasOwn(properties, key) && matched.length === 0) mapped = mapSecrets(s.additionalProperties, mapped, onSecret, root, depth + 1);
    return [key, mapped];
  }));
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let at = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Schema)[key];
  }
  return at;
}

/**
 * `given` with each secret it leaves out, and `current` has at the same place, taken from `current`: a config sent
 * back after being read (with its secrets redacted) keeps them. Follows object properties (and local `$ref`s to them);
 * a secret given, even an empty one, replaces the old one.
 */
export function keepOmittedSecrets(schema: unknown, given: unknown, current: unknown, root: unknown = schema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 32) return given;
  const s = schema as Schema;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) given = keepOmittedSecrets(resolvePointer(root, s.$ref.slice(1)), given, current, root, depth + 1);
  if (!isObject(given) || !isObject(current) || !isObject(s.properties)) return given;
  const kept: Record<string, unknown> = { ...given };
  for (const [key, sub] of Object.entries(s.properties)) {
    if (!Object.hasOwn(current, key)) continue;
    if (!Object.hasOwn(kept, key)) {
      if (isObject(sub) && (sub.writeOnly === true || sub.format === 'secret')) kept[key] = current[key];
    } else {
      kept[key] = keepOmittedSecrets(sub, kept[key], current[key], root, depth + 1);
    }
  }
  return kept;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Keeps an install's secrets out of run history: config values its schema marks `writeOnly: true` or
// `format: "secret"` are replaced wherever they appear in a step's recorded input or output.
import type { Install } from '../../plugins/types.ts';

export const redactedText = '[redacted]';

/** A function from a JSON text to the same text with every secret of `install` replaced. */
export function createRedactor(install: Install): (json: string | null) => string | null {
  const secrets = secretValues(install.plugin.manifest.config, install.config)
    // As they appear inside a JSON string; the longest first, so a secret containing another is replaced whole.
    .map((value) => JSON.stringify(value).slice(1, -1))
    .sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (json) => json;
  return (json) => {
    if (json === null) return null;
    let text = json;
    for (const secret of secrets) text = text.replaceAll(secret, redactedText);
    return text;
  };
}

function secretValues(schema: unknown, value: unknown): string[] {
  const found: string[] = [];
  mapSecrets(schema, value, (secret) => {
    // Very short values would redact unrelated text; a secret that short is not one worth the name.
    if (typeof secret === 'string' && secret.length >= 4) found.push(secret);
    return secret;
  });
  return found;
}

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
function mapSecrets(schema: unknown, value: unknown, onSecret: (secret: unknown) => unknown, root: unknown = schema, depth = 0): unknown {
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

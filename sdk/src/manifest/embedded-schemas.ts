// Where a plugin manifest embeds JSON Schemas, read defensively so a manifest that fails its own schema is still searched.

export interface EmbeddedSchema {
  /** The JSON pointer of the schema inside the manifest, e.g. /actions/0/input. */
  pointer: string;
  schema: unknown;
}

/** Every schema the manifest embeds: /config, then each action's input and output, then each trigger's input and output. */
export function embeddedSchemas(manifest: unknown): EmbeddedSchema[] {
  const found: EmbeddedSchema[] = [];
  const config = field(manifest, 'config');
  if (config !== undefined) found.push({ pointer: '/config', schema: config });
  for (const [base, keys] of [['actions', ['input', 'output']], ['triggers', ['input', 'output']]] as const) {
    items(manifest, base).forEach((item, i) => {
      for (const key of keys) {
        const schema = field(item, key);
        if (schema !== undefined) found.push({ pointer: `/${base}/${i}/${key}`, schema });
      }
    });
  }
  return found;
}

/** `value[key]` when value is a plain object, else undefined. */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** `value[key]` when it is an array, else an empty one. */
export function items(value: unknown, key: string): unknown[] {
  const found = field(value, key);
  return Array.isArray(found) ? found : [];
}

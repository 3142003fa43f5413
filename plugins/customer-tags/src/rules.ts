import type { Config } from './plugin-types.ts';

/** The tags of every rule the State matches, each tag once, in rule order. */
export function tagsFor(rules: NonNullable<Config['rules']>, state: string | null | undefined): string[] {
  const tags = new Set<string>();
  for (const rule of rules) {
    const matches = (rule.state !== undefined && rule.state === state) || (rule.statePrefix !== undefined && typeof state === 'string' && state.startsWith(rule.statePrefix));
    if (matches) for (const tag of rule.tags) tags.add(tag);
  }
  return [...tags];
}

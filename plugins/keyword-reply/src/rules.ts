import type { Config } from './plugin-types.ts';

export type Channel = 'app' | 'kf';

export interface Match {
  reply: string;
  ruleIndex: number;
  ruleName?: string;
  /** The keyword as configured. */
  keyword: string;
}

/**
 * The first rule, in order, one of whose keywords matches the text on this channel; null when none does. The text is
 * trimmed for `exact` and `prefix`; letters are compared case-insensitively when the rule (or else the config) says so.
 */
export function firstMatch(config: Config, channel: Channel, text: string): Match | null {
  const rules = config.rules ?? [];
  const trimmed = text.trim();
  if (trimmed === '') return null;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.channels && !rule.channels.includes(channel)) continue;
    const fold = rule.ignoreCase ?? config.ignoreCase ?? true;
    const subject = fold ? trimmed.toLowerCase() : trimmed;
    for (const keyword of rule.keywords) {
      const wanted = fold ? keyword.trim().toLowerCase() : keyword.trim();
      const hit = rule.match === 'exact' ? subject === wanted : rule.match === 'prefix' ? subject.startsWith(wanted) : subject.includes(wanted);
      if (hit) return { reply: rule.reply, ruleIndex: index, ...(rule.name !== undefined ? { ruleName: rule.name } : {}), keyword };
    }
  }
  return null;
}

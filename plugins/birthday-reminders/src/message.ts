// The app message a staff member gets: a heading and one line per occasion, within WeCom's 2048 bytes for a text
// message (what does not fit is counted in a last line).
import type { Reminder } from './plugin-types.ts';

export type Language = 'zh' | 'en';

/** WeCom cuts a text message's content at 2048 bytes (UTF-8). */
export const maxBytes = 2048;

const words = {
  zh: {
    heading: (date: string | undefined) => (date ? `客户纪念日提醒（${date}）` : '客户纪念日提醒'),
    birthday: '生日',
    years: (n: number) => ` ${n} 周年`,
    today: '今天',
    inDays: (n: number, on: string) => `${n} 天后（${on}）`,
    remembered: (md: string) => `（登记日期 ${md}）`,
    more: (n: number) => `……另有 ${n} 条`,
    sep: '：',
    comma: '，',
  },
  en: {
    heading: (date: string | undefined) => (date ? `Customer occasions (${date})` : 'Customer occasions'),
    birthday: 'birthday',
    years: (n: number) => ` (${n} years)`,
    today: 'today',
    inDays: (n: number, on: string) => `in ${n} days (${on})`,
    remembered: (md: string) => ` (remembered as ${md})`,
    more: (n: number) => `… and ${n} more`,
    sep: ': ',
    comma: ', ',
  },
};

export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function line(r: Reminder, language: Language): string {
  const w = words[language];
  const who = r.name || r.customerId;
  const what = r.occasion === 'birthday' ? w.birthday : `${r.label ?? ''}${r.years !== undefined ? w.years(r.years) : ''}`;
  const when = r.daysUntil === 0 ? w.today : w.inDays(r.daysUntil, r.on);
  const moved = r.on.slice(5) !== r.date ? w.remembered(r.date) : '';
  return `· ${who}${w.sep}${what}${moved}${w.comma}${when}`;
}

/** The message for one staff member's reminders. */
export function compose(reminders: Reminder[], date: string | undefined, language: Language): string {
  const w = words[language];
  const lines = [w.heading(date)];
  let bytes = utf8Bytes(lines[0]!);
  for (let i = 0; i < reminders.length; i++) {
    const next = line(reminders[i]!, language);
    const rest = reminders.length - i - 1;
    // Keep room for the "and N more" line unless this is the last one.
    const reserve = rest > 0 ? 1 + utf8Bytes(w.more(reminders.length)) : 0;
    if (bytes + 1 + utf8Bytes(next) + reserve > maxBytes) {
      lines.push(w.more(reminders.length - i));
      break;
    }
    lines.push(next);
    bytes += 1 + utf8Bytes(next);
  }
  return lines.join('\n');
}

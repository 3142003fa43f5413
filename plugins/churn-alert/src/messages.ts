import type { Config, NotifyInput } from './plugin-types.ts';

/** The schema's defaults, for a config checked without them (they are the same text). */
const defaults = {
  staffWhenCustomerDeleted: '客户「{customer}」已于 {time} 将你删除。',
  managersWhenCustomerDeleted: '流失提醒：客户「{customer}」于 {time} 删除了成员 {staff}。',
  staffWhenStaffDeleted: '你已于 {time} 删除客户「{customer}」。',
  managersWhenStaffDeleted: '删除提醒：成员 {staff} 于 {time} 删除了客户「{customer}」。',
};

/** Who is told: the staff member (by notifyStaff) and the managers (everyone's, then the staff member's own), each once. */
export function recipients(config: Config, input: NotifyInput): { staff: string | null; managers: string[] } {
  const when = config.notifyStaff ?? 'customer_deleted';
  const staff = when === 'always' || (when === 'customer_deleted' && input.deletedBy === 'customer') ? input.userId : null;
  // WeCom userids are case-insensitive: so is the per-staff map, and so is telling someone twice.
  const byStaff = config.managersByStaff ?? {};
  const key = Object.keys(byStaff).find((k) => k.toLowerCase() === input.userId.toLowerCase());
  const seen = new Set([input.userId.toLowerCase()]);
  const managers: string[] = [];
  for (const id of [...(config.managers ?? []), ...((key !== undefined ? byStaff[key] : undefined) ?? [])]) {
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    managers.push(id);
  }
  return { staff, managers };
}

export interface Facts {
  customerName: string | null;
  externalUserId: string;
  staff: string;
  time: string;
}

/** The staff member's and the managers' texts for this direction, with the placeholders filled. */
export function texts(config: Config, deletedBy: NotifyInput['deletedBy'], facts: Facts): { staff: string; managers: string } {
  const t = { ...defaults, ...config.templates };
  const [staff, managers] = deletedBy === 'customer' ? [t.staffWhenCustomerDeleted, t.managersWhenCustomerDeleted] : [t.staffWhenStaffDeleted, t.managersWhenStaffDeleted];
  return { staff: fill(staff, facts), managers: fill(managers, facts) };
}

function fill(template: string, facts: Facts): string {
  const values: Record<string, string> = {
    customer: facts.customerName ?? facts.externalUserId,
    customerName: facts.customerName ?? '',
    externalUserId: facts.externalUserId,
    staff: facts.staff,
    time: facts.time,
  };
  // A placeholder that is not one of these stays as it is written.
  return template.replace(/\{(customer|customerName|externalUserId|staff|time)\}/g, (_, name: string) => values[name]!).slice(0, 4000);
}

/** "2014-06-24 19:48" in the timezone; an unknown timezone gives UTC, marked so. */
export function formatTime(iso: string, timezone: string): string {
  const date = new Date(iso);
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  } catch {
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

import type { ActionOf } from '@lianjie/sdk';
import { compose } from '../message.ts';
import type { NotifyStaffOutput, PluginTypes, Reminder } from '../plugin-types.ts';

/** App messages in flight at once (the sandbox allows 32 unanswered calls). */
const batch = 8;

interface HostFailure {
  code: string;
  message: string;
  retryable?: boolean;
}

const isFailure = (e: unknown): e is HostFailure => e !== null && typeof e === 'object' && typeof (e as HostFailure).code === 'string';

/**
 * One app message per staff member, listing their customers' occasions. Staff are messaged in the order of their
 * userids, in batches, so a retried step makes the same calls in the same order (inside a workflow each message is
 * sent once per step: a retry gets the recorded answer for those already sent). A staff member WeCom refuses for
 * good (left the company, not in the app's visible range) is listed in `failed`; a failure worth retrying (WeCom
 * busy or unreachable, a rate limit) fails the step with its code once the others are sent.
 */
export const notifyStaff: ActionOf<PluginTypes, 'notify-staff'> = async (input, ctx) => {
  const byStaff = new Map<string, Reminder[]>();
  for (const r of input.reminders) byStaff.set(r.staffUserId, [...(byStaff.get(r.staffUserId) ?? []), r]);
  const staffIds = [...byStaff.keys()].sort();
  const out: NotifyStaffOutput = { messages: 0, staff: [], failed: [] };
  if (staffIds.length === 0) return out;
  const language = ctx.config.language ?? 'zh';
  const wecom = ctx.wecom; // capability.denied here, before anything is sent, without the grant
  let retryLater: HostFailure | undefined;
  for (let i = 0; i < staffIds.length; i += batch) {
    const ids = staffIds.slice(i, i + batch);
    const results = await Promise.allSettled(ids.map((id) => wecom.sendAppMessage({ toUserIds: [id], text: compose(byStaff.get(id)!, input.date ?? undefined, language) })));
    results.forEach((result, j) => {
      const staffUserId = ids[j]!;
      if (result.status === 'fulfilled') {
        out.messages++;
        out.staff.push({ staffUserId, customers: new Set(byStaff.get(staffUserId)!.map((r) => r.customerId)).size });
        return;
      }
      const error: unknown = result.reason;
      if (!isFailure(error)) throw error;
      if (error.retryable === true) retryLater ??= error;
      else out.failed.push({ staffUserId, code: error.code, message: error.message });
    });
  }
  if (retryLater) throw retryLater; // the host's failure itself: it keeps its code and retryability
  for (const f of out.failed) ctx.log.warn({ message: 'staff member not messaged', fields: { ...f } });
  return out;
};

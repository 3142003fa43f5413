import type { ActionOf, WecomCapability } from '@lianjie/sdk';
import { formatTime, recipients, texts } from '../messages.ts';
import type { NotifyOutput, PluginTypes } from '../plugin-types.ts';
import { listed } from '../wecom.ts';

/**
 * Tells the staff member (by notifyStaff) and the managers that a customer was lost, naming the customer when WeCom
 * still gives them. Both messages are attempted; a failure of either is then thrown as WeCom's (its code kept), and a
 * workflow retrying the step gets the message that went from the effects ledger instead of sending it again. A method
 * the install was not granted is on ctx.wecom and rejects with the host's capability.denied naming the permission:
 * a refused lookup is a lookup failure like any other, a refused send the action's failure.
 */
export const notify: ActionOf<PluginTypes, 'notify'> = async (input, ctx) => {
  const wecom = ctx.wecom; // with no wecom permission granted at all, reading it fails capability.denied
  const to = recipients(ctx.config, input);
  if (to.staff === null && to.managers.length === 0) return { customerName: null, lookup: 'skipped', notified: [], undelivered: [], skipped: 'no_recipients' };

  const found = await customerName(wecom, input.externalUserId);
  if (found.lookup === 'failed') ctx.log.warn({ message: 'the customer could not be looked up; the alert names them by id', fields: { externalUserId: input.externalUserId, code: found.lookupFailure?.code } });
  const time = formatTime(input.occurredAt ?? new Date().toISOString(), ctx.config.timezone ?? 'Asia/Shanghai');
  const text = texts(ctx.config, input.deletedBy, { customerName: found.customerName, externalUserId: input.externalUserId, staff: input.userId, time });

  const sends: { toUserIds: [string, ...string[]]; text: string }[] = [];
  if (to.staff !== null) sends.push({ toUserIds: [to.staff], text: text.staff });
  const [first, ...rest] = to.managers;
  if (first !== undefined) sends.push({ toUserIds: [first, ...rest], text: text.managers });
  // In order, each awaited: a workflow's retry then meets the sends in the same order in the effects ledger.
  const notified: string[] = [];
  const undelivered: string[] = [];
  let failure: unknown;
  for (const send of sends) {
    try {
      const answer = await wecom.sendAppMessage(send);
      notified.push(...send.toUserIds);
      undelivered.push(...listed(answer.invaliduser), ...listed(answer.unlicenseduser));
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return { ...found, notified, undelivered };
};

type Lookup = Pick<NotifyOutput, 'customerName' | 'lookup' | 'lookupFailure'>;

/**
 * The customer's name from externalcontact/get. A customer no staff member has any more answers an error, and an install
 * without wecom.external_contact.get is refused (capability.denied): no name, then, either way.
 */
async function customerName(wecom: WecomCapability, externalUserId: string): Promise<Lookup> {
  try {
    const answer = await wecom.getExternalContact({ externalUserId });
    const contact = answer.external_contact as { name?: unknown } | undefined;
    const name = typeof contact?.name === 'string' && contact.name !== '' ? contact.name : null;
    return { customerName: name, lookup: 'found' };
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return { customerName: null, lookup: 'failed', lookupFailure: { code: typeof code === 'string' ? code : 'plugin.error', message: typeof message === 'string' ? message : String(error) } };
  }
}

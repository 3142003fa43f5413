import type { PluginContext } from '@lianjie/sdk';
import type { CheckAssistantOutput, Store } from './plugin-types.ts';
import { isWecomError } from './stores.ts';

interface FollowUser {
  userid?: unknown;
  createtime?: unknown;
}

/** 84061 "not external contact" (no member has the customer any more), 40096 an external_userid WeCom does not know. */
const notAContact = [84061, 40096];

/**
 * Whether one of the store's assistants has the customer: externalcontact/get's follow_user lists the staff who
 * added them. Several store assistants: the first to add the customer. WeCom keeps a customer in follow_user after
 * the customer deleted the member (del_follow_user): a workflow that cares listens for that event.
 */
export async function findAssistant(ctx: Pick<PluginContext, 'wecom'>, store: Store, externalUserId: string): Promise<CheckAssistantOutput> {
  let answer: Record<string, unknown>;
  try {
    answer = await ctx.wecom.getExternalContact({ externalUserId });
  } catch (error) {
    if (isWecomError(error, notAContact)) return { added: false, reason: 'not_a_contact' };
    throw error; // the host's failure, with its code and retryability
  }
  const follows = (Array.isArray(answer.follow_user) ? (answer.follow_user as FollowUser[]) : [])
    .filter((f): f is { userid: string; createtime?: unknown } => typeof f.userid === 'string' && store.assistants.includes(f.userid))
    .map((f) => ({ userid: f.userid, createtime: typeof f.createtime === 'number' ? f.createtime : Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.createtime - b.createtime || store.assistants.indexOf(a.userid) - store.assistants.indexOf(b.userid));
  const first = follows[0];
  if (!first) return { added: false, reason: 'other_staff' };
  return {
    added: true,
    assistantUserId: first.userid,
    ...(first.createtime !== Number.MAX_SAFE_INTEGER ? { addedAt: new Date(first.createtime * 1000).toISOString() } : {}),
  };
}

import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
import { refuse, storeOf } from '../stores.ts';

/** The coupon API's answer to an issued (or already issued) coupon. */
interface Issued {
  couponId?: unknown;
  expiresAt?: unknown;
  repeated?: unknown;
}

/**
 * The order's coupon from the chain's coupon system: `POST coupon.url` with `Idempotency-Key:
 * lianjie.store-membership:<orderId>:<templateId>`, so the coupon system issues one coupon per order and template
 * however often it is asked (a retried step, a POS redelivering the payment, a second workflow). The plugin keeps no
 * record per order: the store's 1000 keys would not hold a chain's orders, and the coupon system is the one that knows.
 *
 * Failures, as plugin codes: 408, 409, 425, 429 and 5xx → coupon_unavailable (retryable); 401, 403 → coupon_unauthorized;
 * any other answer but 200/201 with a couponId → coupon_rejected (4xx) or coupon_bad_response. Network failures keep
 * the host's codes: http.timeout and http.failed (retryable).
 */
export const issueCoupon: ActionOf<PluginTypes, 'issue-coupon'> = async (input, ctx) => {
  const coupon = ctx.config.coupon;
  if (!coupon) refuse('coupon_not_configured', 'this install has no coupon settings (config.coupon)');
  const store = storeOf(ctx.config, input.storeId);
  const customer = {
    ...(input.externalUserId ? { externalUserId: input.externalUserId } : {}),
    ...(input.unionId ? { unionId: input.unionId } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
  };
  if (Object.keys(customer).length === 0) refuse('no_customer', `order ${input.orderId} names no customer (externalUserId, unionId or phone) to give the coupon to`);
  const templateId = store.couponTemplateId ?? coupon.templateId;

  const response = await ctx.http.fetch({
    url: coupon.url,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `lianjie.store-membership:${input.orderId}:${templateId}`,
      ...(coupon.token ? { authorization: `Bearer ${coupon.token}` } : {}),
    },
    body: JSON.stringify({ orderId: input.orderId, storeId: input.storeId, templateId, customer }),
    timeoutMs: coupon.timeoutMs ?? 8000,
  });
  const { status } = response;
  const said = summary(response.body);
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) {
    refuse('coupon_unavailable', `the coupon system answered ${status}${said}; trying again is safe (same idempotency key)`, true);
  }
  if (status === 401 || status === 403) refuse('coupon_unauthorized', `the coupon system refused the credentials (${status}${said}): check config.coupon.token`);
  if (status >= 400) refuse('coupon_rejected', `the coupon system refused order ${input.orderId} (${status}${said})`);
  if (status !== 200 && status !== 201) refuse('coupon_bad_response', `the coupon system answered ${status}${said}, not 200 or 201`);
  let issued: Issued;
  try {
    issued = JSON.parse(response.body) as Issued;
  } catch {
    return refuse('coupon_bad_response', `the coupon system answered ${status} without JSON${said}`);
  }
  if (issued === null || typeof issued !== 'object' || typeof issued.couponId !== 'string' || issued.couponId === '') {
    refuse('coupon_bad_response', `the coupon system answered ${status} without a couponId${said}`);
  }
  ctx.log.info({ message: 'coupon issued', fields: { orderId: input.orderId, storeId: input.storeId, couponId: issued.couponId, repeated: issued.repeated === true } });
  return {
    couponId: issued.couponId,
    templateId,
    ...(typeof issued.expiresAt === 'string' ? { expiresAt: issued.expiresAt } : {}),
    repeated: issued.repeated === true,
  };
};

/** The start of a response body, for a failure's message. */
function summary(body: string): string {
  const text = body.trim();
  if (text === '') return '';
  return `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

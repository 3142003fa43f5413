// Shared fixtures for the config tests: WeCom's sample keys, a one-app config builder, and helpers to catch a LianjieError.
import { isLianjieError, type ErrorDetail, type LianjieError } from '../errors.ts';

export const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
export const corpId = 'wx5823bf96d3bd56c7';

/** A valid config with one tenant and one app; `app` and `tenant` override their fields. */
export function withApp(app: Record<string, unknown> = {}, tenant: Record<string, unknown> = {}): Record<string, unknown> {
  return { database: 'file:/var/lib/lianjie/test.db', tenants: [{ id: 'acme', corpId, apps: [{ id: 'crm', ...keys, ...app }], ...tenant }] };
}

export { failure } from '../../../test/support/errors.ts';

export const detailAt = (error: LianjieError, pointer: string): ErrorDetail | undefined => error.details.find((d) => d.pointer === pointer);

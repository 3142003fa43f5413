// Hono routes WeCom calls: URL verification (GET) and callbacks (POST), for enterprise apps and for suites.
import { Hono, type Context } from 'hono';
import { LianjieError, isLianjieError } from '../errors.ts';
import type { InboxWriter } from '../inbox/writer.ts';
import type { HostMetrics } from '../ops/metrics.ts';
import type { Logger } from '../ops/logger.ts';
import type { CallbackTarget, Directory } from './directory.ts';
import { callbackQuery } from './query.ts';
import { readBodyText } from './read-body.ts';
import { checkCallback, verifyEcho, type CallbackOrigin } from './verify.ts';

export const callbackBodyLimit = 64 * 1024;

export interface CallbackDeps {
  directory: Directory;
  writer: InboxWriter;
  metrics: HostMetrics;
  logger: Logger;
  now?: () => number;
}

export function callbackRoutes(deps: CallbackDeps): Hono {
  const routes = new Hono();
  const now = deps.now ?? Date.now;

  const appTarget = (c: Context): { target: CallbackTarget; origin: CallbackOrigin } => {
    const tenantId = c.req.param('tenantId')!;
    const appId = c.req.param('appId')!;
    if (!deps.directory.hasTenant(tenantId)) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
    const target = deps.directory.app(tenantId, appId);
    if (!target) throw new LianjieError('app.not_found', `tenant "${tenantId}" has no app "${appId}"`);
    return { target, origin: { route: 'app', tenantId, appId, suiteId: null } };
  };
  const suiteTarget = (c: Context): { target: CallbackTarget; origin: CallbackOrigin } => {
    const suiteId = c.req.param('suiteId')!;
    const target = deps.directory.suite(suiteId);
    if (!target) throw new LianjieError('app.not_found', `no suite "${suiteId}"`);
    return { target, origin: { route: 'suite', tenantId: null, appId: null, suiteId } };
  };

  for (const [path, resolve] of [['/wecom/callback/:tenantId/:appId', appTarget], ['/wecom/suite/:suiteId', suiteTarget]] as const) {
    routes.get(path, (c) => {
      try {
        const { target } = resolve(c);
        return c.body(new Uint8Array(verifyEcho(target, callbackQuery(c.req.url))), 200, { 'content-type': 'text/plain; charset=utf-8' });
      } catch (error) {
        return reject(c, deps, routeOf(c), error);
      }
    });
    routes.post(path, async (c) => {
      try {
        const { target, origin } = resolve(c);
        const body = await readBodyText(c, callbackBodyLimit);
        const checked = checkCallback(target, origin, callbackQuery(c.req.url), body, now());
        try {
          await deps.writer.write(checked.envelope);
        } catch (error) {
          deps.logger.error({ err: error, route: origin.route }, 'inbox write failed; WeCom will retry');
          throw isLianjieError(error) ? error : new LianjieError('store.unavailable', 'the callback could not be stored; retry later', [], { cause: error });
        }
        if (checked.failure) {
          deps.logger.warn({ route: origin.route, tenantId: origin.tenantId, suiteId: origin.suiteId, code: checked.failure.code }, 'verified callback parked as a dead letter');
          return reject(c, deps, origin.route, checked.failure);
        }
        deps.metrics.callbacksAccepted.inc({ route: origin.route });
        return c.text('success');
      } catch (error) {
        return reject(c, deps, routeOf(c), error);
      }
    });
  }
  return routes;
}

function routeOf(c: Context): string {
  return c.req.path.startsWith('/wecom/suite/') ? 'suite' : 'app';
}

/** WeCom-facing errors are plain text: `code: message`. */
function reject(c: Context, deps: CallbackDeps, route: string, error: unknown): Response {
  const known = isLianjieError(error) ? error : new LianjieError('internal', 'unexpected failure', [], { cause: error });
  if (!isLianjieError(error)) deps.logger.error({ err: error }, 'callback handler failed');
  deps.metrics.callbacksRejected.inc({ route, reason: known.code });
  return c.text(`${known.code}: ${known.message}`, known.status as 400);
}

// POST /hooks/:installId/:triggerId: a plugin's webhook trigger. The request must be signed with the install's webhook
// secret (timestamp, delivery id and body); the trigger turns the body into its output in the sandbox, and the runs it
// starts are stored before the answer, once per delivery id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Router } from '../engine/run/router.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { Logger } from '../ops/logger.ts';
import type { Install } from '../plugins/types.ts';
import type { Result } from '../../../sdk/src/sandbox/index.ts';
import { derivedFrom, type InstallSource } from '../catalog/install-index.ts';
import { readBodyBytes } from './read-body.ts';

export const webhookBodyLimit = 256 * 1024;

export interface WebhookDeps {
  /** The installs served now; one without a webhook secret refuses every request. */
  installs: InstallSource<Install & { webhookSecret?: string }>;
  runTrigger(install: Install, triggerId: string, input: unknown): Promise<Result>;
  router: Pick<Router, 'startFromPlugin'>;
  logger: Pick<Logger, 'error'>;
  now?: () => number;
}

const deliveryPattern = /^[A-Za-z0-9._:-]{1,128}$/;
/** How far a request's timestamp may be from this host's clock. */
const maxSkewMs = 5 * 60_000;

export function webhookRoutes(deps: WebhookDeps): Hono {
  const routes = new Hono();
  const installs = derivedFrom(deps.installs, (all) => new Map(all.map((i) => [i.id, i])));
  const now = deps.now ?? Date.now;

  routes.post('/hooks/:installId/:triggerId', async (c) => {
    try {
      const install = installs().get(c.req.param('installId'));
      const triggerId = c.req.param('triggerId');
      const trigger = install?.plugin.manifest.triggers.find((t) => t.id === triggerId);
      const secret = install?.webhookSecret;
      // One answer for every address that is not a usable webhook: nothing about installs, plugins or secrets
      // is told to a caller who has not signed anything yet.
      if (!install || !trigger || trigger.kind !== 'webhook' || !secret) {
        throw new LianjieError('trigger.not_found', `no webhook at /hooks/${c.req.param('installId')}/${triggerId}`);
      }
      const delivery = c.req.header('x-lianjie-delivery');
      if (!delivery || !deliveryPattern.test(delivery)) {
        throw new LianjieError('request.invalid', 'x-lianjie-delivery must be the delivery\'s id: 1 to 128 letters, digits, ".", "_", ":" or "-"', [{ pointer: '/headers/x-lianjie-delivery', message: 'is not a delivery id' }]);
      }
      const timestamp = c.req.header('x-lianjie-timestamp');
      const sentAt = timestamp && /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : NaN;
      if (Number.isNaN(sentAt)) {
        throw new LianjieError('request.invalid', 'x-lianjie-timestamp must be the time of sending in Unix seconds', [{ pointer: '/headers/x-lianjie-timestamp', message: 'is not Unix seconds' }]);
      }
      const body = await readBodyBytes(c, webhookBodyLimit);
      checkSignature(c.req.header('x-lianjie-signature'), secret, `${timestamp}.${delivery}.`, body);
      // Checked after the signature, so the message cannot help forge one; a captured request is useless later.
      if (Math.abs(now() - sentAt) > maxSkewMs) {
        throw new LianjieError('webhook.expired', `x-lianjie-timestamp is more than ${maxSkewMs / 60_000} minutes from this host's clock`);
      }
      const input = parseJson(body);
      const result = await deps.runTrigger(install, triggerId, input);
      if (!result.ok) {
        const { code, message, details } = result.failure;
        const status = code === 'trigger.input_invalid' ? 400 : 502;
        return c.json({ error: { code, message, details: details ?? [] } }, status);
      }
      if (result.output === null) return c.json({ delivery, runs: [] }, 200);
      const runs = await deps.router.startFromPlugin(install.tenantId, `${install.plugin.manifest.id}/${triggerId}`, result.output, `webhook:${delivery}`);
      return c.json({ delivery, runs }, 202);
    } catch (error) {
      return fail(c, deps, error);
    }
  });
  return routes;
}

/**
 * `x-lianjie-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<delivery>.<body>" with the install's secret>`,
 * compared in constant time. The timestamp and delivery id are signed so neither can be changed to replay a body.
 */
function checkSignature(header: string | undefined, secret: string, prefix: string, body: Buffer): void {
  const how = 'sign "<x-lianjie-timestamp>.<x-lianjie-delivery>.<body>" with HMAC-SHA256 and the install\'s webhook secret';
  if (!header) throw new LianjieError('webhook.signature_mismatch', `x-lianjie-signature is missing: ${how}`);
  const expected = createHmac('sha256', secret).update(prefix).update(body).digest();
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!given || !timingSafeEqual(Buffer.from(given[1]!, 'hex'), expected)) {
    throw new LianjieError('webhook.signature_mismatch', `x-lianjie-signature does not match: ${how}`);
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    // JSON.parse's message quotes the text, which may hold anything the caller sent.
    throw new LianjieError('request.invalid', 'the body is not JSON', [{ pointer: '/body', message: 'is not JSON' }]);
  }
}

function fail(c: Context, deps: WebhookDeps, error: unknown): Response {
  const known = isLianjieError(error) ? error : new LianjieError('internal', 'unexpected failure', [], { cause: error });
  if (!isLianjieError(error)) deps.logger.error({ err: error }, 'webhook handler failed');
  return c.json(known.toJSON(), known.status as 400);
}

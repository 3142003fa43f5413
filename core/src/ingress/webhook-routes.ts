// POST /hooks/:installId/:triggerId: a plugin's webhook trigger. The body must be signed with the install's webhook
// secret; the trigger turns it into its output in the sandbox, and the runs it starts are stored before the answer.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Router } from '../engine/run/router.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { Logger } from '../ops/logger.ts';
import type { Install } from '../plugins/types.ts';
import type { Result } from '../sandbox/result.ts';
import { readBodyBytes } from './read-body.ts';

export const webhookBodyLimit = 256 * 1024;

export interface WebhookDeps {
  installs: readonly Install[];
  /** Webhook secrets by install id; an install without one refuses every request. */
  secrets: ReadonlyMap<string, string>;
  runTrigger(install: Install, triggerId: string, input: unknown): Promise<Result>;
  router: Pick<Router, 'startFromPlugin'>;
  logger: Pick<Logger, 'error'>;
}

const deliveryPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function webhookRoutes(deps: WebhookDeps): Hono {
  const routes = new Hono();
  const installs = new Map(deps.installs.map((i) => [i.id, i]));

  routes.post('/hooks/:installId/:triggerId', async (c) => {
    try {
      const install = installs.get(c.req.param('installId'));
      const triggerId = c.req.param('triggerId');
      const trigger = install?.plugin.manifest.triggers.find((t) => t.id === triggerId);
      if (!install) throw new LianjieError('install.not_found', `no install "${c.req.param('installId')}"`);
      if (!trigger || trigger.kind !== 'webhook') {
        throw new LianjieError('trigger.not_found', `${install.plugin.manifest.id} has no webhook trigger "${triggerId}"`);
      }
      const secret = deps.secrets.get(install.id);
      if (!secret) throw new LianjieError('webhook.disabled', `install "${install.id}" has no webhookSecret in the host config`);
      const body = await readBodyBytes(c, webhookBodyLimit);
      checkSignature(c.req.header('x-lianjie-signature'), secret, body);
      const delivery = c.req.header('x-lianjie-delivery') ?? randomUUID();
      if (!deliveryPattern.test(delivery)) {
        throw new LianjieError('request.invalid', 'x-lianjie-delivery must be 1 to 128 letters, digits, ".", "_", ":" or "-"', [{ pointer: '/headers/x-lianjie-delivery', message: 'is not a delivery id' }]);
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

/** `x-lianjie-signature: sha256=<hex HMAC-SHA256 of the body with the install's secret>`, compared in constant time. */
function checkSignature(header: string | undefined, secret: string, body: Buffer): void {
  if (!header) throw new LianjieError('webhook.signature_mismatch', 'x-lianjie-signature is missing: sign the body with HMAC-SHA256 and the install\'s webhook secret');
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!given || !timingSafeEqual(Buffer.from(given[1]!, 'hex'), expected)) {
    throw new LianjieError('webhook.signature_mismatch', 'x-lianjie-signature does not match the body (expected sha256=<hex HMAC-SHA256 of the body>)');
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

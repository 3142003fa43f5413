// Turns one stored inbox row into a canonical event, or a dead letter with the reason it cannot become one.
import { LianjieError, isLianjieError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Directory } from '../ingress/directory.ts';
import { openCiphertext } from '../ingress/verify.ts';
import { schemaCheck, type SchemaCheck } from '../schema/validator.ts';
import type { CanonicalEvent, DecodeOutcome, InboxRow } from '../store/types.ts';
import { parseMessage } from '../wecom/message.ts';
import { normalize } from '../wecom/normalize.ts';

/**
 * Seals what an event carries that must not be stored in the clear (a suite's ticket and auth codes): answers the
 * event and its raw message to store instead.
 */
export type EventProtector = (event: CanonicalEvent, raw: string) => { event: CanonicalEvent; raw: string };

export function createRowDecoder(directory: Directory, protect?: EventProtector): (row: InboxRow) => DecodeOutcome {
  const checks = new Map<string, SchemaCheck<CanonicalEvent>>();
  const checkFor = (type: string): SchemaCheck<CanonicalEvent> => {
    let check = checks.get(type);
    if (!check) {
      check = schemaCheck<CanonicalEvent>(`events/${type}.schema.json`);
      checks.set(type, check);
    }
    return check;
  };

  return (row) => {
    try {
      const target = row.route === 'suite' ? directory.suite(row.suiteId ?? '') : directory.app(row.tenantId ?? '', row.appId ?? '');
      if (!target) throw new LianjieError('app.not_found', `the ${row.route} this callback was sent to is no longer configured`);
      const opened = openCiphertext(target, row.encrypt);
      const fields = parseMessage(opened.message);
      const source = row.route === 'suite' ? { route: 'suite' as const, suiteId: row.suiteId ?? '' } : { route: 'app' as const, corpId: target.tenant?.corpId ?? '' };
      const normalized = normalize(fields, source);
      // Suite events name their corp in AuthCorpId; a suite's data callbacks are encrypted to the corp instead.
      const corpId = normalized.authCorpId ?? (row.route === 'suite' ? opened.receiveId : undefined);
      const tenantId = row.tenantId ?? (corpId ? directory.tenantByCorpId(corpId)?.id ?? null : null);
      const event: CanonicalEvent = {
        id: newId('evt'),
        tenantId,
        appId: row.appId,
        suiteId: row.suiteId,
        type: normalized.type,
        occurredAt: normalized.occurredAt,
        receivedAt: new Date(row.receivedAt).toISOString(),
        dedupKey: normalized.dedupKey,
        data: normalized.data,
      };
      const check = checkFor(normalized.type);
      if (!check(event)) {
        const details = check.details().map((d) => `${d.pointer} ${d.message}`).join('; ');
        throw new LianjieError('wecom.message_invalid', `decoded ${normalized.type} does not match its schema: ${details}`);
      }
      const raw = opened.message.toString('utf8');
      return { kind: 'event', ...(protect ? protect(event, raw) : { event, raw }) };
    } catch (error) {
      if (isLianjieError(error)) return { kind: 'dead', code: error.code, message: error.message };
      return { kind: 'dead', code: 'internal', message: error instanceof Error ? error.message : String(error) };
    }
  };
}

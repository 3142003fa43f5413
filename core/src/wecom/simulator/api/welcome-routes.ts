// POST /cgi-bin/externalcontact/send_welcome_msg (doc 92137 / 92599, REFERENCE.md §4.3): once per welcome_code, within 20 s.
import { fail, ok } from '../errors.ts';
import { messageId } from '../ids.ts';
import { record, str } from './params.ts';
import { corpRoute, type Route } from './route.ts';

/** "企业仅可在收到相关事件后20秒内调用" — callable only within 20 s of the add_external_contact event. */
export const welcomeWindowMs = 20_000;

export const welcomeRoutes: readonly Route[] = [
  corpRoute('POST', '/cgi-bin/externalcontact/send_welcome_msg', (call) => {
    const code = str(call.body.welcome_code);
    if (code === undefined) return fail(41049);
    const attachments = Array.isArray(call.body.attachments) ? call.body.attachments : [];
    if (attachments.length > 9) return fail(41064);
    const text = str(record(call.body.text)?.content);
    if (text === undefined && attachments.length === 0) return fail(44004);
    // Codes are per corp: another corp's code is as unknown as a made-up one.
    const welcome = call.corp.welcomeCodes.get(code);
    if (!welcome) return fail(41050);
    // Several apps may get the same code; the first call wins and later ones are told the chat has started.
    if (welcome.usedAt !== undefined) return fail(41051);
    if (call.now - welcome.issuedAt > welcomeWindowMs) return fail(41050);
    welcome.usedAt = call.now;
    call.corp.welcomeMessages.push({ msgid: messageId(), time: call.now, body: call.body, recipients: [welcome.externalUserid] });
    return ok();
  }, { mutates: true }),
];

// GET /cgi-bin/gettoken: corpid + corpsecret → access_token for 7,200 s (doc 91039, REFERENCE.md §4.1).
import { fail, ok } from '../errors.ts';
import { expiresIn } from '../tokens.ts';
import { openRoute, type Route } from './route.ts';

export const tokenRoutes: readonly Route[] = [
  openRoute('GET', '/cgi-bin/gettoken', (call) => (call.state.corps.has(call.query.corpid ?? '') ? call.query.corpid : undefined), (call) => {
    const { corpid, corpsecret } = call.query;
    if (!corpid) return fail(41002);
    const corp = call.state.corps.get(corpid);
    if (!corp) return fail(40013);
    if (!corpsecret) return fail(41004);
    const app = corp.secrets.get(corpsecret);
    if (app === undefined) return fail(40001);
    // One live token per app (per secret); a repeat within its validity returns the same token with what is left of it.
    const token = call.state.tokens.issueCorp(`app:${corpid}:${corpsecret}`, corpid, app);
    return ok({ access_token: token.token, expires_in: expiresIn(token, call.now) });
  }),
];

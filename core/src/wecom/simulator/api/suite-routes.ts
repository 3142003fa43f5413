// Third-party suite credentials (doc 90600 family, REFERENCE.md §4.1): suite token, pre-auth code, permanent code, corp token.
import { fail, ok } from '../errors.ts';
import { authorize, consumeAuthCode, issuePreAuthCode, ticketValid } from '../suites.ts';
import { expiresIn } from '../tokens.ts';
import { str } from './params.ts';
import { openRoute, suiteRoute, type Route } from './route.ts';

export const suiteRoutes: readonly Route[] = [
  openRoute('POST', '/cgi-bin/service/get_suite_token', (call) => {
    const id = str(call.body.suite_id);
    return id !== undefined && call.state.suites.has(id) ? `suite:${id}` : undefined;
  }, (call) => {
    const suiteId = str(call.body.suite_id);
    if (suiteId === undefined) return fail(41021);
    const suite = call.state.suites.get(suiteId);
    if (!suite) return fail(40083);
    const secret = str(call.body.suite_secret);
    if (secret === undefined) return fail(41004);
    if (secret !== suite.config.suiteSecret) return fail(40080);
    const ticket = str(call.body.suite_ticket);
    if (ticket === undefined) return fail(41023);
    if (!ticketValid(suite, ticket, call.now)) return fail(40085);
    const token = call.state.tokens.issueSuite(suiteId);
    return ok({ suite_access_token: token.token, expires_in: expiresIn(token, call.now) });
  }),

  suiteRoute('GET', '/cgi-bin/service/get_pre_auth_code', (call) => {
    const { code, expiresIn: seconds } = issuePreAuthCode(call.suite, call.now);
    return ok({ pre_auth_code: code, expires_in: seconds });
  }),

  suiteRoute('POST', '/cgi-bin/service/get_permanent_code', (call) => {
    const code = str(call.body.auth_code);
    if (code === undefined) return fail(41008);
    const auth = consumeAuthCode(call.suite, code, call.now);
    if (!auth) return fail(40078);
    const corp = call.state.corps.get(auth.corpId);
    if (!corp) return fail(40078);
    const authorization = authorize(call.suite, auth);
    const suiteId = call.suite.config.suiteId;
    const token = call.state.tokens.issueCorp(`suite:${suiteId}:${auth.corpId}`, auth.corpId, auth.agentId, suiteId);
    const admin = corp.store.staff.values().next().value;
    return ok({
      access_token: token.token,
      expires_in: expiresIn(token, call.now),
      permanent_code: authorization.permanentCode,
      auth_corp_info: {
        corpid: corp.corpId, corp_name: corp.store.corpName, corp_type: 'verified', corp_square_logo_url: '', corp_user_max: 200,
        corp_full_name: corp.store.corpName, verified_end_time: 0, subject_type: 1, corp_wxqrcode: '', corp_scale: '',
        corp_industry: '', corp_sub_industry: '',
      },
      auth_info: {
        agent: [{
          agentid: auth.agentId, name: suiteId, round_logo_url: '', square_logo_url: '', auth_mode: 0, is_customized_app: false,
          privilege: { level: 1, allow_party: [1], allow_user: [], allow_tag: [], extra_party: [], extra_user: [], extra_tag: [] },
        }],
      },
      ...(admin ? { auth_user_info: { userid: admin.userid, open_userid: admin.userid, name: admin.name, avatar: '' } } : {}),
      ...(auth.state !== undefined ? { state: auth.state } : {}),
    });
  }),

  suiteRoute('POST', '/cgi-bin/service/get_corp_token', (call) => {
    const corpId = str(call.body.auth_corpid);
    if (corpId === undefined) return fail(41002);
    const code = str(call.body.permanent_code);
    if (code === undefined) return fail(41025);
    const authorization = call.suite.authorizations.get(corpId);
    if (!authorization || authorization.permanentCode !== code) return fail(40084);
    const suiteId = call.suite.config.suiteId;
    // "本质上是一样的": the same kind of token gettoken returns, acting as the suite's agent in that corp.
    const token = call.state.tokens.issueCorp(`suite:${suiteId}:${corpId}`, corpId, authorization.agentId, suiteId);
    return ok({ access_token: token.token, expires_in: expiresIn(token, call.now) });
  }),
];

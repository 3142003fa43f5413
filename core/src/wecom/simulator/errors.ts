// The simulator's WeCom error codes (doc 90455 "全局错误码") and the JSON bodies WeCom answers with.
//
// WeCom answers errors with HTTP 200 and `{"errcode":N,"errmsg":"…"}`. Its errmsg is English text followed by a hint and a
// link to the error-code query tool; clients are told to branch on errcode only ("不应该依赖 errmsg 来匹配"), so the
// simulator keeps that shape and clients that parse errmsg fail here as they would against WeCom.

const messages: Readonly<Record<number, string>> = {
  [-1]: 'system busy',
  0: 'ok',
  40001: 'invalid credential, invalid secret',
  40003: 'invalid userid',
  40008: 'invalid message type',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40031: 'invalid userid list',
  40050: 'chatid not found',
  40056: 'invalid agentid',
  40058: 'invalid parameter',
  40063: 'some parameters are empty',
  40068: 'invalid tagid',
  40071: 'invalid tag name, the tag name already exists',
  40072: 'invalid tag name length',
  40077: 'invalid pre_auth_code',
  40078: 'invalid auth_code',
  40080: 'invalid suite_secret',
  40082: 'invalid suite_token',
  40083: 'invalid suite_id',
  40084: 'invalid permanent_code',
  40085: 'invalid suite_ticket',
  40096: 'invalid external userid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41008: 'auth_code missing',
  41009: 'userid missing',
  41011: 'agentid missing',
  41017: 'tagid missing',
  41018: 'tag name missing',
  41021: 'suite_id missing',
  41022: 'suite_access_token missing',
  41023: 'suite_ticket missing',
  41025: 'permanent_code missing',
  41035: 'external userid missing',
  41037: 'contact way type missing',
  41038: 'contact way scene missing',
  41039: 'invalid contact way type',
  41040: 'invalid contact way scene',
  41041: 'contact way user count exceeds the limit',
  41046: 'msgid missing',
  41047: 'invalid msgid',
  41048: 'no customer to send to',
  41049: 'welcome_code missing',
  41050: 'invalid welcome_code',
  41051: 'externaluser has started chatting',
  41064: 'attachment count exceeds the limit',
  42001: 'access_token expired',
  42009: 'suite_access_token expired',
  44004: 'empty content',
  45009: 'api freq out of limit',
  60111: 'userid not found',
  81013: 'user & party & tag all invalid',
  84061: 'not external contact',
  95000: 'invalid open_kfid',
  95001: 'send msg count limit',
  95002: 'send msg time limit',
  301002: 'not allow to operate another agent',
};

export function errmsg(errcode: number): string {
  if (errcode === 0) return 'ok';
  const text = messages[errcode] ?? 'simulated error';
  return `${text}, hint: [simulator], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

/** An API outcome before it is written out: the errcode and, on success, the fields next to errcode/errmsg. */
export interface ApiResult {
  errcode: number;
  data?: Record<string, unknown>;
}

export function ok(data: Record<string, unknown> = {}): ApiResult {
  return { errcode: 0, data };
}

export function fail(errcode: number): ApiResult {
  return { errcode };
}

/** The JSON body WeCom sends: errcode and errmsg first, then the API's own fields. */
export function responseBody(result: ApiResult, warning = false): Record<string, unknown> {
  // WeCom appends this to errmsg when the request body was not valid JSON (doc 90455, introduction).
  const suffix = warning ? ', Warning: wrong json format.' : '';
  return { errcode: result.errcode, errmsg: `${errmsg(result.errcode)}${suffix}`, ...(result.data ?? {}) };
}

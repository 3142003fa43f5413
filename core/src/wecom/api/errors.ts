// WeCom's errcodes as the host meets them: which ones a call retries itself, and the coded failure each becomes.

/** A WeCom API answer with a non-zero errcode, or no answer at all (errcode undefined: the network failed). */
export class WecomApiError extends Error {
  readonly errcode: number | undefined;
  readonly errmsg: string;
  /** The API path, such as `/cgi-bin/externalcontact/send_welcome_msg`. */
  readonly api: string;
  constructor(api: string, errcode: number | undefined, errmsg: string) {
    super(errcode === undefined ? `${api}: ${errmsg}` : `${api}: errcode ${errcode} (${errmsg})`);
    this.name = 'WecomApiError';
    this.api = api;
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

/** The token was refused: invalid (40014, also a token of the wrong kind) or expired (42001, 42009 for suites). */
export const tokenRefused = new Set([40014, 42001, 42009, 40082]);
/** Worth trying again after a pause: system busy (-1), over a rate limit (45009), over a concurrency cap (45033). */
export const busy = new Set([-1, 45009, 45033]);

export interface CodedFailure {
  code: string;
  message: string;
  retryable: boolean;
}

/** The failure a plugin or a workflow sees for a WeCom error (docs/errors.md lists the codes). */
export function failureOf(error: WecomApiError): CodedFailure {
  const { errcode, api } = error;
  const detail = errcode === undefined ? error.errmsg : `WeCom errcode ${errcode}: ${error.errmsg}`;
  switch (errcode) {
    case undefined:
      return { code: 'wecom.unreachable', message: `${api} could not be reached: ${error.errmsg}`, retryable: true };
    case -1:
      return { code: 'wecom.busy', message: `${api}: WeCom is busy (${detail})`, retryable: true };
    case 45009:
    case 45033:
      return { code: 'wecom.rate_limited', message: `${api}: over WeCom's rate limit (${detail})`, retryable: true };
    case 41050:
      return { code: 'wecom.welcome_code_expired', message: `${api}: the welcome code is invalid or older than 20 s (${detail})`, retryable: false };
    case 41051:
    case 41096:
      return { code: 'wecom.welcome_code_used', message: `${api}: the welcome code was already used (${detail})`, retryable: false };
    case 40001:
    case 40013:
    case 40084:
    case 40085:
      return { code: 'wecom.credentials_invalid', message: `${api}: WeCom refused the credentials (${detail})`, retryable: false };
    default:
      return { code: 'wecom.api_error', message: `${api}: ${detail}`, retryable: false };
  }
}

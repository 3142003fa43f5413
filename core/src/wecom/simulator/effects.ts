// The record of API calls that change the simulated world, for tests to assert on what the host actually did.

export interface Effect {
  /** The API path, e.g. `/cgi-bin/externalcontact/send_welcome_msg`. */
  path: string;
  /** The corp the call acted on, when its token named one. */
  corpId?: string;
  /** The parsed request body (or query for GET calls). */
  body: Record<string, unknown>;
  /** Simulator time in ms. */
  time: number;
  /** The outcome: 0, or the errcode the call was answered with. */
  errcode: number;
  /** The fields answered next to errcode/errmsg (msgid, config_id, fail_list…). */
  response: Record<string, unknown>;
  /** True when the failure came from inject() rather than from the world. */
  injected?: boolean;
}

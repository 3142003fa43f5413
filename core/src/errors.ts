// The host's coded errors: one class, a closed set of dotted codes, each with its HTTP status.

export const errorCodes = {
  'config.invalid': { status: 500, summary: 'The host configuration does not match its schema.' },
  'config.unreadable': { status: 500, summary: 'The host configuration file cannot be read or is not JSON.' },
  'config.secret_missing': { status: 500, summary: 'A secret refers to an environment variable that is not set.' },
  'request.invalid': { status: 400, summary: 'The request does not match what the route expects.' },
  'request.too_large': { status: 413, summary: 'The request body is larger than the route accepts.' },
  'route.not_found': { status: 404, summary: 'No such route.' },
  'tenant.not_found': { status: 404, summary: 'No tenant with that id.' },
  'app.not_found': { status: 404, summary: 'No app with that id in the tenant, or no suite with that id.' },
  'wecom.envelope_invalid': { status: 400, summary: 'The callback envelope is not the XML or JSON WeCom sends.' },
  'wecom.xml_forbidden': { status: 400, summary: 'The callback XML contains a DTD, an entity or a processing instruction.' },
  'wecom.signature_mismatch': { status: 401, summary: 'msg_signature does not match the token, timestamp, nonce and ciphertext.' },
  'wecom.base64_invalid': { status: 400, summary: 'The ciphertext is not valid base64.' },
  'wecom.decrypt_failed': { status: 400, summary: 'The ciphertext does not decrypt (wrong key or bad PKCS#7 padding).' },
  'wecom.receive_id_mismatch': { status: 400, summary: 'The receive id inside the plaintext is not the one this route expects.' },
  'wecom.message_invalid': { status: 400, summary: 'The decrypted message is not well-formed XML or JSON.' },
  'host.listen_failed': { status: 500, summary: 'The host cannot listen on the configured address and port (in use, or not allowed).' },
  'store.unavailable': { status: 503, summary: 'The database did not accept the write.' },
  'manifest.invalid': { status: 400, summary: 'A plugin.json does not match the manifest schema, or its ids, schemas, permissions or handlers do not agree.' },
  'bundle.invalid': { status: 400, summary: 'A plugin bundle is missing, unreadable, or its sha256 does not match.' },
  'engine.incompatible': { status: 400, summary: "The plugin's engine range does not include this host's engine version." },
  'action.not_found': { status: 404, summary: 'The plugin has no action with that id.' },
  'action.input_invalid': { status: 400, summary: "The action's input does not match its input schema." },
  'action.output_invalid': { status: 502, summary: "The action's output does not match its output schema." },
  'action.output_not_json': { status: 502, summary: 'The action returned something JSON cannot carry: a function, symbol, BigInt, cycle or too deep a nesting.' },
  'action.output_too_large': { status: 502, summary: "The action's output is larger than the output limit." },
  'install.not_found': { status: 404, summary: 'No install with that id.' },
  'tenant.exists': { status: 409, summary: 'A tenant with that id, or with that corp id, already exists (in the config file or made at run time).' },
  'tenant.read_only': { status: 409, summary: 'The tenant, app or install comes from the host config file; change it there.' },
  'tenant.disabled': { status: 409, summary: 'The tenant is disabled (its suite authorisation was cancelled, or an operator disabled it).' },
  'install.exists': { status: 409, summary: 'An install with that id exists, or the plugin is already installed for the tenant.' },
  'install.consent_required': { status: 409, summary: 'The install or upgrade needs the tenant to consent to every permission the version declares; `consent` must list them.' },
  'install.version_unavailable': { status: 409, summary: 'No approved version of the plugin matches what was asked (yanked, rejected, not reviewed, or not newer).' },
  'install.migration_failed': { status: 422, summary: "The plugin's config migration failed in the sandbox, or gave a config its new schema refuses; give the config by hand." },
  'wecom.suite_ticket_missing': { status: 503, summary: 'No suite_ticket has arrived for the suite yet (WeCom pushes one every 10 minutes); retryable.' },
  'webhook.signature_mismatch': { status: 401, summary: 'x-lianjie-signature is missing or is not the HMAC-SHA256 of "<timestamp>.<delivery>.<body>" with the install\'s webhook secret.' },
  'webhook.expired': { status: 401, summary: "The webhook's x-lianjie-timestamp is more than 5 minutes from the host's clock (a replayed or delayed request)." },
  'trigger.not_found': { status: 404, summary: 'The plugin has no trigger with that id.' },
  'trigger.input_invalid': { status: 400, summary: "A webhook trigger's request body does not match the trigger's input schema." },
  'trigger.output_invalid': { status: 502, summary: "The trigger's output does not match its output schema." },
  'install.config_invalid': { status: 400, summary: "The install's config does not match the plugin's config schema." },
  'plugin.error': { status: 502, summary: 'The plugin threw something that is not a structured failure; plugin.<code> carries the code of one that is.' },
  'sandbox.timeout': { status: 504, summary: 'The invocation ran past its wall-time limit (including waiting on a promise that never settles).' },
  'sandbox.cpu_limit': { status: 504, summary: 'The invocation used more CPU time than its limit (a loop, a catastrophic regular expression).' },
  'sandbox.memory_limit': { status: 502, summary: "The plugin's isolate ran out of its memory limit and was disposed." },
  'sandbox.crashed': { status: 503, summary: 'The sandbox worker running the invocation died; retryable.' },
  'sandbox.quarantined': { status: 503, summary: 'The install crashed sandbox workers repeatedly and is refused until its cool-down ends.' },
  'sandbox.unavailable': { status: 503, summary: 'The sandbox pool is closed or could not start a worker.' },
  'capability.denied': { status: 403, summary: 'The plugin called a capability its manifest does not declare or its install was not granted.' },
  'capability.args_invalid': { status: 400, summary: "A capability call's arguments do not match the capability's schema." },
  'capability.limit_exceeded': { status: 429, summary: 'The invocation made more capability calls than allowed.' },
  'capability.failed': { status: 502, summary: 'A capability failed for a reason outside the plugin (database, network).' },
  'store.quota_exceeded': { status: 413, summary: "A plugin store write would pass the install's key-count or byte quota." },
  'http.host_not_allowed': { status: 403, summary: "The plugin fetched a host its manifest does not list." },
  'http.timeout': { status: 504, summary: 'A plugin fetch did not complete within its time limit.' },
  'http.response_too_large': { status: 502, summary: 'A plugin fetch response is larger than the size limit.' },
  'http.failed': { status: 502, summary: 'A plugin fetch failed at the network level (refused, reset, DNS).' },
  'wecom.not_configured': { status: 500, summary: "The tenant has no WeCom app with a secret (or suite authorisation) for plugins to act through." },
  'wecom.credentials_invalid': { status: 502, summary: 'WeCom refused the corpid, secret, suite ticket or permanent code (40001, 40013, 40084, 40085).' },
  'wecom.unreachable': { status: 502, summary: 'The WeCom API could not be reached, or answered something other than its JSON.' },
  'wecom.busy': { status: 503, summary: 'WeCom answered "system busy" (-1) on every attempt.' },
  'wecom.rate_limited': { status: 429, summary: "WeCom answered that a rate or concurrency limit was passed (45009, 45033) on every attempt." },
  'wecom.welcome_code_expired': { status: 410, summary: 'The welcome code is unknown or older than the 20 s WeCom allows (41050).' },
  'wecom.welcome_code_used': { status: 409, summary: 'The welcome code was already used, or the customer has started chatting (41051, 41096).' },
  'wecom.api_error': { status: 502, summary: 'WeCom answered an errcode the host does not handle specially; the message carries it.' },
  'quota.exceeded': { status: 429, summary: "A message to a customer would pass the tenant's contact quota, or falls in its quiet hours; retryable when the window opens (retryAt)." },
  'workflow.invalid': { status: 400, summary: 'A workflow does not match its schema, names actions or triggers not installed for its tenant, refers to steps that do not come earlier, or has an expression that does not compile.' },
  'workflow.expression_failed': { status: 422, summary: 'A workflow expression failed while it was evaluated: a runtime error, a value that is not JSON, or it ran past its time, depth or size budget.' },
  'workflow.not_found': { status: 404, summary: 'No workflow (or no such version of it) for the tenant.' },
  'workflow.install_missing': { status: 409, summary: "A run's action belongs to a plugin no longer installed for its tenant." },
  'workflow.wait_invalid': { status: 422, summary: "A wait step's until expression gave something that is not an RFC 3339 timestamp." },
  'workflow.stopped': { status: 422, summary: 'A stop step ended the run as failed; its reason is the message.' },
  'api.unauthorized': { status: 401, summary: 'The /api/v1 request has no bearer token, or one that is not known or was revoked.' },
  'api.forbidden': { status: 403, summary: "The token's role may not call the route, or may not see that tenant's data." },
  'run.not_found': { status: 404, summary: 'No run with that id.' },
  'token.not_found': { status: 404, summary: 'No API token with that id.' },
  'registry.package_invalid': { status: 400, summary: 'A submitted plugin package is not the tarball lianjie-plugin pack writes, or its bundle does not match its checksum.' },
  'registry.version_exists': { status: 409, summary: 'That plugin version was submitted before: versions are immutable.' },
  'registry.owned': { status: 409, summary: 'The plugin id belongs to another vendor.' },
  'registry.not_found': { status: 404, summary: 'No plugin version with that id and version that the caller may see.' },
  'registry.review_refused': { status: 409, summary: 'The review decision does not apply to the version in its current state.' },
  'run.not_replayable': { status: 409, summary: "The run's plugin trigger failed, so there is no trigger output to replay." },
  'secret.key_missing': { status: 500, summary: 'LIANJIE_SECRET_KEY is not set, so secrets cannot be sealed or opened; make a key with `openssl rand -base64 32`.' },
  'secret.key_invalid': { status: 500, summary: 'LIANJIE_SECRET_KEY is not a 32-byte key written as base64 (44 characters) or as 64 hex characters.' },
  'secret.key_mismatch': { status: 500, summary: 'A stored secret was sealed under another LIANJIE_SECRET_KEY than the one the host has (their key ids differ).' },
  'secret.unreadable': { status: 500, summary: 'A stored secret is not a sealed value, or fails its authentication check (altered or truncated).' },
  'internal': { status: 500, summary: 'An unexpected failure inside the host.' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One problem at one place in a document: `pointer` is a JSON pointer (RFC 6901). */
export interface ErrorDetail {
  pointer: string;
  message: string;
}

export class LianjieError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LianjieError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** Checks by shape, not `instanceof`, so errors from another realm or package copy still count. */
export function isLianjieError(value: unknown): value is LianjieError {
  return (
    typeof value === 'object' && value !== null &&
    (value as { name?: unknown }).name === 'LianjieError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in errorCodes
  );
}

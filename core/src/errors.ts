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

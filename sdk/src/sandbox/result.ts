// What crosses every sandbox boundary: a result union of plain JSON, tRPC-style.

/** A serialisable failure. Host codes come from errors.ts; a plugin's own codes are `plugin.<code>`. */
export interface Failure {
  code: string;
  message: string;
  retryable: boolean;
  details?: { pointer: string; message: string }[];
  /** An ISO instant before which trying again fails the same way (a contact quota's window opening). */
  retryAt?: string;
}

export type Result<T = unknown> = { ok: true; output: T } | { ok: false; failure: Failure };

export function failure(code: string, message: string, retryable = false, details?: Failure['details']): { ok: false; failure: Failure } {
  return { ok: false, failure: details?.length ? { code, message, retryable, details } : { code, message, retryable } };
}

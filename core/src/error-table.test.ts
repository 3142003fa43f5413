import { describe, expect, it } from 'vitest';
import { LianjieError, errorCodes, isLianjieError } from './errors.ts';

describe('error codes', () => {
  it('every code is dotted, lower-case, with an HTTP status', () => {
    for (const [code, { status }] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[a-z_]+(\.[a-z0-9_]+)?$/);
      expect(status).toBeGreaterThanOrEqual(400);
    }
  });

  it('is recognised by shape, including a copy that crossed a realm as plain data', () => {
    const error = new LianjieError('wecom.signature_mismatch', 'bad', [{ pointer: '/query/msg_signature', message: 'mismatch' }]);
    expect(isLianjieError(error)).toBe(true);
    expect(error.status).toBe(401);
    expect(isLianjieError({ name: 'LianjieError', code: 'wecom.signature_mismatch' })).toBe(true);
    expect(isLianjieError({ name: 'LianjieError', code: 'made.up' })).toBe(false);
    expect(error.toJSON()).toEqual({ error: { code: 'wecom.signature_mismatch', message: 'bad', details: [{ pointer: '/query/msg_signature', message: 'mismatch' }] } });
  });
});

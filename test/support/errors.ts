// Catching the coded error a call throws, for tests that assert its code and details.
import { isLianjieError, type LianjieError } from '../../core/src/errors.ts';

/** The LianjieError `fn` throws; fails the test if it returns or throws anything else. */
export function failure(fn: () => unknown): LianjieError {
  try {
    fn();
  } catch (error) {
    if (isLianjieError(error)) return error;
    throw error;
  }
  throw new Error('expected a LianjieError, got none');
}

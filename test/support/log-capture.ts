// A host logger whose records tests can read back, parsed, in the order they were written.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../core/src/ops/logger.ts';

export interface CapturedLog {
  logger: Logger;
  /** Every record so far, as the JSON objects pino wrote. */
  records(): Record<string, unknown>[];
  /** The raw text pino wrote. */
  text(): string;
}

export function captureLogger(level = 'debug'): CapturedLog {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    logger: createLogger(level, stream),
    records: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => text,
  };
}

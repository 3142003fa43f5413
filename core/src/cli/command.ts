// What every `lianjie` subcommand looks like, and the shared option parsing and failure reporting.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLianjieError } from '../errors.ts';

export interface Command {
  name: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const configOption = { config: { type: 'string', short: 'c' } } as const;

/** parseArgs with strict checking; `--help` is handled by the caller. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
}

/** One line on stderr for a failure, with the field-level details when there are any. */
export function reportFailure(error: unknown): number {
  if (isLianjieError(error)) {
    console.error(`lianjie: ${error.code}: ${error.message}`);
  } else {
    console.error(`lianjie: ${error instanceof Error ? error.message : String(error)}`);
  }
  return 1;
}


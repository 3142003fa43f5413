// JSON logs through pino; secrets are redacted wherever they appear and bodies are never logged at info.
import { pino, type Logger } from 'pino';

export type { Logger };

const secretKeys = ['token', 'encodingAesKey', 'secret', 'encrypt', 'echostr', 'msg_signature', 'permanentCode', 'accessToken', 'authorization'];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const paths = secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const options = { level, redact: { paths, censor: '[redacted]' }, base: { service: 'lianjie' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

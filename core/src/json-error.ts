// Describes a JSON.parse failure by where it happened only: V8's message quotes the text around the error,
// which in a config file or a decrypted message may be a secret.

export function jsonErrorWhere(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return text.trim() === '' ? 'empty, not JSON' : 'not valid JSON';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}`;
}

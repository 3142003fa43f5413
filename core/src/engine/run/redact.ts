// Keeps an install's secrets out of run history: config values its schema marks `writeOnly: true` or
// `format: "secret"` are replaced wherever they appear in a step's recorded input or output.
import { mapSecrets, redactedText } from '../../plugins/config-secrets.ts';
import type { Install } from '../../plugins/types.ts';

export { redactedText };

/** A function from a JSON text to the same text with every secret of `install` replaced. */
export function createRedactor(install: Install): (json: string | null) => string | null {
  const secrets = secretValues(install.plugin.manifest.config, install.config)
    // As they appear inside a JSON string; the longest first, so a secret containing another is replaced whole.
    .map((value) => JSON.stringify(value).slice(1, -1))
    .sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (json) => json;
  return (json) => {
    if (json === null) return null;
    let text = json;
    for (const secret of secrets) text = text.replaceAll(secret, redactedText);
    return text;
  };
}

function secretValues(schema: unknown, value: unknown): string[] {
  const found: string[] = [];
  mapSecrets(schema, value, (secret) => {
    // Very short values would redact unrelated text; a secret that short is not one worth the name.
    if (typeof secret === 'string' && secret.length >= 4) found.push(secret);
    return secret;
  });
  return found;
}

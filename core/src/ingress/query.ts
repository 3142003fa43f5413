// Query parameters exactly as WeCom means them: percent-decoding only, a '+' stays a '+' (REFERENCE.md §1.2).

export function callbackQuery(url: string): Map<string, string> {
  const params = new Map<string, string>();
  const start = url.indexOf('?');
  if (start < 0) return params;
  for (const pair of url.slice(start + 1).split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    params.set(decoded(name), decoded(value));
  }
  return params;
}

// Most values (hex signatures, digits) have nothing to decode; skipping decodeURIComponent for them is measurable per callback.
function decoded(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape fails the signature check later, with a clear reason
  }
}

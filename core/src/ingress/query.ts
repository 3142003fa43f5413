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
    try {
      params.set(decodeURIComponent(name), decodeURIComponent(value));
    } catch {
      params.set(name, value); // a malformed escape fails the signature check later, with a clear reason
    }
  }
  return params;
}

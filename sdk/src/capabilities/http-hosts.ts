// Whether a URL's host is one a plugin's manifest lists in http.hosts: the http capability's allow-list.
//
// An entry is `host` (that host on the scheme's default port only), `host:port` (that port only; `host:443` also
// matches an https URL without a port), or `*.suffix` / `*.suffix:port` (any subdomain of suffix, never suffix itself).
// Names compare as the WHATWG URL parser normalises them: lower case, IDNs as punycode, no trailing-dot folding.

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };

export function isHostAllowed(url: URL, hosts: readonly string[]): boolean {
  const host = url.hostname;
  const port = url.port || defaultPorts[url.protocol];
  if (port === undefined) return false;
  return hosts.some((entry) => {
    const colon = entry.lastIndexOf(':');
    const name = (colon === -1 ? entry : entry.slice(0, colon)).toLowerCase();
    // Without a port, only the default port: listing `api.example.com` must not open its admin port 8080.
    const portMatches = colon === -1 ? url.port === '' : Number(entry.slice(colon + 1)) === Number(port);
    if (!portMatches) return false;
    if (name.startsWith('*.')) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
    return host === name;
  });
}

/** The host as the plugin would list it: with its port when the URL names one. */
export function hostLabel(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

// Which URLs an http.hosts list lets a plugin reach.
import { describe, expect, it } from 'vitest';
import { hostLabel, isHostAllowed } from './http-hosts.ts';

const allowed = (url: string, hosts: string[]) => isHostAllowed(new URL(url), hosts);

describe('isHostAllowed', () => {
  it('matches an exact host on its default ports only', () => {
    expect(allowed('https://api.example.com/x', ['api.example.com'])).toBe(true);
    expect(allowed('http://api.example.com/x', ['api.example.com'])).toBe(true);
    expect(allowed('https://API.Example.com:443/x', ['api.example.com'])).toBe(true);
    expect(allowed('https://api.example.com:8443/x', ['api.example.com'])).toBe(false);
    expect(allowed('https://example.com/', ['api.example.com'])).toBe(false);
    expect(allowed('https://api.example.com.evil.io/', ['api.example.com'])).toBe(false);
    expect(allowed('https://evil-api.example.com/', ['api.example.com'])).toBe(false);
  });

  it('matches host:port on that port, counting a default port the URL leaves out', () => {
    expect(allowed('http://127.0.0.1:8080/', ['127.0.0.1:8080'])).toBe(true);
    expect(allowed('http://127.0.0.1:8081/', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('http://127.0.0.1/', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('https://pay.example.com/', ['pay.example.com:443'])).toBe(true);
    expect(allowed('http://pay.example.com/', ['pay.example.com:443'])).toBe(false);
  });

  it('matches *.suffix for subdomains at any depth, never the bare suffix', () => {
    expect(allowed('https://a.example.com/', ['*.example.com'])).toBe(true);
    expect(allowed('https://a.b.example.com/', ['*.example.com'])).toBe(true);
    expect(allowed('https://example.com/', ['*.example.com'])).toBe(false);
    expect(allowed('https://badexample.com/', ['*.example.com'])).toBe(false);
    expect(allowed('https://a.example.com:8443/', ['*.example.com'])).toBe(false);
    expect(allowed('https://a.example.com:8443/', ['*.example.com:8443'])).toBe(true);
  });

  it('refuses everything with an empty list', () => {
    expect(allowed('https://example.com/', [])).toBe(false);
  });

  it('labels a host with its port only when the URL names one', () => {
    expect(hostLabel(new URL('https://example.com:443/'))).toBe('example.com');
    expect(hostLabel(new URL('http://127.0.0.1:9/'))).toBe('127.0.0.1:9');
  });
});

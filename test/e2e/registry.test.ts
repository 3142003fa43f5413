// The plugin registry over real HTTP: a vendor submits with `lianjie-plugin publish --server`, versions are immutable
// and plugin ids belong to their vendor, the platform team reviews (approve, reject with a reason, yank), and tenant
// admins find approved versions by category, permission and text. Broken packages are refused with the pointer.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'tar';
import { startHost, type RunningHost } from '../support/host.ts';
import { greeterProject } from '../support/plugin-package.ts';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'sdk/src/cli/main.ts');
const platformToken = 'platform-token-0123456789abcdef';

describe('the plugin registry', () => {
  let host: RunningHost;
  const tokens: Record<string, string> = {};
  const projects: string[] = [];

  const call = async (method: string, target: string, token: string, body?: unknown) => {
    const response = await fetch(host.url + target, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  const publish = (dir: string, token: string) =>
    run(process.execPath, [cli, 'publish', dir, '--server', host.url, '--token', token], { encoding: 'utf8' }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  const project = async (version: string, change?: (m: Record<string, unknown>) => void) => {
    const dir = await greeterProject(version, change);
    projects.push(path.dirname(dir));
    return dir;
  };

  beforeAll(async () => {
    host = await startHost('sqlite', { run: false, config: { api: { tokens: [{ id: 'ops', token: platformToken }] } } });
    for (const [name, body] of [['acmeSoft', { role: 'vendor', vendorId: 'acme-soft' }], ['other', { role: 'vendor', vendorId: 'other-isv' }], ['tenant', { role: 'tenant', tenantId: 'acme' }]] as const) {
      tokens[name] = (await call('POST', '/api/v1/tokens', platformToken, { ...body, label: name })).json.secret;
    }
  });
  afterAll(async () => {
    await host?.close();
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  it('a vendor submits with lianjie-plugin publish --server; the same version again, or another vendor\'s, is refused', async () => {
    const dir = await project('2.0.0');
    expect(await publish(dir, tokens.acmeSoft!)).toMatchObject({ code: 0, out: expect.stringContaining('submitted examples.greeter@2.0.0') });
    const again = await publish(dir, tokens.acmeSoft!);
    expect(again.code).toBe(1);
    expect(again.out).toContain('registry.version_exists');
    const theirs = await publish(await project('2.0.1'), tokens.other!);
    expect(theirs.out).toContain('registry.owned');
    expect((await publish(dir, 'not-a-token-of-this-host-at-all')).out).toContain('api.unauthorized');
  });

  it('the first-party namespace and build metadata are refused', async () => {
    const ours = await publish(await project('1.0.0', (m) => { m.id = 'lianjie.greeter'; }), tokens.acmeSoft!);
    expect(ours.out).toContain('registry.owned');
    const build = await publish(await project('2.0.0+evil'), tokens.acmeSoft!);
    expect(build.out).toContain('build metadata');
  });

  it('tenants see a version once it is approved, and find it by category, permission and text', async () => {
    expect((await call('GET', '/api/v1/plugins', tokens.tenant!)).json.versions).toEqual([]);
    expect((await call('GET', '/api/v1/plugins?status=submitted', tokens.acmeSoft!)).json.versions).toMatchObject([{ pluginId: 'examples.greeter', version: '2.0.0', status: 'submitted' }]);
    expect((await call('GET', '/api/v1/plugins/examples.greeter/versions/2.0.0', tokens.other!)).status).toBe(404);
    const approved = await call('POST', '/api/v1/plugins/examples.greeter/versions/2.0.0/review', platformToken, { decision: 'approve' });
    expect(approved).toMatchObject({ status: 200, json: { version: { status: 'approved', reviewedBy: 'ops' } } });
    for (const query of ['', '?category=retail', '?permission=store', '?q=Greet', '?vendor=acme-soft']) {
      expect((await call('GET', `/api/v1/plugins${query}`, tokens.tenant!)).json.versions.map((v: { version: string }) => v.version), query).toEqual(['2.0.0']);
    }
    for (const query of ['?category=jewellery', '?permission=http', '?q=nothing-like-it']) {
      expect((await call('GET', `/api/v1/plugins${query}`, tokens.tenant!)).json.versions, query).toEqual([]);
    }
    const detail = await call('GET', '/api/v1/plugins/examples.greeter/versions/2.0.0', tokens.tenant!);
    expect(detail.json.version).toMatchObject({ manifest: { id: 'examples.greeter', version: '2.0.0' }, readme: expect.stringContaining('examples.greeter') });
  });

  it('review: reject needs a reason, a decision that does not apply is refused, a yanked version disappears for tenants', async () => {
    await publish(await project('2.1.0'), tokens.acmeSoft!);
    expect((await call('POST', '/api/v1/plugins/examples.greeter/versions/2.1.0/review', platformToken, { decision: 'reject' })).json.error)
      .toMatchObject({ code: 'request.invalid', details: [{ pointer: '/body/reason', message: 'is required' }] });
    expect((await call('POST', '/api/v1/plugins/examples.greeter/versions/2.1.0/review', platformToken, { decision: 'reject', reason: 'asks for more than it uses' })).json.version)
      .toMatchObject({ status: 'rejected', reason: 'asks for more than it uses' });
    expect((await call('POST', '/api/v1/plugins/examples.greeter/versions/2.1.0/review', platformToken, { decision: 'approve' }))).toMatchObject({ status: 409, json: { error: { code: 'registry.review_refused' } } });
    expect((await call('POST', '/api/v1/plugins/examples.greeter/versions/2.0.0/review', platformToken, { decision: 'yank', reason: 'leaks a token' })).json.version.status).toBe('yanked');
    expect((await call('GET', '/api/v1/plugins', tokens.tenant!)).json.versions).toEqual([]);
    expect((await call('POST', '/api/v1/plugins/examples.greeter/versions/9.9.9/review', platformToken, { decision: 'approve' })).status).toBe(404);
  });

  it('a package that is not pack\'s, whose bundle does not match its checksum, or whose manifest the host refuses, is refused with the pointer', async () => {
    const submit = (tarball: string) => call('POST', '/api/v1/plugins', tokens.acmeSoft!, { tarball });
    expect((await submit(Buffer.from('not a tarball').toString('base64'))).json.error).toMatchObject({ code: 'registry.package_invalid', details: [{ pointer: '/body/tarball' }] });

    const dir = await project('3.0.0');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'dist/plugin.js.sha256'), `${'0'.repeat(64)}\n`);
    expect((await submit(await tarOf(dir, ['plugin.json', 'dist/plugin.js', 'dist/plugin.js.sha256']))).json.error)
      .toMatchObject({ code: 'registry.package_invalid', details: [{ pointer: '/body/tarball/dist/plugin.js.sha256' }] });

    const bad = await project('3.0.1', (m) => {
      (m.actions as { id: string }[]).push({ ...(m.actions as object[])[0] as { id: string } });
    });
    expect((await submit(await tarOf(bad, ['plugin.json', 'dist/plugin.js', 'dist/plugin.js.sha256']))).json.error)
      .toMatchObject({ code: 'manifest.invalid', details: expect.arrayContaining([expect.objectContaining({ pointer: '/body/tarball/plugin.json/actions/1/id' })]) });

    // Anything but the package's own files, or a file twice, is refused: what the registry stores is what was checked.
    const extra = await project('3.0.2');
    writeFileSync(path.join(extra, 'notes.txt'), 'hello');
    expect((await submit(await tarOf(extra, ['plugin.json', 'dist/plugin.js', 'dist/plugin.js.sha256', 'notes.txt']))).json.error)
      .toMatchObject({ code: 'registry.package_invalid', message: expect.stringContaining('notes.txt') });
    expect((await submit(await tarOf(extra, ['plugin.json', 'dist/plugin.js', 'dist/plugin.js.sha256', './plugin.json']))).json.error)
      .toMatchObject({ code: 'registry.package_invalid', message: expect.stringContaining('twice') });
  });
});

/** A gzipped tar of `files` under `dir`, base64: a package made by hand, bypassing pack's own checks. */
async function tarOf(dir: string, files: string[]): Promise<string> {
  const chunks: Buffer[] = [];
  const stream = create({ cwd: dir, portable: true }, files).pipe(createGzip());
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('base64');
}

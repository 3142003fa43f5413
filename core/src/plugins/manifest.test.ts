// parseManifest: the echo fixture and its defaults, and every kind of problem at its pointer, all collected at once.
import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.ts';
import { detailAt, echoManifest, failure, manifestWith, pointers, withTriggers } from './plugins.test-support.ts';

const invalid = (value: unknown) => {
  const error = failure(() => parseManifest(value));
  expect(error.code).toBe('manifest.invalid');
  expect(error.message).not.toContain('\n');
  return error;
};

describe('parseManifest accepts', () => {
  it('the echo fixture, returning a copy with the schema defaults applied', () => {
    const raw = echoManifest();
    delete raw.actions[0].idempotent;
    const before = structuredClone(raw);
    const manifest = parseManifest(raw);
    expect(manifest).not.toBe(raw);
    expect(raw).toEqual(before);
    expect(manifest.id).toBe('lianjie.echo');
    expect(manifest.actions[0]).toMatchObject({ id: 'echo', idempotent: false });
  });

  it('one trigger of each kind, http with its hosts, union types, formats and local $refs', () => {
    const manifest = withTriggers({
      permissions: ['store', 'http'],
      http: { hosts: ['api.example.com', '*.example.org:8443'] },
      actions: [{
        id: 'send',
        input: { $defs: { email: { type: 'string', format: 'email' } }, type: 'object', properties: { to: { $ref: '#/$defs/email' }, note: { type: ['string', 'null'] } } },
        output: true,
      }],
    });
    expect(parseManifest(manifest).triggers.map((t) => t.kind)).toEqual(['event', 'webhook', 'schedule']);
  });

  it('an action and a trigger with the same id (they are separate namespaces)', () => {
    const manifest = withTriggers();
    manifest.actions[0].id = 'paid';
    expect(() => parseManifest(manifest)).not.toThrow();
  });

  it('an embedded $id equal to a host contract, which lives in the plugin ajv and shadows nothing', () => {
    const manifest = echoManifest();
    manifest.actions[0].output = { $id: 'https://lianjie.dev/schemas/plugin-manifest.schema.json', type: 'object' };
    expect(() => parseManifest(manifest)).not.toThrow();
    expect(() => parseManifest(echoManifest())).not.toThrow();
    expect(invalid(manifestWith({ vendor: undefined })).details).toEqual([{ pointer: '/vendor', message: 'is required' }]);
  });
});

describe('parseManifest refuses what the manifest schema refuses', () => {
  it.each([
    [manifestWith({ vendor: undefined }), '/vendor', 'is required'],
    [manifestWith({ id: 'Echo' }), '/id', 'must be a reverse-domain plugin id'],
    [manifestWith({ version: '1.0' }), '/version', 'must be a semantic version'],
    [manifestWith({ extra: true }), '/extra', 'is not an allowed key here'],
    [manifestWith({ permissions: ['teleport'] }), '/permissions/0', 'must be one of'],
    [manifestWith({ actions: [{ id: 'Echo', input: {}, output: {} }] }), '/actions/0/id', 'must be a lowercase id'],
    [manifestWith({ triggers: [{ id: 'daily', kind: 'schedule', output: {} }] }), '/triggers/0/cron', 'is required'],
    [manifestWith({ triggers: [{ id: 'daily', kind: 'schedule', cron: '61 9 * * *', output: {} }] }), '/triggers/0/cron', 'is not a cron expression: CronPattern: Invalid value for minute: 61'],
  ])('%#: %s', (value, pointer, message) => {
    expect(detailAt(invalid(value), pointer)?.message).toContain(message);
  });

  it.each([null, [], 'plugin', 42])('a manifest that is not an object: %j', (value) => {
    expect(pointers(invalid(value))).toEqual(['/']);
  });
});

describe('parseManifest checks the engine first', () => {
  it('an engine that excludes this host is engine.incompatible, even with other problems', () => {
    const error = failure(() => parseManifest(manifestWith({ engine: '^2', vendor: undefined, extra: 1 })));
    expect(error.code).toBe('engine.incompatible');
    expect(pointers(error)).toEqual(['/engine']);
  });

  it('an engine that is not a semver range is engine.incompatible', () => {
    const error = failure(() => parseManifest(manifestWith({ engine: 'latest' })));
    expect(error.code).toBe('engine.incompatible');
    expect(error.details).toEqual([{ pointer: '/engine', message: 'is not a semver range such as ^1' }]);
  });

  it('an engine that is not a string is the schema\'s to report', () => {
    expect(detailAt(invalid(manifestWith({ engine: 1 })), '/engine')?.message).toBe('must be string');
  });
});

describe('parseManifest checks the rules the schema cannot express', () => {
  it('duplicate action ids, at the later one', () => {
    const manifest = echoManifest();
    manifest.actions.push(structuredClone(manifest.actions[0]), { ...structuredClone(manifest.actions[0]), id: 'other' }, structuredClone(manifest.actions[0]));
    expect(invalid(manifest).details).toEqual([
      { pointer: '/actions/1/id', message: 'action id "echo" is already used at /actions/0/id' },
      { pointer: '/actions/3/id', message: 'action id "echo" is already used at /actions/0/id' },
    ]);
  });

  it('duplicate trigger ids', () => {
    const manifest = withTriggers();
    manifest.triggers[2].id = 'added';
    expect(invalid(manifest).details).toEqual([{ pointer: '/triggers/2/id', message: 'trigger id "added" is already used at /triggers/0/id' }]);
  });

  it('the http permission without http.hosts', () => {
    const error = invalid(manifestWith({ permissions: ['http'] }));
    expect(pointers(error)).toEqual(['/http']);
    expect(error.details[0]!.message).toContain('is required with the "http" permission');
  });

  it('an http object without hosts is reported once, by the schema', () => {
    expect(invalid(manifestWith({ permissions: ['http'], http: {} })).details).toEqual([{ pointer: '/http/hosts', message: 'is required' }]);
  });

  it('http.hosts without the http permission', () => {
    expect(invalid(manifestWith({ http: { hosts: ['api.example.com'] } })).details).toEqual([
      { pointer: '/http', message: 'lists hosts, but /permissions does not declare "http"' },
    ]);
  });

  it('an event type that is not canonical (it would never fire), at its pointer', () => {
    const manifest = withTriggers();
    manifest.triggers[0].events = ['wecom.external_contact.add', 'wecom.external_contact.added'];
    expect(invalid(manifest).details).toEqual([
      { pointer: '/triggers/0/events/1', message: '"wecom.external_contact.added" is not a canonical event type (see the SDK\'s EventsByType)' },
    ]);
  });

  it('config migrations from earlier majors, each from one major at most, each at its pointer', () => {
    const version = (v: string, froms: number[]) => manifestWith({ version: v, configMigrations: froms.map((from) => ({ from, description: `from ${from}.x` })) });
    expect(parseManifest(version('3.0.0', [1, 0, 2])).configMigrations?.map((m) => m.from)).toEqual([1, 0, 2]);
    expect(invalid(version('3.1.0', [2, 0, 2, 2])).details).toEqual([
      { pointer: '/configMigrations/2/from', message: 'a migration from major 2 is already declared at /configMigrations/0/from' },
      { pointer: '/configMigrations/3/from', message: 'a migration from major 2 is already declared at /configMigrations/0/from' },
    ]);
    expect(invalid(version('2.0.0-beta.1', [1, 2, 3])).details).toEqual([
      { pointer: '/configMigrations/1/from', message: "must be below this version's major (2): a migration comes from an earlier major" },
      { pointer: '/configMigrations/2/from', message: "must be below this version's major (2): a migration comes from an earlier major" },
    ]);
    expect(pointers(invalid(version('0.3.0', [0])))).toEqual(['/configMigrations/0/from']);
  });

  it.each([
    [{ from: -1 }, '/configMigrations/0/from', 'must be >= 0'],
    [{ from: 1.5 }, '/configMigrations/0/from', 'must be integer'],
    [{ description: 'no from' }, '/configMigrations/0/from', 'is required'],
    [{ from: 1, run: 'x' }, '/configMigrations/0/run', 'is not an allowed key here'],
  ])('a config migration the schema refuses: %j', (migration, pointer, message) => {
    expect(detailAt(invalid(manifestWith({ version: '2.0.0', configMigrations: [migration] })), pointer)?.message).toContain(message);
  });

  it.each([
    [{ type: 'string' }],
    [{ properties: {} }],
    [true],
    [{ type: ['object', 'null'] }],
  ])('a config that is not an object schema: %j', (config) => {
    expect(detailAt(invalid(manifestWith({ config })), '/config')?.message).toBe('must be an object schema ("type": "object")');
  });
});

const locations = [
  ['/config', (m: any, s: unknown) => { m.config = s; }],
  ['/actions/0/input', (m: any, s: unknown) => { m.actions[0].input = s; }],
  ['/actions/0/output', (m: any, s: unknown) => { m.actions[0].output = s; }],
  ['/triggers/1/input', (m: any, s: unknown) => { m.triggers[1].input = s; }],
  ['/triggers/0/output', (m: any, s: unknown) => { m.triggers[0].output = s; }],
] as const;

describe.each(locations)('parseManifest compiles the embedded schema at %s', (at, put) => {
  const problem = (schema: unknown) => {
    const manifest = withTriggers();
    put(manifest, schema);
    return invalid(manifest);
  };

  it('refuses one that is not JSON Schema 2020-12, at the keyword', () => {
    expect(detailAt(problem({ type: 'object', properties: { a: { type: 'strin' } } }), `${at}/properties/a/type`)?.message).toContain('(JSON Schema 2020-12)');
    expect(detailAt(problem({ type: 'object', minProperties: 'x' }), `${at}/minProperties`)?.message).toBe('must be integer (JSON Schema 2020-12)');
  });

  it('refuses another draft\'s $schema', () => {
    expect(pointers(problem({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }))).toEqual([`${at}/$schema`]);
  });

  it.each([
    [{ type: 'object', colour: 'red' }, 'unknown keyword: "colour"'],
    [{ type: 'object', properties: { a: { type: 'string', format: 'postcode' } } }, 'unknown format "postcode"'],
    [{ type: 'object', required: ['a'] }, 'required property "a" is not defined'],
    [{ type: 'object', properties: { a: { minLength: 1 } } }, 'missing type "string" for keyword "minLength"'],
    [{ type: 'object', properties: { a: { $ref: 'https://lianjie.dev/schemas/capabilities/store.schema.json#/$defs/key' } } }, "can't resolve reference"],
    [{ type: 'object', properties: { a: { type: 'string', pattern: '(' } } }, 'Invalid regular expression'],
    [{ type: 'object', anyOf: [{ properties: { x: { type: 'string', default: 'a' } } }] }, 'default is ignored'],
  ])('refuses one that does not compile in strict mode: %j', (schema, reason) => {
    const detail = detailAt(problem(schema), at);
    expect(detail?.message).toMatch(/^does not compile: /);
    expect(detail?.message).toContain(reason);
  });

  it('refuses an asynchronous schema, whose validator would pass everything', () => {
    expect(pointers(problem({ $async: true, type: 'object' }))).toEqual([`${at}/$async`]);
  });
});

describe('parseManifest collects every problem', () => {
  it('schema, rules and embedded schemas in one error', () => {
    const manifest = withTriggers({ vendor: undefined, permissions: ['http'], config: { type: 'object', colour: 'red' } });
    manifest.actions.push({ ...structuredClone(manifest.actions[0]), output: { type: 'nope' } });
    const error = invalid(manifest);
    expect(pointers(error)).toEqual(['/vendor', '/actions/1/id', '/http', '/config', '/actions/1/output/type']);
    expect(error.message).toMatch(/^invalid plugin manifest: \/vendor is required; .*; and 2 more$/);
  });

  it('the second schema with an $id already used by the first', () => {
    const manifest = echoManifest();
    manifest.actions[0].input = { $id: 'https://vendor.example/echo.json', type: 'object' };
    manifest.actions[0].output = { $id: 'https://vendor.example/echo.json', type: 'object' };
    expect(detailAt(invalid(manifest), '/actions/0/output')?.message).toContain('already exists');
  });
});

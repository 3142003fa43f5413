// The OpenAPI 3.1 document of the admin API, made from the route declarations and their JSON Schemas (OpenAPI 3.1
// speaks JSON Schema 2020-12, so the files under schemas/api/ go in as they are), never written by hand.
import { readFileSync } from 'node:fs';
import { errorCodes } from '../errors.ts';
import { schemaPath } from '../schema/paths.ts';
import type { RouteSpec } from './define-route.ts';

const ref = (file: string) => ({ $ref: `#/components/schemas/${componentName(file)}` });
const componentName = (file: string) => file.replace(/^api\//, '').replace(/\.schema\.json$/, '');

export function openApiDocument(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const files = new Set<string>();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (route.query) {
      files.add(route.query);
      const schema = JSON.parse(readFileSync(schemaPath(route.query), 'utf8')) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
      }
    }
    for (const file of [route.body, route.response]) if (file) files.add(file);
    const operation: Record<string, unknown> = {
      operationId: `${route.method}${route.path.replace(/\/api\/v1/, '').replace(/[/:]+([a-zA-Z])/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.summary, tags: [route.tag],
      description: `Roles: ${route.roles.join(', ')}.${route.tenantParam ? ` A tenant token reaches only its own tenant ({${route.tenantParam}}); another tenant answers 404.` : ''}`,
      'x-lianjie-roles': route.roles,
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(route.body) } } } } : {}),
      responses: {
        [String(route.status ?? 200)]: { description: 'done', content: { 'application/json': { schema: ref(route.response) } } },
        default: { description: 'a coded failure (docs/errors.md): 400 request.invalid with JSON pointers, 401, 403, 404, …', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    (paths[path] ??= {})[route.method] = operation;
  }
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object', required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message'], properties: {
        code: { enum: Object.keys(errorCodes) }, message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string' }, message: { type: 'string' } } } },
      } } },
    },
  };
  // Referenced schema files come in too, so `$ref`s between them (run-detail → run) resolve inside the document.
  for (const file of collectRefs(files)) {
    // Without $schema and $id: inside the document, a component's `#/components/...` refs must resolve against the
    // document, not against the file's own $id.
    const { $schema: _schema, $id: _id, ...schema } = JSON.parse(readFileSync(schemaPath(file), 'utf8')) as Record<string, unknown>;
    schemas[componentName(file)] = rewriteRefs(schema);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Lianjie admin API', version, description: 'Bearer tokens (Authorization: Bearer <token>) with a role: platform, vendor or tenant.' },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

/** The files and every schema file they reference, transitively. */
function collectRefs(files: Set<string>): Set<string> {
  const all = new Set(files);
  for (const file of all) {
    const text = readFileSync(schemaPath(file), 'utf8');
    for (const m of text.matchAll(/"\$ref":\s*"([a-z0-9-]+\.schema\.json)"/g)) all.add(`api/${m[1]}`);
  }
  return all;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.endsWith('.schema.json') ? ref(`api/${v}`).$ref : rewriteRefs(v)]));
}

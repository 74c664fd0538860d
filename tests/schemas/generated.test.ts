// The committed schemas/generated/* files are what the code generates, the OpenAPI document is
// valid OpenAPI 3.1 (checked by a real validator) and served at /api/openapi.json, and every
// operation and input field carries the text a model or a client reads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { z } from 'zod';
import { API_DOC, GENERATED_DIR, MCP_DOC, renderGenerated, withRouteTable, withToolTable } from '../../scripts/emit-schemas.ts';
import { buildOpenApi } from '../../src/http/openapi.ts';
import { OPERATIONS } from '../../src/operations/index.ts';
import { bindingsOf, isTool, requirementOf } from '../../src/operations/types.ts';
import { createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

/** Paths (a.b[].c) of object properties, at any depth, that have no description. */
function undescribed(schema: Json, at = ''): string[] {
  const out: string[] = [];
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    const path = at ? `${at}.${name}` : name;
    if (typeof prop.description !== 'string' || prop.description.trim() === '') out.push(path);
    out.push(...undescribed(prop, path));
  }
  if (schema.items && typeof schema.items === 'object') out.push(...undescribed(schema.items, `${at}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const s of (schema[key] ?? []) as Json[]) out.push(...undescribed(s, at));
  return out;
}

const operationsOf = (doc: Json): [string, string, Json][] =>
  Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) => Object.entries(item).map(([m, o]) => [path, m, o as Json] as [string, string, Json]));

describe('generated schemas', () => {
  const generated = renderGenerated(OPERATIONS);

  for (const name of Object.keys(generated)) {
    it(`schemas/generated/${name} is up to date`, () => {
      let committed = '';
      try {
        committed = readFileSync(join(GENERATED_DIR, name), 'utf8');
      } catch {
        assert.fail(`schemas/generated/${name} is missing: run \`npm run schemas\``);
      }
      assert.ok(committed === generated[name], `schemas/generated/${name} is stale: run \`npm run schemas\` and commit the result`);
    });
  }

  it('the tool table of docs/mcp.md is up to date', () => {
    const doc = readFileSync(MCP_DOC, 'utf8');
    assert.ok(doc === withToolTable(doc, OPERATIONS), 'the tool table of docs/mcp.md is stale: run `npm run schemas`');
    for (const op of OPERATIONS) if (isTool(op)) assert.ok(doc.includes(`| \`${op.name}\` |`), `docs/mcp.md lists ${op.name}`);
  });

  it('the route table of docs/api.md is up to date', () => {
    const doc = readFileSync(API_DOC, 'utf8');
    assert.ok(doc === withRouteTable(doc, OPERATIONS), 'the route table of docs/api.md is stale: run `npm run schemas`');
  });

  it('the OpenAPI document passes a real OpenAPI 3.1 validator', async () => {
    const doc = JSON.parse(generated['openapi.json']!);
    assert.equal(doc.openapi, '3.1.0');
    const result = await validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify((result as { errors?: unknown }).errors, null, 2));
  });

  it('the validator really rejects a broken document (so the check above can fail)', async () => {
    const doc = JSON.parse(generated['openapi.json']!);
    const [path, method] = operationsOf(doc).find(([p]) => p.includes('{'))!;
    doc.paths[path][method].parameters = [];
    assert.equal((await validate(doc)).valid, false);
  });

  it('describes every REST binding of the catalogue, and nothing else', () => {
    const doc = buildOpenApi(OPERATIONS) as Json;
    const seen = new Set(operationsOf(doc).map(([p, m]) => `${m.toUpperCase()} ${p}`));
    for (const op of OPERATIONS) {
      for (const b of bindingsOf(op)) {
        const key = `${b.method} ${b.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
        assert.ok(seen.has(key), `${op.name}: ${key} missing from the OpenAPI document`);
      }
    }
    const bound = new Set(OPERATIONS.flatMap((op) => bindingsOf(op).map((b) => `${b.method} ${b.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)));
    assert.deepEqual([...seen].filter((k) => !bound.has(k)), [], 'the document describes only catalogue routes');
    const ids = operationsOf(doc).map(([, , o]) => o.operationId as string);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const op of OPERATIONS) if (bindingsOf(op).length) assert.ok(ids.includes(op.name), `operationId ${op.name}`);
  });

  it('uses the shared ErrorEnvelope for 400/401/403/404/409/429 and documents list headers', () => {
    const doc = buildOpenApi(OPERATIONS) as Json;
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearerAuth', 'cookieAuth']);
    assert.equal(doc.components.securitySchemes.cookieAuth.name, 'rackd_session');
    for (const op of OPERATIONS) {
      for (const b of bindingsOf(op)) {
        const o = doc.paths[b.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][b.method.toLowerCase()];
        for (const s of requirementOf(op).mode === 'public' ? ['400', '401', '404', '409', '429'] : ['400', '401', '403', '404', '409', '429']) {
          const ref = o.responses[s]?.$ref as string;
          assert.ok(ref, `${op.name} ${b.method}: ${s} documented`);
          assert.equal(doc.components.responses[ref.split('/').pop()!].content['application/json'].schema.$ref, '#/components/schemas/ErrorEnvelope');
        }
        if (b.response === 'items') {
          assert.equal(o.responses[String(b.status ?? 200)].content['application/json'].schema.type, 'array', `${op.name} list is a bare array`);
          assert.ok(o.responses[String(b.status ?? 200)].headers['X-Total-Count'], `${op.name} documents X-Total-Count`);
        }
        if (b.status === 204 || b.response === 'empty' || b.response === 'end-session') assert.equal(o.responses[String(b.status ?? 204)].content, undefined, `${op.name} has no body`);
      }
    }
  });

  it('every operation has a description, and every input property of the catalogue one too', () => {
    const doc = buildOpenApi(OPERATIONS) as Json;
    for (const [path, method, o] of operationsOf(doc)) {
      assert.ok(typeof o.description === 'string' && o.description.length > 10, `${method.toUpperCase()} ${path}: description`);
    }
    const problems: string[] = [];
    for (const op of OPERATIONS) {
      if (op.description.trim().length < 10) problems.push(`${op.name}: description`);
      const input = z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) as Json;
      for (const p of undescribed(input)) problems.push(`${op.name}: input property ${p} has no .describe()`);
    }
    assert.deepEqual(problems, []);
    const tools = JSON.parse(generated['tools.json']!).tools as Json[];
    for (const t of tools) assert.deepEqual(undescribed(t.inputSchema), [], `${t.name} tools.json input`);
  });

  describe('GET /api/openapi.json', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer();
    });
    after(() => s.stop());

    it('requires credentials and serves the generated document', async () => {
      assert.equal((await s.api.get('/api/openapi.json')).status, 401);
      const viewer = await createTestUser(s.env, ['viewer']);
      const res = await s.api.get('/api/openapi.json', { token: viewer.key });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, JSON.parse(generated['openapi.json']!));
    });
  });
});

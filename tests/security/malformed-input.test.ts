// Malformed input, generated from every operation's own input schema: for each field of each
// operation, values of the wrong type (and, for the field's type, the near misses a lenient
// parser would take: "0x10", " 12 ", true for 1, [7] for 7, 2026-02-30), sent as the
// administrator through every surface — the REST body or query string of each binding, and the
// MCP tool's arguments. Every one must be refused with the documented envelope naming the field:
// never a 5xx, never a success, never a silent coercion. Text holding NUL never answers 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { arrayKey, inputSource, routeOnlyKeys } from '../../src/operations/binding.ts';
import { OPERATIONS } from '../../src/operations/index.ts';
import { bindingsOf, isTool, type HttpBinding, type Operation } from '../../src/operations/types.ts';
import { createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

interface Field {
  name: string;
  types: Set<string>;
  format?: string;
  enum?: unknown[];
}

function fieldsOf(schema: Json): Field[] {
  const out: Field[] = [];
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    const types = new Set<string>();
    let format: string | undefined;
    let values: unknown[] | undefined;
    const walk = (p: Json) => {
      if (typeof p.type === 'string') types.add(p.type);
      if (Array.isArray(p.type)) for (const t of p.type) types.add(t);
      if (p.format) format = p.format;
      if (Array.isArray(p.enum)) values = p.enum;
      if (p.const !== undefined) values = [p.const];
      for (const k of ['anyOf', 'oneOf']) if (Array.isArray(p[k])) for (const v of p[k]) walk(v);
    };
    walk(prop);
    out.push({ name, types, format, enum: values });
  }
  return out;
}

const inputJson = (op: Operation): Json => z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) as Json;

/** JSON values of the wrong type for a field (each must be refused). */
function badJsonValues(f: Field): unknown[] {
  const t = f.types;
  const bad: unknown[] = ['a\ud800b'];
  if (!t.has('null')) bad.push(null);
  if (t.has('integer')) bad.push(true, [7], '0x10', ' 12 ', '12', 1.5, {});
  else if (t.has('number')) bad.push(true, '1', [], {});
  if (t.has('boolean')) bad.push('true', 1, [], 'yes');
  if (t.has('string')) {
    bad.push(5, true, [], {});
    if (f.format === 'date-time') bad.push('2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01');
    if (f.enum) bad.push('__not_one_of_them__');
  }
  if (t.has('array')) bad.push('x', 5, {});
  if (t.has('object')) bad.push('x', [], 5);
  if (t.size === 0 && f.enum) bad.push('__not_one_of_them__', 5, []);
  return bad.filter((v) => !(v === null && t.has('null')));
}

/** Query-string texts that are not the field's plain form (each must be refused). */
function badQueryTexts(f: Field): string[] {
  const t = f.types;
  if (t.has('string') && !f.enum && !f.format) return [];
  if (t.has('integer')) return ['true', '0x10', ' 12 ', '1.5', '', '1e3', '12abc', '+5', '007x'];
  if (t.has('number')) return ['0x10', '', 'abc'];
  if (t.has('boolean')) return ['yes', '1', '', 'TRUE'];
  if (f.format === 'date-time') return ['2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z'];
  if (f.enum) return ['__not_one_of_them__'];
  return [];
}

const names = (field: string, body: any): boolean =>
  Array.isArray(body?.details) && body.details.some((d: { field: string }) => d.field === field || d.field.startsWith(`${field}.`) || d.field.startsWith(`${field}[`));

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

function fillPath(b: HttpBinding): string {
  return b.path.replace(/:([A-Za-z0-9_]+)/g, '00000000-0000-7000-8000-000000000000');
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

describe('malformed input generated from every operation schema', () => {
  let s: TestServer;
  let key: string;
  const failures: string[] = [];

  before(async () => {
    s = await startTestServer();
    key = (await createTestUser(s.env, ['admin'])).key;
  });
  after(() => s.stop());

  async function rest(method: string, path: string, body?: string, contentType = 'application/json') {
    const res = await fetch(s.url + path, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': contentType }) }, body });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  function expectRefusal(where: string, op: Operation, field: string | undefined, res: { status: number; json: any; text: string }) {
    if (res.status !== 400 || typeof res.json?.error !== 'string' || typeof res.json?.code !== 'string') {
      failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
      return;
    }
    if (op.inputError) return; // sign-in says one fixed thing for any bad input
    if (field !== undefined && !names(field, res.json)) failures.push(`${where}: refused without naming ${field}: ${res.text.slice(0, 200)}`);
  }

  it('REST bodies: every field, every wrong type → 400 naming the field', async () => {
    const cases: { op: Operation; b: HttpBinding; field: string; body: unknown; label: string }[] = [];
    for (const op of OPERATIONS) {
      for (const b of bindingsOf(op)) {
        const source = inputSource(b);
        if (source === 'query') continue;
        const skip = routeOnlyKeys(b);
        if (source === 'array') {
          const items = inputJson(op).properties?.[arrayKey(b)]?.items as Json | undefined;
          for (const f of items ? fieldsOf(items) : []) {
            for (const v of badJsonValues(f)) cases.push({ op, b, field: `${arrayKey(b)}[0].${f.name}`, body: [{ [f.name]: v }], label: `${f.name}=${show(v)}` });
          }
          continue;
        }
        for (const f of fieldsOf(inputJson(op))) {
          if (skip.has(f.name)) continue;
          for (const v of badJsonValues(f)) cases.push({ op, b, field: f.name, body: { [f.name]: v }, label: `${f.name}=${show(v)}` });
        }
      }
    }
    assert.ok(cases.length > 500, `only ${cases.length} cases were generated`);
    await pool(cases, 8, async ({ op, b, field, body, label }) => {
      const res = await rest(b.method, fillPath(b), JSON.stringify(body));
      expectRefusal(`${op.name} ${b.method} ${b.path} ${label}`, op, field, res);
    });
    assert.deepEqual(failures.splice(0), []);
  });

  it('REST query strings: texts that are not the field type, unknown and repeated keys → 400 naming the field', async () => {
    const cases: { op: Operation; b: HttpBinding; field: string; query: string; label: string }[] = [];
    for (const op of OPERATIONS) {
      for (const b of bindingsOf(op)) {
        if (inputSource(b) !== 'query') continue;
        const skip = routeOnlyKeys(b);
        const fields = fieldsOf(inputJson(op)).filter((f) => !skip.has(f.name));
        for (const f of fields) {
          for (const text of badQueryTexts(f)) cases.push({ op, b, field: f.name, query: `${encodeURIComponent(f.name)}=${encodeURIComponent(text)}`, label: `${f.name}=${show(text)}` });
          // A scalar given twice is a list, which the field does not take.
          if (!f.types.has('array')) cases.push({ op, b, field: f.name, query: `${f.name}=1&${f.name}=2`, label: `${f.name} twice` });
        }
        for (const unknown of ['__proto__', 'constructor', 'no_such_filter']) cases.push({ op, b, field: unknown, query: `${unknown}=1`, label: `${unknown}=1` });
      }
    }
    assert.ok(cases.length > 200, `only ${cases.length} cases were generated`);
    await pool(cases, 8, async ({ op, b, field, query, label }) => {
      const res = await rest(b.method, `${fillPath(b)}?${query}`);
      expectRefusal(`${op.name} ${b.method} ${b.path} ?${label}`, op, field, res);
    });
    assert.deepEqual(failures.splice(0), []);
  });

  it('MCP tool arguments: every field, every wrong type → a VALIDATION_ERROR tool result naming the field', async () => {
    const cases: { op: Operation; field: string; args: unknown; label: string }[] = [];
    for (const op of OPERATIONS.filter(isTool)) {
      for (const f of fieldsOf(inputJson(op))) for (const v of badJsonValues(f)) cases.push({ op, field: f.name, args: { [f.name]: v }, label: `${f.name}=${show(v)}` });
    }
    assert.ok(cases.length > 500, `only ${cases.length} cases were generated`);
    let id = 0;
    await pool(cases, 8, async ({ op, field, args, label }) => {
      const res = await fetch(`${s.url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: op.name, arguments: args } }),
      });
      const text = await res.text();
      const where = `${op.name} ${label}`;
      if (res.status !== 200) return void failures.push(`${where}: HTTP ${res.status} ${text.slice(0, 200)}`);
      const msg = JSON.parse(text);
      const error = msg.result?.isError ? msg.result._meta?.['rackd/error'] : undefined;
      if (!error) return void failures.push(`${where}: not refused: ${text.slice(0, 200)}`);
      if (error.code !== 'VALIDATION_ERROR' || !names(field, error)) failures.push(`${where}: ${text.slice(0, 200)}`);
    });
    assert.deepEqual(failures.splice(0), []);
  });

  it('text holding NUL or other control characters never answers 5xx, on any surface', async () => {
    const texts = ['a\u0000b', '\u0000', 'x\u0007\u001b[2J', '"\u0000*'];
    const cases: { where: string; send: () => Promise<number> }[] = [];
    for (const op of OPERATIONS) {
      for (const b of bindingsOf(op)) {
        const skip = routeOnlyKeys(b);
        const source = inputSource(b);
        if (source === 'array') continue;
        for (const f of fieldsOf(inputJson(op)).filter((x) => x.types.has('string') && !skip.has(x.name))) {
          for (const t of texts) {
            cases.push({
              where: `${op.name} ${b.method} ${b.path} ${f.name}=${show(t)}`,
              send: async () =>
                source === 'query'
                  ? (await rest(b.method, `${fillPath(b)}?${f.name}=${encodeURIComponent(t)}`)).status
                  : (await rest(b.method, fillPath(b), JSON.stringify({ [f.name]: t }))).status,
            });
          }
        }
      }
    }
    await pool(cases, 8, async ({ where, send }) => {
      const status = await send();
      if (status >= 500) failures.push(`${where}: ${status}`);
    });
    assert.deepEqual(failures.splice(0), []);
  });
});

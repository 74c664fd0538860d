// Every audited action in src/ either publishes a catalogued event type, is a read (reads publish
// nothing), or is listed in NO_EVENT_ACTIONS with the reason it publishes none. The actions are
// read from the sources (`action: …` in audit metadata and `const action = …` of the save verbs),
// so a new verb whose action would map to an uncatalogued type fails here, not in production.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { EVENT_TYPE_NAMES, EXPLICIT_ACTIONS, eventForAction, NO_EVENT_ACTIONS } from '../../src/services/events/catalogue.ts';
import { ROOT } from '../helpers/server.ts';

const ACTION = /'([a-z][a-z0-9_-]*\.[a-z][a-z0-9_]*)'/g;

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

/** The object literal around position `at` (from the `{` before it to its matching `}`). */
function enclosingObject(text: string, at: number): string {
  const start = text.lastIndexOf('{', at);
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

/** action → { read, where } for every audited action written in src/. */
function auditedActions(): Map<string, { read: boolean; where: string }> {
  const found = new Map<string, { read: boolean; where: string }>();
  for (const file of walk(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    // `action: <expr>,` in a meta object; `const action = <expr>;` of save verbs (always writes).
    for (const m of text.matchAll(/\baction:\s*([^,}\n]+)/g)) {
      const read = /\bread:\s*true\b/.test(enclosingObject(text, m.index!));
      for (const [, a] of m[1]!.matchAll(ACTION)) found.set(a!, { read: read && (found.get(a!)?.read ?? true), where });
    }
    for (const m of text.matchAll(/\bconst action = ([^;\n]+)/g)) {
      for (const [, a] of m[1]!.matchAll(ACTION)) found.set(a!, { read: false, where });
    }
  }
  return found;
}

describe('audited actions and the event catalogue', () => {
  const actions = auditedActions();

  it('finds the audited actions in the sources', () => {
    for (const a of ['device.create', 'device.read', 'credential.update', 'discovery_scan.delete', 'auth.login', 'discovered_device.cleanup']) {
      assert.ok(actions.has(a), `${a} not found: the scan of src/ is broken`);
    }
    assert.equal(actions.get('device.read')!.read, true);
    assert.equal(actions.get('discovery_scan.delete')!.read, false);
  });

  it('maps every audited write to a catalogued event type or deliberately to none', () => {
    const wrong: string[] = [];
    for (const [action, { read, where }] of actions) {
      const mapping = eventForAction(action);
      if (mapping) {
        if (!EVENT_TYPE_NAMES.has(mapping.type)) wrong.push(`${action} (${where}) → ${mapping.type}, which GET /api/webhooks/events does not list`);
      } else if (!read && !(action in NO_EVENT_ACTIONS)) {
        wrong.push(`${action} (${where}) publishes nothing: map it to a catalogued type or say why in NO_EVENT_ACTIONS`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('names only real actions in its explicit tables, and none in both', () => {
    // Catalogued (Rackd has the events) for the IP-conflict verbs, which are not built yet.
    const planned = new Set(['conflict.detect', 'conflict.resolve']);
    const stale = [...Object.keys(EXPLICIT_ACTIONS), ...Object.keys(NO_EVENT_ACTIONS)].filter((a) => !actions.has(a) && !planned.has(a));
    assert.deepEqual(stale, [], 'entries for actions no code audits');
    assert.deepEqual(Object.keys(NO_EVENT_ACTIONS).filter((a) => a in EXPLICIT_ACTIONS), []);
    for (const [action, reason] of Object.entries(NO_EVENT_ACTIONS)) {
      assert.equal(eventForAction(action), undefined, action);
      assert.ok(reason.length > 10, `${action} needs a reason`);
    }
  });

  it('publishes the discovery deletions under discovery.* names', () => {
    assert.equal(eventForAction('discovery_scan.delete')?.type, 'discovery.scan_deleted');
    assert.equal(eventForAction('discovered_device.delete')?.type, 'discovery.device_deleted');
    assert.equal(eventForAction('discovered_device.delete_network')?.type, 'discovery.devices_deleted');
    assert.equal(eventForAction('discovered_device.cleanup')?.type, 'discovery.devices_deleted');
    assert.equal(eventForAction('discovered_device.delete_network')!.skip!({ extra: { network_id: 'n', deleted: 0 } }), true, 'deleting nothing publishes nothing');
  });
});

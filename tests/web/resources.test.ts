// The web UI's resources come from the catalogue's tool names alone: a new module that follows
// the `<entity>_list/_get/_save/_delete` convention gets its pages (and UI route) with no UI code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { OPERATIONS } from '../../src/operations/index.ts';
import { defineOperation, type Operation } from '../../src/operations/types.ts';
import { uiResources } from '../../src/web/resources.ts';

const op = (name: string): Operation =>
  defineOperation({
    name,
    title: name,
    description: name,
    permission: 'device:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: z.object({}),
    output: z.object({}),
    run: async () => ({}),
  }) as unknown as Operation;

describe('UI resources from the catalogue', () => {
  it('groups a new module by its tool names, longest entity first', () => {
    const r = uiResources(['circuit_list', 'circuit_get', 'circuit_save', 'circuit_delete', 'circuit_test', 'circuit_termination_list', 'circuit_termination_delete'].map(op));
    assert.deepEqual(
      r.map((x) => [x.name, x.slug, x.label, x.operations, x.actions]),
      [
        ['circuit', 'circuits', 'Circuits', { list: 'circuit_list', get: 'circuit_get', save: 'circuit_save', delete: 'circuit_delete' }, ['circuit_test']],
        ['circuit_termination', 'circuit-terminations', 'Circuit terminations', { list: 'circuit_termination_list', delete: 'circuit_termination_delete' }, []],
      ],
    );
  });

  it('covers the current catalogue: every generic resource has its list, the discovery actions stay with discovery', () => {
    const r = new Map(uiResources(OPERATIONS).map((x) => [x.name, x]));
    for (const name of ['datacenter', 'credential', 'scan_profile', 'scheduled_scan', 'discovery_rule', 'webhook']) {
      const res = r.get(name)!;
      assert.ok(res.operations.list && res.operations.get && res.operations.save && res.operations.delete, name);
    }
    assert.equal(r.get('scan_profile')!.slug, 'scan-profiles');
    assert.deepEqual(r.get('webhook')!.actions.sort(), ['webhook_deliveries', 'webhook_delivery_get', 'webhook_event_types', 'webhook_ping', 'webhook_redeliver']);
    assert.ok(r.get('discovery')!.actions.includes('discovery_scan'));
    assert.equal(r.get('discovery_scan')!.operations.get, 'discovery_scan_get');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.ts';
import { datacenters, networkPools, networks } from '../../src/db/schema/index.ts';
import {
  claimAddress,
  claimNext,
  hexToText,
  initPoolSpace,
  ipKey,
  nextFreeHex,
  rebuildPoolSpace,
  releaseAddress,
  releaseOwner,
} from '../../src/services/pools/space.ts';
import { noEvents } from '../../src/services/events/outbox.ts';

function setup(start: string, end: string) {
  const db = openDatabase(':memory:');
  const now = new Date().toISOString();
  const s = ipKey(start)!;
  const e = ipKey(end)!;
  db.insert(datacenters).values({ id: 'dc', name: 'dc', createdAt: now, updatedAt: now }).run();
  db.insert(networks).values({ id: 'n', name: 'n', subnet: 'x', family: s.family, prefix: 0, startHex: s.hex, endHex: e.hex, createdAt: now, updatedAt: now }).run();
  db.insert(networkPools).values({ id: 'p', networkId: 'n', name: 'p', family: s.family, startIp: s.ip, endIp: e.ip, startHex: s.hex, endHex: e.hex, createdAt: now, updatedAt: now }).run();
  initPoolSpace(db, 'p', s.hex, e.hex);
  const ranges = () => db.all<{ s: string; e: string }>(sql`SELECT start_hex s, end_hex e FROM pool_free_ranges ORDER BY start_hex`).map((r) => `${hexToText(s.family, r.s)}-${hexToText(s.family, r.e)}`);
  return { db, ranges, fam: s.family };
}

describe('pool address space', () => {
  it('hands out addresses lowest first and merges released ones back', () => {
    const { db, ranges } = setup('10.0.0.10', '10.0.0.20');
    const a = claimNext(db, 'p', { kind: 'reservation', id: 'r1' }, noEvents);
    const b = claimNext(db, 'p', { kind: 'reservation', id: 'r2' }, noEvents);
    assert.equal(hexToText(4, a), '10.0.0.10');
    assert.equal(hexToText(4, b), '10.0.0.11');
    claimAddress(db, 'p', ipKey('10.0.0.15')!.hex, { kind: 'address', id: 'x' }, noEvents);
    assert.deepEqual(ranges(), ['10.0.0.12-10.0.0.14', '10.0.0.16-10.0.0.20']);
    releaseAddress(db, 'p', a);
    assert.deepEqual(ranges(), ['10.0.0.10-10.0.0.10', '10.0.0.12-10.0.0.14', '10.0.0.16-10.0.0.20']);
    releaseOwner(db, { kind: 'reservation', id: 'r2' });
    assert.deepEqual(ranges(), ['10.0.0.10-10.0.0.14', '10.0.0.16-10.0.0.20']);
    releaseAddress(db, 'p', ipKey('10.0.0.15')!.hex);
    assert.deepEqual(ranges(), ['10.0.0.10-10.0.0.20']);
  });

  it('refuses a second claim of the same address and reports exhaustion', () => {
    const { db } = setup('192.168.1.1', '192.168.1.2');
    claimAddress(db, 'p', ipKey('192.168.1.2')!.hex, { kind: 'address', id: 'a' }, noEvents);
    assert.throws(() => claimAddress(db, 'p', ipKey('192.168.1.2')!.hex, { kind: 'address', id: 'b' }, noEvents), { code: 'IP_NOT_AVAILABLE' });
    claimNext(db, 'p', { kind: 'address', id: 'c' }, noEvents);
    assert.equal(nextFreeHex(db, 'p'), undefined);
    assert.throws(() => claimNext(db, 'p', { kind: 'address', id: 'd' }, noEvents), { code: 'IP_NOT_AVAILABLE' });
  });

  it('works for IPv6 and at the very top of the address space', () => {
    const { db, ranges } = setup('2001:db8::fffe', '2001:db8::1:1');
    assert.equal(hexToText(6, claimNext(db, 'p', { kind: 'address', id: 'a' }, noEvents)), '2001:db8::fffe');
    assert.deepEqual(ranges(), ['2001:db8::ffff-2001:db8::1:1']);
    const top = setup('255.255.255.254', '255.255.255.255');
    claimAddress(top.db, 'p', ipKey('255.255.255.255')!.hex, { kind: 'address', id: 'a' }, noEvents);
    releaseAddress(top.db, 'p', ipKey('255.255.255.255')!.hex);
    assert.deepEqual(top.ranges(), ['255.255.255.254-255.255.255.255']);
  });

  it('rebuilds free ranges for a changed span and refuses to drop used addresses', () => {
    const { db, ranges } = setup('10.1.0.1', '10.1.0.10');
    claimAddress(db, 'p', ipKey('10.1.0.3')!.hex, { kind: 'address', id: 'a' }, noEvents);
    claimAddress(db, 'p', ipKey('10.1.0.4')!.hex, { kind: 'address', id: 'b' }, noEvents);
    rebuildPoolSpace(db, 'p', ipKey('10.1.0.2')!.hex, ipKey('10.1.0.20')!.hex);
    assert.deepEqual(ranges(), ['10.1.0.2-10.1.0.2', '10.1.0.5-10.1.0.20']);
    assert.throws(() => rebuildPoolSpace(db, 'p', ipKey('10.1.0.4')!.hex, ipKey('10.1.0.20')!.hex), { code: 'CONFLICT' });
    rebuildPoolSpace(db, 'p', ipKey('10.1.0.3')!.hex, ipKey('10.1.0.4')!.hex);
    assert.deepEqual(ranges(), []);
  });
});

// MACs of IPv6 hosts from the neighbour table (`ip -j -6 neigh show`): the parser on a fixture,
// the cache's refresh rules with a scripted source, silent degradation without `ip`, and a host
// report that gets its MAC and vendor from it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ArpCache } from '../../src/discovery/arp.ts';
import { describeHost, lookup } from '../../src/discovery/enrich.ts';
import { ipCommandSource, Ipv6Neighbours, parseIpNeighJson } from '../../src/discovery/ndp.ts';

// What iproute2 prints (one line; wrapped here), with entries that must be skipped.
const FIXTURE = JSON.stringify([
  { dst: 'fe80::5054:ff:fe12:3456', dev: 'eth0', lladdr: '52:54:00:12:34:56', router: null, state: ['REACHABLE'] },
  { dst: '2001:db8:0:0:0:0:0:a', dev: 'eth0', lladdr: '00:1B:21:AA:BB:CC', state: ['STALE'] },
  { dst: '2001:db8::b', dev: 'eth0', lladdr: '00:1b:21:00:00:0b', state: ['DELAY', 'PROBE'] },
  { dst: '2001:db8::c', dev: 'eth0', state: ['INCOMPLETE'] },
  { dst: '2001:db8::d', dev: 'eth0', lladdr: '00:1b:21:00:00:0d', state: ['FAILED'] },
  { dst: '2001:db8::e', dev: 'eth0', lladdr: '00:00:00:00:00:00', state: ['NOARP'] },
  { dst: '2001:db8::f', dev: 'eth0', lladdr: 'not-a-mac', state: ['STALE'] },
  { dst: 'fd00::1', dev: 'eth0', state: ['FAILED'] },
  { dst: '192.0.2.1', dev: 'eth0', lladdr: '02:fc:00:00:00:05', state: ['STALE'] },
]);

/** A source that answers from `tables` in turn (the last one repeats) and counts its calls. */
function scripted(tables: string[]) {
  const source = Object.assign(async () => tables[Math.min(source.calls++, tables.length - 1)]!, { calls: 0 });
  return source;
}

describe('IPv6 neighbour table', () => {
  it('parses `ip -j -6 neigh show`, keeping resolved entries under canonical addresses', () => {
    assert.deepEqual(
      [...parseIpNeighJson(FIXTURE)],
      [
        ['fe80::5054:ff:fe12:3456', '52:54:00:12:34:56'],
        ['2001:db8::a', '00:1b:21:aa:bb:cc'],
        ['2001:db8::b', '00:1b:21:00:00:0b'],
      ],
    );
    for (const junk of ['', 'Option "-j" is unknown', '{}', '[null, 3, "x"]']) assert.equal(parseIpNeighJson(junk).size, 0, junk);
  });

  it('reads the table once for many lookups, and again after a miss once it is older than missAgeMs', async () => {
    const later = JSON.stringify([{ dst: '2001:db8::99', dev: 'eth0', lladdr: '00:1b:21:00:00:99', state: ['REACHABLE'] }]);
    const source = scripted([FIXTURE, later]);
    const table = new Ipv6Neighbours(source, 60_000, 0);
    const [a, b] = await Promise.all([table.lookup('2001:DB8::A'), table.lookup('2001:db8:0::b')]);
    assert.deepEqual([a, b], ['00:1b:21:aa:bb:cc', '00:1b:21:00:00:0b']);
    assert.equal(source.calls, 1, 'concurrent lookups share one read');
    assert.equal(await table.lookup('2001:db8::99'), '00:1b:21:00:00:99', 'a miss re-reads: the host may have just answered');
    assert.equal(source.calls, 2);
    assert.equal(await table.lookup('10.0.0.1'), undefined, 'not IPv6');
  });

  it('answers undefined, without throwing or retrying, where `ip` is missing', async () => {
    const table = new Ipv6Neighbours(ipCommandSource('/nonexistent/ip'));
    assert.equal(await table.lookup('2001:db8::a'), undefined);
    assert.equal(table.available, false);
    let calls = 0;
    const broken = new Ipv6Neighbours(async () => Promise.reject(new Error(`exit 255 (${++calls})`)), 0, 0);
    assert.equal(await broken.lookup('2001:db8::a'), undefined);
    assert.equal(await broken.lookup('2001:db8::b'), undefined);
    assert.equal(calls, 1, 'the first failure turns the lookups off');
  });

  it('reads the real table where iproute2 is installed', { skip: !existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip') && 'no ip command' }, async () => {
    assert.ok(Array.isArray(JSON.parse(await ipCommandSource()())));
  });

  it('gives an IPv6 host of a scan its MAC and vendor', async () => {
    const ndp = new Ipv6Neighbours(scripted([FIXTURE]));
    const host = { ip: '2001:db8::a', ports: [{ port: 22, state: 'closed' as const }] };
    const report = describeHost(host, await lookup(host, { ndp }), new ArpCache(5_000, 500, '/nonexistent/arp'));
    assert.equal(report.mac, '00:1b:21:aa:bb:cc');
    assert.match(report.vendor, /Intel/i);
  });
});

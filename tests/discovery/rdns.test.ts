// Reverse DNS of found hosts against a small DNS server on loopback that this test runs: a PTR
// answer becomes the host name, "no such name" is no name, and a resolver that never answers is
// given up on after a few tries instead of costing a timeout per host.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { createReverseResolver, ptrName } from '../../src/discovery/rdns.ts';

/** Encodes a DNS name as length-prefixed labels. */
const encodeName = (name: string) => Buffer.concat([...name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);

function answer(query: Buffer, names: Record<string, string>): Buffer {
  let off = 12;
  const labels: string[] = [];
  while (query[off]! !== 0) {
    labels.push(query.subarray(off + 1, off + 1 + query[off]!).toString());
    off += query[off]! + 1;
  }
  const question = query.subarray(12, off + 5);
  const target = names[labels.join('.').toLowerCase()];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(target ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(target ? 1 : 0, 6);
  if (!target) return Buffer.concat([header, question]);
  const rdata = encodeName(target);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(12, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, question, rr, rdata]);
}

describe('reverse DNS', () => {
  const dns = dgram.createSocket('udp4');
  const silent = dgram.createSocket('udp4');
  let dnsAddr = '';
  let silentAddr = '';
  let asked = 0;
  before(async () => {
    dns.on('message', (msg, rinfo) => dns.send(answer(msg, { '5.0.77.127.in-addr.arpa': 'Host5.Example.Test.' }), rinfo.port, rinfo.address));
    silent.on('message', () => void asked++);
    await new Promise<void>((r) => dns.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    dnsAddr = `127.0.0.1:${dns.address().port}`;
    silentAddr = `127.0.0.1:${silent.address().port}`;
  });
  after(() => {
    dns.close();
    silent.close();
  });

  it('asks for the in-addr.arpa / ip6.arpa name', () => {
    assert.equal(ptrName('10.1.2.3'), '3.2.1.10.in-addr.arpa');
    assert.equal(ptrName('2001:db8::1'), `1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`);
    assert.equal(ptrName('nope'), undefined);
  });

  it('turns a PTR record into a normalised host name; no such name is no name', async () => {
    const r = createReverseResolver({ timeoutMs: 1000, servers: [dnsAddr] });
    assert.equal(await r.reverse('127.77.0.5'), 'host5.example.test');
    assert.equal(await r.reverse('127.77.0.6'), undefined);
    assert.equal(r.disabled, false, '"no such name" is an answer, not a failing resolver');
  });

  it('gives up on a resolver that does not answer', async () => {
    let gaveUp = 0;
    const r = createReverseResolver({ timeoutMs: 100, servers: [silentAddr], giveUpAfter: 3, concurrency: 1, onGiveUp: () => gaveUp++ });
    for (const ip of ['127.77.0.1', '127.77.0.2', '127.77.0.3']) assert.equal(await r.reverse(ip), undefined);
    assert.equal(r.disabled, true);
    assert.equal(gaveUp, 1);
    const before = asked;
    const t0 = performance.now();
    assert.equal(await r.reverse('127.77.0.4'), undefined);
    assert.ok(performance.now() - t0 < 50, 'answered at once');
    assert.equal(asked, before, 'the resolver is not asked any more');
  });
});

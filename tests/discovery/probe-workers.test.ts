// The probes sharded over worker threads (probe-client.ts, probe-worker.ts): target chunks by index
// (exclusions included), the same hosts and port states with one thread or several, every address
// counted exactly once, a profile's host limit split over the threads, cancellation mid-scan.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chunkSize, shareOf, workerProber, type HostProber } from '../../src/discovery/probe-client.ts';
import { scanTargets, targetsFromSpec, type ProbedHost, type TargetSpec } from '../../src/discovery/scanner.ts';
import { parseCidr } from '../../src/net/ip.ts';
import { silentLogger } from '../../src/platform/logger.ts';

const cidr = (s: string) => parseCidr(s)!;

describe('target chunks', () => {
  it('ips(from, to) walks target indexes, skipping exclusions, and the chunks make up the whole list', () => {
    const t = scanTargets(cidr('127.77.0.0/26'), [cidr('127.77.0.5'), cidr('127.77.0.12/30'), cidr('127.77.0.30/31'), cidr('127.77.0.62')]);
    const all = [...t.ips()];
    assert.equal(all.length, t.total);
    for (const size of [1, 3, 7, 16, 100]) {
      const pieces: string[] = [];
      for (let from = 0; from < t.total; from += size) pieces.push(...t.ips(from, Math.min(t.total, from + size)));
      assert.deepEqual(pieces, all, `chunks of ${size}`);
    }
    assert.deepEqual([...t.ips(4, 6)], all.slice(4, 6));
    assert.deepEqual([...t.ips(t.total, t.total + 5)], []);
  });

  it('shares add up and differ by at most one; chunks stay between 16 and 1024 hosts', () => {
    for (const [amount, n] of [[512, 2], [513, 3], [5, 4], [1, 2]] as const) {
      const parts = Array.from({ length: n }, (_, k) => shareOf(amount, n, k));
      assert.equal(parts.reduce((a, b) => a + b, 0), amount);
      assert.ok(Math.max(...parts) - Math.min(...parts) <= 1);
    }
    assert.equal(chunkSize(65_534, 2), 1024);
    assert.equal(chunkSize(6, 2), 16);
    assert.equal(chunkSize(20_000, 4), 313);
  });
});

interface Seen {
  down: number;
  up: ProbedHost[];
  batches: number;
}

async function scan(prober: HostProber, spec: TargetSpec, ports: number[], opts: { hostConcurrency?: number; signal?: AbortSignal; onBatch?: () => void } = {}): Promise<Seen> {
  const seen: Seen = { down: 0, up: [], batches: 0 };
  await prober.probe(`scan-${Math.random()}`, spec, { ports, timeoutMs: 1000, hostConcurrency: opts.hostConcurrency }, opts.signal ?? new AbortController().signal, (down, up) => {
    seen.down += down;
    seen.up.push(...up);
    seen.batches++;
    opts.onBatch?.();
  });
  return seen;
}

const shape = (hosts: ProbedHost[]) =>
  hosts
    .map((h) => `${h.ip} ${h.ports.map((p) => `${p.port}:${p.state}${p.service ? `:${p.service.service}:${p.service.version}` : ''}`).join(',')}`)
    .sort();

describe('probe worker threads', () => {
  const ssh = net.createServer((c) => c.end('SSH-2.0-Sharded_1.0\r\n'));
  const listeners: string[] = ['127.79.0.7', '127.79.1.200', '127.79.3.254'];
  const servers: net.Server[] = [];
  let sshPort = 0;
  const probers: HostProber[] = [];
  const make = (threads: number, budget = 64) => {
    const p = workerProber(budget, silentLogger, threads);
    probers.push(p);
    return p;
  };

  before(async () => {
    sshPort = await new Promise<number>((resolve) => ssh.listen(0, listeners[0], () => resolve((ssh.address() as net.AddressInfo).port)));
    for (const host of listeners.slice(1)) {
      const srv = net.createServer((c) => c.end('SSH-2.0-Sharded_1.0\r\n'));
      servers.push(srv);
      await new Promise<void>((resolve) => srv.listen(sshPort, host, () => resolve()));
    }
  });
  after(async () => {
    ssh.close();
    for (const srv of servers) srv.close();
    await Promise.all(probers.map((p) => p.close()));
  });

  it('finds the same hosts and ports with one thread and with three, each address counted once', async () => {
    const spec: TargetSpec = { subnet: '127.79.0.0/22', exclude: ['127.79.2.0/25', '127.79.0.9'] };
    const total = targetsFromSpec(spec).total;
    const one = await scan(make(1), spec, [sshPort, 1]);
    const three = make(3);
    const many = await scan(three, spec, [sshPort, 1]);
    assert.equal(three.mode, 'worker');
    assert.equal(three.threads, 3);
    for (const s of [one, many]) {
      // Every loopback address answers: all up, none down, none twice.
      assert.equal(s.down, 0);
      assert.equal(s.up.length, total);
      assert.equal(new Set(s.up.map((h) => h.ip)).size, total);
    }
    assert.deepEqual(shape(many.up), shape(one.up));
    const open = many.up.filter((h) => h.ports.some((p) => p.state === 'open'));
    assert.deepEqual(open.map((h) => h.ip).sort(), [...listeners].sort());
    assert.ok(open.every((h) => h.ports[0]!.service?.version === 'Sharded_1.0' && h.ports[1]!.state === 'closed'));
    // Exactly the targets: the excluded addresses never probed.
    assert.deepEqual(many.up.map((h) => h.ip).sort(), [...targetsFromSpec(spec).ips()].sort());
    assert.ok(!many.up.some((h) => h.ip === '127.79.0.9' || h.ip === '127.79.2.5'));
  });

  it('splits a profile host limit over the threads and still covers every address', async () => {
    const spec: TargetSpec = { subnet: '127.79.4.0/24', exclude: [] };
    const s = await scan(make(3), spec, [1], { hostConcurrency: 2 });
    assert.equal(s.up.length, 254);
    assert.equal(new Set(s.up.map((h) => h.ip)).size, 254);
  });

  it('a cancelled scan stops mid-way on every thread, and nothing is reported after it resolved', async () => {
    const spec: TargetSpec = { subnet: '127.80.0.0/16', exclude: [] };
    const ac = new AbortController();
    let resolved = false;
    let late = 0;
    const s = await scan(make(2, 8), spec, [1, 2, 3, 4], {
      signal: ac.signal,
      onBatch: () => {
        if (resolved) late++;
        ac.abort();
      },
    });
    resolved = true;
    const counted = s.down + s.up.length;
    assert.ok(counted > 0 && counted < 65_534, `stopped part-way (${counted} hosts)`);
    assert.equal(new Set(s.up.map((h) => h.ip)).size, s.up.length);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(late, 0);
  });
});

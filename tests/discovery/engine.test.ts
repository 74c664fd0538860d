// The scan engine without a server: target lists (subnet bounds, exclusions), both connect paths
// against real loopback listeners, the socket budget really bounding concurrent connections,
// banner parsing, the neighbour-table parser, OUI lookups from the IEEE data, classification.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ArpCache, parseArpTable } from '../../src/discovery/arp.ts';
import { parseBanner } from '../../src/discovery/banner.ts';
import { classify } from '../../src/discovery/classify.ts';
import { describeHost } from '../../src/discovery/enrich.ts';
import { vendorOf } from '../../src/discovery/oui.ts';
import { portsFor, QUICK_PORTS } from '../../src/discovery/ports.ts';
import { hostCapacity, probeHosts, scanTargets, type ProbedHost } from '../../src/discovery/scanner.ts';
import { Semaphore } from '../../src/discovery/semaphore.ts';
import { connectMode, Prober } from '../../src/discovery/tcp.ts';
import { parseCidr } from '../../src/net/ip.ts';

const cidr = (s: string) => parseCidr(s)!;
const listen = (server: net.Server, host: string, port = 0) =>
  new Promise<number>((resolve) => server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port)));

describe('scan targets', () => {
  it('covers the host addresses of the subnet only, minus network and broadcast', () => {
    const t = scanTargets(cidr('127.77.0.0/28'), []);
    const ips = [...t.ips()];
    assert.equal(t.total, 14);
    assert.deepEqual(ips, Array.from({ length: 14 }, (_, i) => `127.77.0.${i + 1}`));
    assert.deepEqual([...scanTargets(cidr('10.0.0.4/31'), []).ips()], ['10.0.0.4', '10.0.0.5']);
    assert.deepEqual([...scanTargets(cidr('10.0.0.9/32'), []).ips()], ['10.0.0.9']);
    assert.deepEqual([...scanTargets(cidr('2001:db8::/126'), []).ips()], ['2001:db8::1', '2001:db8::2']);
  });

  it('honours exclusions (addresses and CIDRs, overlapping, partly outside, other family ignored)', () => {
    const t = scanTargets(cidr('127.77.0.0/28'), [cidr('127.77.0.5'), cidr('127.77.0.12/30'), cidr('127.77.0.4/31'), cidr('127.76.0.0/16'), cidr('::1')]);
    const ips = [...t.ips()];
    assert.deepEqual(ips, ['127.77.0.1', '127.77.0.2', '127.77.0.3', '127.77.0.6', '127.77.0.7', '127.77.0.8', '127.77.0.9', '127.77.0.10', '127.77.0.11']);
    assert.equal(t.total, ips.length);
    assert.equal(scanTargets(cidr('127.77.0.0/28'), [cidr('127.0.0.0/8')]).total, 0);
  });

  it('stops at a /16 (65,534 hosts) for IPv4 and the same count for IPv6', () => {
    assert.equal(hostCapacity(cidr('10.0.0.0/16')), 65_534);
    assert.equal(hostCapacity(cidr('10.0.0.0/15')), undefined);
    assert.equal(hostCapacity(cidr('2001:db8::/112')), 65_534);
    assert.equal(hostCapacity(cidr('2001:db8::/111')), undefined);
    assert.equal(hostCapacity(cidr('2001:db8::/64')), undefined);
    const t = scanTargets(cidr('10.1.0.0/16'), []);
    let n = 0;
    let last = '';
    for (const ip of t.ips()) {
      n++;
      last = ip;
    }
    assert.equal(n, 65_534);
    assert.equal(last, '10.1.255.254');
  });

  it('has the quick/full/deep port sets of the catalogue', () => {
    assert.deepEqual(portsFor('quick'), [22, 80, 443, 3389]);
    assert.deepEqual(QUICK_PORTS, [22, 80, 443, 3389]);
    assert.equal(portsFor('full').length, 16);
    assert.equal(portsFor('deep').length, 100);
    assert.deepEqual(portsFor('quick', [8080, 22, 8080]), [22, 8080]);
  });
});

describe('TCP probes against loopback listeners', () => {
  const ssh = net.createServer((c) => c.end('SSH-2.0-TestSSH_1.0\r\n'));
  let sshPort = 0;
  before(async () => {
    sshPort = await listen(ssh, '127.77.1.5');
  });
  after(() => ssh.close());

  for (const viaNet of [false, true]) {
    it(`${viaNet ? 'net.connect' : `the ${connectMode} handle`} path: open keeps a socket, refused is closed`, async () => {
      const prober = new Prober(undefined, { viaNet });
      const open = await prober.connect('127.77.1.5', 4, sshPort, 1000, true);
      assert.equal(open.state, 'open');
      assert.ok(open.socket);
      const greeting = await new Promise<string>((resolve) => open.socket!.once('data', (d) => resolve(String(d))));
      assert.equal(greeting, 'SSH-2.0-TestSSH_1.0\r\n');
      open.socket!.destroy();
      const closed = await prober.connect('127.77.1.6', 4, sshPort, 1000, true);
      assert.equal(closed.state, 'closed');
      assert.equal(closed.socket, undefined);
      assert.equal(prober.active, 0);
      prober.close();
    });
  }

  it('the handle path connects a refused handle again for the next probe, and still tells open from refused', async (t) => {
    if (connectMode !== 'raw') return t.skip('no raw TCP handle in this Node');
    const prober = new Prober();
    const states: string[] = [];
    for (const ip of ['127.77.1.6', '127.77.1.7', '127.77.1.5', '127.77.1.8', '127.77.1.5', '127.77.1.9']) {
      const r = await prober.connect(ip, 4, sshPort, 1000, true);
      states.push(r.state);
      if (r.socket) {
        const greeting = await new Promise<string>((resolve) => r.socket!.once('data', (d) => resolve(String(d))));
        assert.equal(greeting, 'SSH-2.0-TestSSH_1.0\r\n');
        r.socket.destroy();
      }
      // Each refusal leaves its handle for the next probe; an open one goes to its socket.
      assert.equal(prober.kept, r.state === 'closed' ? 1 : 0, `${ip} ${r.state}`);
    }
    assert.deepEqual(states, ['closed', 'closed', 'open', 'closed', 'open', 'closed']);
    // A kept handle can connect to another family's address only after being replaced.
    const v6 = await prober.connect('::1', 6, 1, 1000, false);
    assert.equal(v6.state, 'closed');
    prober.close();
    assert.equal(prober.kept, 0);
  });

  it('probeHosts: refused is up, open ports carry their banner, a cancelled scan stops', async () => {
    const seen: ProbedHost[] = [];
    await probeHosts(scanTargets(cidr('127.77.1.0/29'), []), { ports: [sshPort], timeoutMs: 1000 }, new Semaphore(8), new AbortController().signal, (h) => seen.push(h));
    assert.equal(seen.length, 6);
    for (const h of seen) {
      if (h.ip === '127.77.1.5') {
        assert.equal(h.ports[0]!.state, 'open');
        assert.deepEqual(h.ports[0]!.service, { port: sshPort, protocol: 'tcp', service: 'ssh', version: 'TestSSH_1.0', banner: 'SSH-2.0-TestSSH_1.0' });
      } else assert.equal(h.ports[0]!.state, 'closed', h.ip);
    }
    const ac = new AbortController();
    ac.abort();
    const none: ProbedHost[] = [];
    await probeHosts(scanTargets(cidr('127.77.1.0/24'), []), { ports: [sshPort], timeoutMs: 1000 }, new Semaphore(8), ac.signal, (h) => none.push(h));
    assert.equal(none.length, 0);
  });

  it('scans IPv6 too', async () => {
    const v6 = net.createServer((c) => c.end('SSH-2.0-V6\r\n'));
    const port = await listen(v6, '::1');
    try {
      const seen: ProbedHost[] = [];
      // Only ::1: nothing may leave the machine.
      await probeHosts(scanTargets(cidr('::1/128'), []), { ports: [port, 1], timeoutMs: 1000 }, new Semaphore(4), new AbortController().signal, (h) => seen.push(h));
      assert.deepEqual(seen.map((h) => [h.ip, h.ports.map((p) => p.state)]), [['::1', ['open', 'closed']]]);
      assert.equal(seen[0]!.ports[0]!.service?.version, 'V6');
    } finally {
      v6.close();
    }
  });

  it('never holds more sockets than the budget', async () => {
    // Every address answers on this port and stays silent, so each probe holds its socket for the
    // whole banner wait (150 ms): with a budget of 3, six hosts take two waves.
    const accepted: number[] = [];
    const silent = net.createServer((c) => {
      accepted.push(performance.now());
      c.on('error', () => undefined);
    });
    const port = await listen(silent, '0.0.0.0');
    try {
      const budget = new Semaphore(3);
      const seen: ProbedHost[] = [];
      const t0 = performance.now();
      await probeHosts(scanTargets(cidr('127.77.2.0/29'), []), { ports: [port], timeoutMs: 1000, bannerTimeoutMs: 150 }, budget, new AbortController().signal, (h) => seen.push(h));
      const took = performance.now() - t0;
      assert.equal(seen.length, 6);
      assert.ok(seen.every((h) => h.ports[0]!.state === 'open'));
      assert.equal(accepted.filter((t) => t - t0 < 100).length, 3, 'only the first wave connects during the first 100 ms');
      assert.ok(took >= 290, `two waves of 150 ms, took ${took.toFixed(0)} ms`);
      assert.equal(budget.inUse, 0);
    } finally {
      silent.close();
    }
  });
});

describe('banners, neighbours, vendors, classification', () => {
  it('names services and versions from banners', () => {
    assert.deepEqual(parseBanner(22, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'), {
      port: 22, protocol: 'tcp', service: 'ssh', version: 'OpenSSH_9.2p1 Debian-2+deb12u3', banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
    });
    const http = parseBanner(8080, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nServer: nginx/1.25.3\r\n\r\n');
    assert.equal(http.service, 'http');
    assert.equal(http.version, 'nginx/1.25.3');
    assert.equal(http.banner, 'HTTP/1.1 200 OK | Server: nginx/1.25.3');
    assert.deepEqual([parseBanner(21, '220 (vsFTPd 3.0.3)\r\n').service, parseBanner(21, '220 (vsFTPd 3.0.3)\r\n').version], ['ftp', 'vsFTPd 3.0.3']);
    const smtp = parseBanner(25, '220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n');
    assert.deepEqual([smtp.service, smtp.version], ['smtp', 'Postfix (Debian/GNU)']);
    assert.equal(parseBanner(110, '+OK Dovecot ready.\r\n').service, 'pop3');
    assert.equal(parseBanner(143, '* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n').version, 'Dovecot ready.');
    assert.deepEqual(parseBanner(3389, ''), { port: 3389, protocol: 'tcp', service: 'ms-wbt-server', version: '', banner: '' });
    assert.equal(parseBanner(9999, '\x00\x01\x02hello\x7f\r\n').banner, 'hello');
  });

  it('parses /proc/net/arp, skipping incomplete and all-zero entries', () => {
    const table = parseArpTable(
      'IP address       HW type     Flags       HW address            Mask     Device\n' +
        '192.0.2.1        0x1         0x2         02:FC:00:00:00:05     *        eth0\n' +
        '192.0.2.7        0x1         0x0         00:00:00:00:00:00     *        eth0\n' +
        '192.0.2.9        0x1         0x2         00:0c:29:aa:bb:cc     *        eth0\n',
    );
    assert.deepEqual([...table], [['192.0.2.1', '02:fc:00:00:00:05'], ['192.0.2.9', '00:0c:29:aa:bb:cc']]);
  });

  it('keeps a host name a device reports to one clean line of at most 253 characters', () => {
    const host = { ip: '192.0.2.40', ports: [] };
    const arp = new ArpCache(5_000, 500, '/nonexistent/arp');
    const ssh = { hostname: `Web01\x1b[31m.Example.COM\nrm -rf /\n${'x'.repeat(300)}`, os_pretty_name: '', os_id: '', os_version: '', kernel: '' };
    const fromSsh = describeHost(host, { ssh }, arp);
    assert.deepEqual([fromSsh.hostname, fromSsh.hostnameSource], ['web01[31m.example.com', 'ssh']);
    const snmp = { sysName: 'x'.repeat(1000), sysDescr: '', sysObjectID: '', sysLocation: '', sysContact: '', interfaces: [], arp: [] };
    assert.equal(describeHost(host, { snmp }, arp).hostname.length, 253);
    // A name that is nothing but noise falls through to the next source.
    const blank = describeHost(host, { ssh: { ...ssh, hostname: ' \t\r\n' }, ptr: 'web01.example.com' }, arp);
    assert.deepEqual([blank.hostname, blank.hostnameSource], ['web01.example.com', 'dns']);
  });

  it('looks vendors up in the IEEE registries, longest prefix first', () => {
    assert.equal(vendorOf('00:0C:29:AA:BB:CC'), 'VMware, Inc.');
    assert.equal(vendorOf('00-00-0c-12-34-56'), 'Cisco Systems, Inc');
    assert.equal(vendorOf('02:fc:00:00:00:05'), '', 'locally administered MACs have no vendor');
    assert.equal(vendorOf('nonsense'), '');
    const data = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('oui-data'), 'utf8')) as Record<string, string>;
    const mam = Object.keys(data).find((k) => k.length === 7 && (Number.parseInt(k.slice(0, 2), 16) & 2) === 0)!;
    assert.equal(vendorOf(`${mam}00000`), data[mam]!.split('\n')[0]!.trim());
  });

  it('guesses device type and OS with a confidence and reasons', () => {
    const server = classify({ openPorts: [22, 443], services: [], vendor: '' });
    assert.equal(server.deviceType.value, 'server');
    assert.equal(server.os.value, 'Linux/Unix');
    assert.ok(server.deviceType.confidence > 0 && server.deviceType.confidence <= 95);
    assert.ok(server.deviceType.reasons.length > 0);
    assert.equal(classify({ openPorts: [9100, 80], services: [], vendor: 'Brother Industries, LTD.' }).deviceType.value, 'printer');
    const win = classify({ openPorts: [3389, 445], services: [], vendor: '' });
    assert.equal(win.os.value, 'Windows');
    const ssh = classify({ openPorts: [2222], services: [{ port: 2222, protocol: 'tcp', service: 'ssh', version: 'OpenSSH_9.6p1 Ubuntu-3ubuntu13', banner: '' }], vendor: '' });
    assert.equal(ssh.os.value, 'Ubuntu Linux');
    assert.equal(ssh.deviceType.value, 'server');
    const none = classify({ openPorts: [], services: [], vendor: '' });
    assert.deepEqual([none.deviceType.value, none.deviceType.confidence, none.os.value], ['', 0, '']);
    const snmp = classify({ openPorts: [], services: [], vendor: '', snmp: { sysDescr: 'Cisco IOS Software, C2960 Software, Catalyst switch', sysObjectID: '' } });
    assert.equal(snmp.os.value, 'Cisco IOS');
    assert.equal(snmp.deviceType.value, 'switch');
  });
});

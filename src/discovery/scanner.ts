// The TCP phase of a scan: walks the addresses of one subnet (minus exclusions) and probes each
// host's ports in parallel under the socket budget; an open port's banner is read and named.
// A host is up when any port accepted or refused (a reset is an answer). It runs inside the probe
// worker thread (probe-worker.ts) — or in-process where a worker cannot start — and knows nothing
// of storage; enrich.ts turns what it finds into host reports on the main thread.
import { cidrSize, formatIp, lastAddress, parseCidr, type Cidr, type Family } from '../net/ip.ts';
import { BANNER_TIMEOUT_MS, grabBanner, parseBanner, type ServiceInfo } from './banner.ts';
import type { Semaphore } from './semaphore.ts';
import { Prober, type ProbeCallback, type ProbeState } from './tcp.ts';

/** Rackd's and the seed's limit: a /16 of IPv4, or the same number of hosts of IPv6. */
export const MAX_SCAN_HOSTS = 65_534;

export interface ScanTargets {
  family: Family;
  /** Addresses that will be probed (after exclusions). */
  total: number;
  /** The addresses with target index from ≤ i < to (default: all), in order. */
  ips(from?: number, to?: number): Generator<string>;
}

/** Addresses in the subnet (without network and broadcast when it has more than two), or undefined past the limit. */
export function hostCapacity(net: Cidr): number | undefined {
  const size = cidrSize(net);
  if (size > BigInt(MAX_SCAN_HOSTS + 2)) return undefined;
  const n = Number(size);
  return n > 2 ? n - 2 : n;
}

/** The addresses to probe: every host address of `net` not covered by an `exclude` entry. */
export function scanTargets(net: Cidr, exclude: readonly Cidr[]): ScanTargets {
  const capacity = hostCapacity(net);
  if (capacity === undefined) throw new Error('subnet too large to scan');
  const size = Number(cidrSize(net));
  const first = size > 2 ? 1 : 0;
  const last = size > 2 ? size - 2 : size - 1;
  // Excluded offsets as sorted, merged [lo, hi] ranges inside [first, last].
  const ranges: [number, number][] = [];
  for (const ex of exclude) {
    if (ex.family !== net.family) continue;
    const lo = ex.network > net.network ? ex.network : net.network;
    const hi = lastAddress(ex) < lastAddress(net) ? lastAddress(ex) : lastAddress(net);
    if (lo > hi) continue;
    const a = Math.max(first, Number(lo - net.network));
    const b = Math.min(last, Number(hi - net.network));
    if (a <= b) ranges.push([a, b]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const top = merged[merged.length - 1];
    if (top && r[0] <= top[1] + 1) top[1] = Math.max(top[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const excluded = merged.reduce((n, [a, b]) => n + (b - a + 1), 0);
  const base = Number(net.family === 4 ? net.network : 0n);
  const format =
    net.family === 4
      ? (off: number) => {
          const v = base + off;
          return `${Math.floor(v / 16777216) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
        }
      : (off: number) => formatIp({ family: 6, value: net.network + BigInt(off) });
  return {
    family: net.family,
    total: last - first + 1 - excluded,
    *ips(from = 0, to = Number.MAX_SAFE_INTEGER) {
      // Offset of target index `from`: every excluded range at or below it pushes it up.
      let start = first + Math.max(0, from);
      let r = 0;
      for (; r < merged.length && merged[r]![0] <= start; r++) start += merged[r]![1] - merged[r]![0] + 1;
      let left = Math.min(to, last - first + 1 - excluded) - Math.max(0, from);
      r = 0;
      for (let off = start; off <= last && left > 0; off++) {
        while (r < merged.length && merged[r]![1] < off) r++;
        const range = merged[r];
        if (range && off >= range[0]) {
          off = range[1];
          continue;
        }
        left--;
        yield format(off);
      }
    },
  };
}

/** What a worker needs to rebuild the targets (a generator cannot cross threads). */
export interface TargetSpec {
  subnet: string;
  exclude: readonly string[];
}

export function targetsFromSpec(spec: TargetSpec): ScanTargets {
  const net = parseCidr(spec.subnet);
  if (!net) throw new Error(`bad subnet ${spec.subnet}`);
  return scanTargets(
    net,
    spec.exclude.map((e) => parseCidr(e)).filter((c): c is Cidr => c !== undefined),
  );
}

export interface PortResult {
  port: number;
  state: ProbeState;
  service?: ServiceInfo;
}

export interface ProbedHost {
  ip: string;
  ports: PortResult[];
}

export interface ProbeOptions {
  ports: readonly number[];
  /** Connect timeout of one probe (DISCOVERY_TIMEOUT). */
  timeoutMs: number;
  bannerTimeoutMs?: number;
  /** Hosts probed at once by this scan; default: enough to fill the socket budget. */
  hostConcurrency?: number;
  /** Force the net.connect probe path (tests). */
  viaNet?: boolean;
}

const STATES: readonly ProbeState[] = ['open', 'closed', 'timeout', 'unreachable', 'error'];

export const isUp = (ports: readonly PortResult[]): boolean => ports.some((r) => r.state === 'open' || r.state === 'closed');

/**
 * Where probeHosts takes its addresses from: each probe thread claims chunks of the scan's
 * targets from a counter shared by all threads (probe-worker.ts), so a slower thread simply takes fewer.
 */
export interface HostFeed {
  readonly family: Family;
  /** The next address, or undefined when the feed has ended. */
  next(): string | undefined;
}

const isFeed = (t: ScanTargets | HostFeed): t is HostFeed => 'next' in t;

/** One host being probed: its port results fill in as the probes end. */
class HostRun {
  readonly ports: PortResult[];
  left: number;

  constructor(
    readonly ip: string,
    n: number,
  ) {
    this.ports = new Array<PortResult>(n);
    this.left = n;
  }
}

/**
 * Probes every target. onHost runs once per probed address with its port results (up or not).
 * Resolves when all are done or the signal aborted (hosts in flight then are not reported).
 */
export async function probeHosts(
  targets: ScanTargets | HostFeed,
  opts: ProbeOptions,
  sockets: Semaphore,
  signal: AbortSignal,
  onHost: (host: ProbedHost) => void,
): Promise<void> {
  const prober = new Prober(signal, { viaNet: opts.viaNet });
  const bannerMs = opts.bannerTimeoutMs ?? BANNER_TIMEOUT_MS;
  let feed: HostFeed;
  let workers = opts.hostConcurrency ?? Math.ceil(sockets.size / Math.max(1, opts.ports.length));
  if (isFeed(targets)) feed = targets;
  else {
    const iterator = targets.ips();
    feed = { family: targets.family, next: () => iterator.next().value ?? undefined };
    workers = Math.min(targets.total, workers);
  }
  workers = Math.max(1, workers);

  // Results without a service are the same object for every host: no allocation per probe.
  const ports = opts.ports;
  const plain = ports.map((port) => Object.fromEntries(STATES.map((state) => [state, Object.freeze({ port, state })])) as Record<ProbeState, PortResult>);

  // Callbacks, not promises: a /16 quick scan is 262,144 probes, and a promise chain per probe
  // cost more JavaScript than driving the sockets. Up to `workers` hosts are in flight; each
  // finished host pulls the next address from the feed.
  let active = 0;
  let ended = false;
  let pumping = false;
  let again = false;
  let failure: { err: unknown } | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const stopped = () => signal.aborted || failure !== undefined;

  const hostDone = (h: HostRun): void => {
    active--;
    if (!stopped()) {
      try {
        onHost({ ip: h.ip, ports: h.ports });
      } catch (err) {
        failure = { err };
      }
    }
    pump();
  };
  const portDone = (h: HostRun, i: number, r: PortResult): void => {
    h.ports[i] = r;
    if (--h.left === 0) hostDone(h);
  };
  const opened = (h: HostRun, i: number, raw: string): void => {
    sockets.release();
    const port = ports[i]!;
    let service: ServiceInfo;
    try {
      service = parseBanner(port, raw);
    } catch {
      service = parseBanner(port, '');
    }
    portDone(h, i, { port, state: 'open', service });
  };
  const onProbe: ProbeCallback = (r, tag, i) => {
    const h = tag as HostRun;
    if (r.state !== 'open') {
      sockets.release();
      return portDone(h, i, plain[i]![r.state]);
    }
    if (!r.socket) return opened(h, i, '');
    void grabBanner(r.socket, h.ip, ports[i]!, bannerMs).then((raw) => opened(h, i, raw));
  };
  const startPort = (h: HostRun, i: number): void => {
    if (signal.aborted) {
      sockets.release();
      return portDone(h, i, plain[i]!.error);
    }
    prober.probe(h.ip, feed.family, ports[i]!, opts.timeoutMs, true, onProbe, h, i);
  };
  const pump = (): void => {
    // Probes that end at once call back in here: the outer call keeps going instead of recursing.
    if (pumping) return void (again = true);
    pumping = true;
    do {
      again = false;
      while (active < workers && !stopped()) {
        const ip = feed.next();
        if (ip === undefined) {
          ended = true;
          break;
        }
        active++;
        const h = new HostRun(ip, ports.length);
        for (let i = 0; i < ports.length; i++) {
          if (sockets.tryAcquire()) startPort(h, i);
          else void sockets.acquire().then(() => startPort(h, i));
        }
        if (ports.length === 0) hostDone(h);
      }
    } while (again);
    pumping = false;
    if (active === 0 && (ended || stopped())) finish();
  };
  try {
    pump();
    await finished;
  } finally {
    prober.close();
  }
  if (failure) throw failure.err;
}

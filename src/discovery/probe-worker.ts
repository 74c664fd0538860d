// A probe worker thread: runs the TCP phase of scans under its share of the socket budget
// (DISCOVERY_MAX_CONCURRENT split over DISCOVERY_PROBE_WORKERS threads), so a /16 — 262,144
// connects for a quick scan — neither blocks the HTTP server's event loop nor waits behind it, and
// the main thread's storage work for the hosts found overlaps the probing. A scan's threads claim
// its addresses in chunks of target indexes from one shared counter, so a thread the machine
// slows down simply takes fewer and none waits for another thread to hand it work. Reports in
// batches: how many hosts were down, and the up ones.
import { parentPort, workerData } from 'node:worker_threads';
import type { Family } from '../net/ip.ts';
import { isUp, probeHosts, targetsFromSpec, type HostFeed, type ProbedHost, type ScanTargets } from './scanner.ts';
import { Semaphore } from './semaphore.ts';
import type { FromWorker, ToWorker } from './probe-client.ts';

const BATCH_HOSTS = 256;
const BATCH_MS = 50;

const port = parentPort!;
const sockets = new Semaphore((workerData as { maxConcurrent: number }).maxConcurrent);
const running = new Map<string, AbortController>();
const send = (m: FromWorker) => port.postMessage(m);

/**
 * The addresses of one scan, claimed a chunk at a time from the counter all its threads share
 * (Atomics: no round trip through the main thread, which may be busy or descheduled).
 */
class SharedFeed implements HostFeed {
  readonly family: Family;
  private current: Generator<string> | undefined;
  private exhausted = false;

  constructor(
    private readonly targets: ScanTargets,
    private readonly counter: Int32Array,
    private readonly total: number,
    private readonly chunk: number,
  ) {
    this.family = targets.family;
  }

  next(): string | undefined {
    for (;;) {
      if (this.current) {
        const n = this.current.next();
        if (!n.done) return n.value;
        this.current = undefined;
      }
      if (this.exhausted) return undefined;
      const from = Atomics.add(this.counter, 0, this.chunk);
      if (from >= this.total) {
        this.exhausted = true;
        return undefined;
      }
      this.current = this.targets.ips(from, Math.min(this.total, from + this.chunk));
    }
  }
}

async function start(m: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const controller = new AbortController();
  const feed = new SharedFeed(targetsFromSpec(m.spec), new Int32Array(m.counter), m.total, m.chunk);
  running.set(m.scanId, controller);
  let down = 0;
  // Hosts that only refused travel as bare addresses: most of a big scan, and cheap to copy.
  let refused: string[] = [];
  let open: ProbedHost[] = [];
  const flush = () => {
    if (down === 0 && refused.length === 0 && open.length === 0) return;
    send({ type: 'batch', scanId: m.scanId, down, refused, open });
    down = 0;
    refused = [];
    open = [];
  };
  const timer = setInterval(flush, BATCH_MS);
  try {
    await probeHosts(feed, m.opts, sockets, controller.signal, (h) => {
      if (!isUp(h.ports)) return void down++;
      if (h.ports.some((p) => p.state === 'open')) open.push(h);
      else refused.push(h.ip);
      if (open.length + refused.length >= BATCH_HOSTS) flush();
    });
    flush();
    send({ type: 'done', scanId: m.scanId });
  } catch (err) {
    flush();
    send({ type: 'done', scanId: m.scanId, error: (err as Error)?.message ?? String(err) });
  } finally {
    clearInterval(timer);
    running.delete(m.scanId);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') running.get(m.scanId)?.abort();
  else void start(m);
});
send({ type: 'ready' });

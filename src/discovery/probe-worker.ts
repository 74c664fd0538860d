// A probe worker thread: runs the TCP phase of scans under its share of the socket budget
// (DISCOVERY_MAX_CONCURRENT split over DISCOVERY_PROBE_WORKERS threads), so a /16 — 262,144
// connects for a quick scan — neither blocks the HTTP server's event loop nor waits behind it, and
// the main thread's storage work for the hosts found overlaps the probing. A scan's addresses
// arrive in chunks of target indexes (probe-client.ts hands them out): on starting a chunk the
// worker asks for the next, so it never runs dry, and a thread the machine slows down simply
// takes fewer. Reports in batches: how many hosts were down, and the up ones.
import { parentPort, workerData } from 'node:worker_threads';
import type { Family } from '../net/ip.ts';
import { isUp, probeHosts, targetsFromSpec, type HostFeed, type ProbedHost, type ScanTargets } from './scanner.ts';
import { Semaphore } from './semaphore.ts';
import type { FromWorker, ToWorker } from './probe-client.ts';

const BATCH_HOSTS = 256;
const BATCH_MS = 50;

const port = parentPort!;
const sockets = new Semaphore((workerData as { maxConcurrent: number }).maxConcurrent);
const running = new Map<string, { controller: AbortController; feed: ChunkFeed }>();
const send = (m: FromWorker) => port.postMessage(m);

/** The addresses of one scan as the chunks (ranges of target indexes) come in. */
class ChunkFeed implements HostFeed {
  readonly family: Family;
  private readonly queue: (readonly [number, number])[] = [];
  private current: Generator<string> | undefined;
  private ended = false;
  private waiters: ((more: boolean) => void)[] = [];

  constructor(
    private readonly targets: ScanTargets,
    private readonly want: () => void,
  ) {
    this.family = targets.family;
  }

  add(range: readonly [number, number]): void {
    this.queue.push(range);
    this.wake(true);
  }

  end(): void {
    this.ended = true;
    this.wake(false);
  }

  private wake(more: boolean): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve(more);
  }

  next(): string | undefined {
    for (;;) {
      if (this.current) {
        const n = this.current.next();
        if (!n.done) return n.value;
        this.current = undefined;
      }
      const range = this.queue.shift();
      if (!range) return undefined;
      this.current = this.targets.ips(range[0], range[1]);
      // Ask for the next chunk now: it arrives while this one is probed.
      if (!this.ended) this.want();
    }
  }

  more(): Promise<boolean> {
    if (this.queue.length > 0) return Promise.resolve(true);
    if (this.ended) return Promise.resolve(false);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

async function start(m: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const controller = new AbortController();
  const feed = new ChunkFeed(targetsFromSpec(m.spec), () => send({ type: 'want', scanId: m.scanId }));
  running.set(m.scanId, { controller, feed });
  controller.signal.addEventListener('abort', () => feed.end(), { once: true });
  feed.add(m.range);
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
  if (m.type === 'cancel') running.get(m.scanId)?.controller.abort();
  else if (m.type === 'chunk') {
    const r = running.get(m.scanId);
    if (r && m.range) r.feed.add(m.range);
    else r?.feed.end();
  } else void start(m);
});
send({ type: 'ready' });

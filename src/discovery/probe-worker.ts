// The probe worker thread: runs the TCP phase of every scan of the process under one socket
// budget (DISCOVERY_MAX_CONCURRENT), so a /16 — 262,144 connects for a quick scan — neither blocks
// the HTTP server's event loop nor waits behind it, and the main thread's storage work for the
// hosts found overlaps the probing. Reports in batches: how many hosts were down, and the up ones.
import { parentPort, workerData } from 'node:worker_threads';
import { isUp, probeHosts, targetsFromSpec, type ProbedHost } from './scanner.ts';
import { Semaphore } from './semaphore.ts';
import type { FromWorker, ToWorker } from './probe-client.ts';

const BATCH_HOSTS = 256;
const BATCH_MS = 50;

const port = parentPort!;
const sockets = new Semaphore((workerData as { maxConcurrent: number }).maxConcurrent);
const running = new Map<string, AbortController>();
const send = (m: FromWorker) => port.postMessage(m);

async function start(m: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const controller = new AbortController();
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
    await probeHosts(targetsFromSpec(m.spec), m.opts, sockets, controller.signal, (h) => {
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

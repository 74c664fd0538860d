// TCP connect probes. A quick scan of a /16 is 262,144 connects, nearly all of them answered by
// a reset or never answered, so those outcomes must be cheap. The fast path drives libuv's TCP
// handle directly (the handle net.Socket itself wraps, reached through process.binding) and
// turns only an open port into a net.Socket, for its banner; building a full net.Socket, its
// stream state and an Error with a stack for every refused port costs about 2.5× the CPU.
// A handle whose connect was refused is kept and connected again for the next probe (Linux lets
// a TCP socket connect again after a failed attempt: the first call answers ECONNABORTED and
// resets it, the second starts the new connection). That skips socket(), close() and the epoll
// registration of a fresh descriptor per probe: a /16 quick scan costs a third less CPU, most of
// it kernel time. Any other outcome (open, timeout, unreachable) closes or hands the handle on.
// When the binding is unavailable (a future Node), the probe falls back to net.connect.
import net from 'node:net';
import { getSystemErrorName } from 'node:util';

/**
 * open: the port accepted. closed: the host answered with a reset — it is up, nothing listens.
 * timeout: no answer within the probe timeout. unreachable: the network said the host is not
 * there (EHOSTUNREACH, ENETUNREACH). error: anything else (aborted, out of descriptors…).
 */
export type ProbeState = 'open' | 'closed' | 'timeout' | 'unreachable' | 'error';

export interface ProbeResult {
  state: ProbeState;
  /** The connected socket, when the port is open and the caller asked to keep it. */
  socket?: net.Socket;
}

interface RawHandle {
  connect(req: RawConnectReq, address: string, port: number): number;
  connect6(req: RawConnectReq, address: string, port: number): number;
  close(): void;
}
interface RawConnectReq {
  oncomplete: (status: number) => void;
}
interface TcpBinding {
  TCP: new (type: number) => RawHandle;
  TCPConnectWrap: new () => RawConnectReq;
  constants: { SOCKET: number };
}

function loadBinding(): TcpBinding | undefined {
  try {
    const b = (process as unknown as { binding(name: string): unknown }).binding('tcp_wrap') as Partial<TcpBinding>;
    if (typeof b?.TCP === 'function' && typeof b.TCPConnectWrap === 'function' && typeof b.constants?.SOCKET === 'number') {
      return b as TcpBinding;
    }
  } catch {
    // Not available: use net.connect.
  }
  return undefined;
}

const binding = loadBinding();

/** Which connect path this process uses (reported by the bench and the logs). */
export const connectMode: 'raw' | 'net' = binding ? 'raw' : 'net';

const CLOSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
/** Local resource shortages: the probe is retried after a pause instead of calling the host down. */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS', 'EAGAIN']);

function stateOfCode(code: string | undefined): ProbeState | 'transient' {
  if (code === undefined) return 'error';
  if (CLOSED.has(code)) return 'closed';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (TRANSIENT.has(code)) return 'transient';
  return 'error';
}

const stateCache = new Map<number, ProbeState | 'transient'>();

/** The probe state of a libuv status code (cached: a scan sees the same few codes 262,144 times). */
function stateOfStatus(status: number): ProbeState | 'transient' {
  let state = stateCache.get(status);
  if (state === undefined) {
    let name: string | undefined;
    try {
      name = getSystemErrorName(status);
    } catch {
      name = undefined;
    }
    stateCache.set(status, (state = stateOfCode(name)));
  }
  return state;
}

const RESULTS: Record<ProbeState, ProbeResult> = {
  open: Object.freeze({ state: 'open' }),
  closed: Object.freeze({ state: 'closed' }),
  timeout: Object.freeze({ state: 'timeout' }),
  unreachable: Object.freeze({ state: 'unreachable' }),
  error: Object.freeze({ state: 'error' }),
};
const MAX_RETRIES = 5;
/** libuv's UV_ECONNABORTED: what connect() on a refused socket answers once before it connects again. */
const UV_ECONNABORTED = -103;

/** One connect attempt in flight. Its fields replace per-probe closures (a /16 makes 262,144). */
class Probe {
  deadline = 0;
  attempt = 0;
  handle: RawHandle | undefined;
  socket: net.Socket | undefined;

  constructor(
    readonly owner: Prober,
    readonly ip: string,
    readonly family: 4 | 6,
    readonly port: number,
    readonly timeoutMs: number,
    readonly keepOpen: boolean,
    readonly done: ProbeCallback,
    readonly tag: unknown,
    readonly index: number,
  ) {}

  resolve(r: ProbeResult): void {
    this.done(r, this.tag, this.index);
  }

  /** Ends this attempt; a transient failure schedules the next one. */
  finish(state: ProbeState | 'transient'): void {
    if (!this.owner.untrack(this)) return;
    let socket: net.Socket | undefined;
    if (this.handle) {
      if (state === 'open' && this.keepOpen) {
        // The handle is connected: net.Socket adopts it as child_process does with pipes.
        socket = new net.Socket({ handle: this.handle, readable: true, writable: true } as net.SocketConstructorOpts);
      } else if (state === 'closed') this.owner.keep(this.handle);
      else this.handle.close();
      this.handle = undefined;
    } else if (this.socket) {
      this.socket.removeAllListeners('connect');
      if (state === 'open' && this.keepOpen) socket = this.socket;
      else {
        this.socket.on('error', () => undefined);
        this.socket.destroy();
      }
      this.socket = undefined;
    }
    if (state !== 'transient') return this.resolve(socket ? { state, socket } : RESULTS[state]);
    // Out of descriptors or local ports: pause and try again rather than call the host down.
    if (this.attempt >= MAX_RETRIES) return this.resolve(RESULTS.error);
    this.attempt++;
    setTimeout(() => this.owner.start(this), 50 * this.attempt);
  }
}

/** How a probe reports: its result with the caller's tag and index (one shared function, no closure per probe). */
export type ProbeCallback = (r: ProbeResult, tag: unknown, index: number) => void;

const resolveTag: ProbeCallback = (r, tag) => (tag as (r: ProbeResult) => void)(r);

interface ConnectReq extends RawConnectReq {
  probe?: Probe;
}

// Called by libuv with the request as `this`: one shared function instead of a closure per probe.
function onConnect(this: ConnectReq, status: number): void {
  const probe = this.probe!;
  this.probe = undefined;
  probe.finish(status === 0 ? 'open' : stateOfStatus(status));
}

/** Starts a connect of `p` on `handle`; a non-zero libuv status means it failed at once. */
function rawConnect(b: TcpBinding, handle: RawHandle, p: Probe): number {
  const req: ConnectReq = new b.TCPConnectWrap();
  req.probe = p;
  req.oncomplete = onConnect;
  const err = p.family === 6 ? handle.connect6(req, p.ip, p.port) : handle.connect(req, p.ip, p.port);
  if (err) req.probe = undefined;
  return err;
}

/**
 * Probes of one scan. Timeouts are enforced by one sweep timer per prober rather than a timer per
 * probe; on abort every probe in flight ends at once (state `error`). close() stops the sweeper
 * when the scan is done.
 */
export class Prober {
  private readonly inFlight = new Set<Probe>();
  /** Refused handles, ready to connect again (at most one per probe in flight). */
  private readonly idle: RawHandle[] = [];
  private closed = false;
  private readonly binding: TcpBinding | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  /** `viaNet` forces the net.connect path (tests exercise both). */
  constructor(
    private readonly signal?: AbortSignal,
    opts: { viaNet?: boolean } = {},
  ) {
    this.binding = opts.viaNet ? undefined : binding;
    signal?.addEventListener('abort', () => {
      for (const p of [...this.inFlight]) p.finish('error');
    }, { once: true });
  }

  get active(): number {
    return this.inFlight.size;
  }

  /** Refused handles kept for the next probe. */
  get kept(): number {
    return this.idle.length;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const p of [...this.inFlight]) p.finish('error');
    for (const h of this.idle.splice(0)) h.close();
  }

  /** @internal Keeps a refused handle for the next probe (closes it once the prober is done). */
  keep(handle: RawHandle): void {
    if (this.closed || this.signal?.aborted) handle.close();
    else this.idle.push(handle);
  }

  /** @internal */
  untrack(p: Probe): boolean {
    return this.inFlight.delete(p);
  }

  private sweep(): void {
    const now = performance.now();
    for (const p of this.inFlight) if (p.deadline <= now) p.finish('timeout');
  }

  /** Connects to ip:port within timeoutMs; with keepOpen an open port's socket is handed back. */
  connect(ip: string, family: 4 | 6, port: number, timeoutMs: number, keepOpen: boolean): Promise<ProbeResult> {
    return new Promise((resolve) => this.start(new Probe(this, ip, family, port, timeoutMs, keepOpen, resolveTag, resolve, 0)));
  }

  /** connect() for the hot path: `done(result, tag, index)` instead of a promise. It may run before this returns. */
  probe(ip: string, family: 4 | 6, port: number, timeoutMs: number, keepOpen: boolean, done: ProbeCallback, tag: unknown, index: number): void {
    this.start(new Probe(this, ip, family, port, timeoutMs, keepOpen, done, tag, index));
  }

  /** @internal Starts (or retries) an attempt. */
  start(p: Probe): void {
    if (this.signal?.aborted) return p.resolve(RESULTS.error);
    p.deadline = performance.now() + p.timeoutMs;
    this.inFlight.add(p);
    if (this.sweeper === undefined) {
      // Timeouts are accurate to a tenth of the timeout (at most 50 ms).
      this.sweeper = setInterval(() => this.sweep(), Math.max(5, Math.min(50, Math.floor(p.timeoutMs / 10))));
      this.sweeper.unref();
    }
    const b = this.binding;
    if (b) {
      // (A kept handle of the other family fails at once and is replaced.)
      let handle = this.idle.pop();
      let err = 0;
      if (handle) {
        err = rawConnect(b, handle, p);
        // The first connect after a refusal resets the socket; the second one connects.
        if (err === UV_ECONNABORTED) err = rawConnect(b, handle, p);
        if (err) {
          // Not reusable after all: a fresh handle, as if none had been kept.
          handle.close();
          handle = undefined;
        }
      }
      if (!handle) {
        handle = new b.TCP(b.constants.SOCKET);
        err = rawConnect(b, handle, p);
      }
      p.handle = handle;
      if (err) p.finish(stateOfStatus(err));
      return;
    }
    const socket = net.connect({ host: p.ip, port: p.port });
    p.socket = socket;
    socket.once('connect', () => p.finish('open'));
    socket.once('error', (err: NodeJS.ErrnoException) => p.finish(stateOfCode(err.code)));
  }
}

// Password hashing: bcrypt (bcryptjs) in a pool of worker threads with a bounded queue. When the
// queue is full the caller gets 503 + Retry-After instead of unbounded login latency.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../platform/errors.ts';
import { PASSWORD_WORKER_SOURCE } from './password-worker.ts';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_BYTES = 72;

/** Server-side password policy, applied on every path that sets a password. */
export function passwordPolicyError(password: string): string | undefined {
  if (typeof password !== 'string') return 'must be a string';
  if ([...password].length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt ignores anything longer)`;
  }
  if (password.includes('\0')) return 'must not contain NUL characters';
  return undefined;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Burns the same time as a real verification, for unknown users. */
  verifyDummy(password: string): Promise<false>;
  readonly cost: number;
  close(): Promise<void>;
}

interface Task {
  id: number;
  op: 'hash' | 'verify';
  password: string;
  hash?: string;
  cost?: number;
  resolve: (v: string | boolean) => void;
  reject: (e: Error) => void;
}

export interface HasherOptions {
  cost: number;
  /** 0 = one less than the cores, at least one. */
  workers: number;
  queue: number;
}

/**
 * A well-formed bcrypt hash at `cost` that no password matches in practice. Verifying against it
 * costs exactly one real verification, and unlike hashing a dummy password on first use it adds
 * no extra work to the first unknown-user login (which would make that one measurably slower).
 */
export function dummyHash(cost: number): string {
  return `$2b$${String(cost).padStart(2, '0')}$` + 'rackdDummySaltForTimi.' + 'ngEqualisationOnlyNeverAMatch00';
}

export function createPasswordHasher(opts: HasherOptions): PasswordHasher {
  const size = opts.workers > 0 ? opts.workers : Math.max(1, availableParallelism() - 1);
  const idle: Worker[] = [];
  const busy = new Map<Worker, Task>();
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Worker => {
    const w = new Worker(PASSWORD_WORKER_SOURCE, { eval: true, workerData: { base: import.meta.url } });
    w.unref();
    w.on('message', (msg: { id: number; ok: boolean; value?: string | boolean; error?: string }) => {
      const task = busy.get(w);
      busy.delete(w);
      if (task && task.id === msg.id) {
        if (msg.ok) task.resolve(msg.value!);
        else task.reject(new Error(msg.error));
      }
      idle.push(w);
      pump();
    });
    w.on('error', (err) => {
      const task = busy.get(w);
      busy.delete(w);
      task?.reject(err);
      if (!closed) idle.push(spawn());
      pump();
    });
    return w;
  };
  for (let i = 0; i < size; i++) idle.push(spawn());

  const pump = (): void => {
    while (idle.length > 0 && waiting.length > 0) {
      const w = idle.pop()!;
      const task = waiting.shift()!;
      busy.set(w, task);
      w.postMessage({ id: task.id, op: task.op, password: task.password, hash: task.hash, cost: task.cost });
    }
  };

  const submit = (op: Task['op'], password: string, extra: { hash?: string; cost?: number }): Promise<string | boolean> => {
    if (closed) return Promise.reject(new Error('password hasher is closed'));
    if (waiting.length >= opts.queue) {
      return Promise.reject(
        new AppError('SERVICE_UNAVAILABLE', 'The server is busy verifying passwords; retry shortly', {
          headers: { 'Retry-After': '2' },
        }),
      );
    }
    return new Promise((resolve, reject) => {
      waiting.push({ id: nextId++, op, password, ...extra, resolve, reject });
      pump();
    });
  };

  const hasher: PasswordHasher = {
    cost: opts.cost,
    hash: async (password) => (await submit('hash', password, { cost: opts.cost })) as string,
    verify: async (password, hash) => (await submit('verify', password, { hash })) as boolean,
    async verifyDummy(password) {
      await hasher.verify(password, dummyHash(opts.cost));
      return false;
    },
    async close() {
      closed = true;
      for (const t of waiting.splice(0)) t.reject(new Error('password hasher is closed'));
      await Promise.all([...idle, ...busy.keys()].map((w) => w.terminate()));
    },
  };
  return hasher;
}

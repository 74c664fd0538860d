// A counting semaphore with a FIFO wait queue. One instance is the process-wide socket budget
// (DISCOVERY_MAX_CONCURRENT, shared by every running scan); smaller ones bound reverse DNS and
// host enrichment inside a scan.

const RESOLVED = Promise.resolve();

export class Semaphore {
  private free: number;
  private readonly queue: Array<() => void> = [];
  private head = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`semaphore size must be a positive integer, got ${size}`);
    this.free = size;
  }

  /** Slots in use (held by callers). */
  get inUse(): number {
    return this.size - this.free;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Takes a slot if one is free right now (no waiting, no promise). */
  tryAcquire(): boolean {
    if (this.free === 0) return false;
    this.free--;
    return true;
  }

  /** Resolves once a slot is held; the caller must release() it exactly once. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return RESOLVED;
    return new Promise((resolve) => this.queue.push(resolve));
  }

  release(): void {
    if (this.head < this.queue.length) {
      // Hand the slot straight to the oldest waiter: `free` stays unchanged.
      const next = this.queue[this.head]!;
      this.queue[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    if (this.free >= this.size) throw new Error('semaphore released more often than acquired');
    this.free++;
  }

  /** Runs fn holding one slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

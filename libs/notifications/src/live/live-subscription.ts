/**
 * One subscriber's end of the hub: an async iterator over a bounded buffer. A consumer that falls behind
 * loses the oldest entries, never the process's memory (the feed still has every notification).
 * `return()` (an unsubscribe or a closed socket) detaches it from the hub and ends pending `next()` calls.
 */
export class LiveSubscription<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private closed = false;
  /** How many entries were dropped because the buffer was full. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly detach: () => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error('A live subscription needs a capacity of 1 or more');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  push(value: T): void {
    if (this.closed) return;
    const waiter = this.waiting.shift();
    if (waiter) return waiter({ value, done: false });
    if (this.buffer.length >= this.capacity) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    this.detach();
    for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
  }
}

/**
 * Writes what its callers add, one write at a time: whatever was added while a write ran goes into the next one
 * together. `add` resolves once the write holding that item committed (and rejects if it failed), so a caller
 * that waits for it before doing more work never has two unwritten items of its own.
 */
export class GroupCommit<T> {
  private pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.pending.length === 0) return;
    const group = this.pending;
    this.pending = [];
    this.writing = true;
    this.write(group.map((g) => g.item))
      .then(
        () => group.forEach((g) => g.resolve()),
        (error: unknown) => group.forEach((g) => g.reject(error)),
      )
      .finally(() => {
        this.writing = false;
        this.next();
      });
  }
}

/** Runs the tasks given to it one after another, in order. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => Promise<R>): Promise<R> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

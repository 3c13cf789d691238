/**
 * Writes results in groups while the work producing them goes on: when `every` have arrived, or `afterMs` after
 * the first unwritten one, and whatever is left on drain; one write at a time. For email attempts, the group
 * size bounds what a killed worker would send again while the statements stay a handful per batch. A failed
 * write fails the drain, and nothing more is written.
 */
export class BatchRecorder<T> {
  private pending: T[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;

  constructor(
    private readonly write: (done: T[]) => Promise<void>,
    private readonly every: number,
    private readonly afterMs: number,
  ) {}

  add(result: T): void {
    this.pending.push(result);
    if (this.pending.length >= this.every) this.startWriting();
    else this.timer ??= setTimeout(() => this.startWriting(), this.afterMs);
  }

  /** Everything added is written (or the batch failed) when this resolves. */
  async drain(): Promise<void> {
    while (!this.failure && (this.writing || this.pending.length > 0)) {
      this.startWriting();
      await this.writing;
    }
    if (this.failure) throw this.failure;
  }

  private startWriting(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || this.failure || this.pending.length === 0) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
      // Whatever finished during the write waits for its own trigger (count, timer or drain).
      if (this.pending.length >= this.every) this.startWriting();
      else if (this.pending.length > 0) this.timer ??= setTimeout(() => this.startWriting(), this.afterMs);
    });
  }

  private async writeAll(): Promise<void> {
    const done = this.pending;
    this.pending = [];
    await this.write(done).catch((error: unknown) => (this.failure = error));
  }
}

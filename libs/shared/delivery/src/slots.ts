/**
 * A counting semaphore that hands out slots in groups: a waiter is served, first come first served, once at
 * least `atLeast` slots are free (or its whole want), and then takes every free slot up to what it wants.
 * Claiming a group per statement keeps claims to a few statements per batch without claiming ahead.
 */
export class Slots {
  private free: number;
  private readonly waiters: Array<{ want: number; atLeast: number; grant: (n: number) => void }> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`A sender needs at least one slot (got ${size})`);
    this.free = size;
  }

  get available(): number {
    return this.free;
  }

  /** Resolves with how many slots were taken: between min(atLeast, want) and want. */
  acquire(want: number, atLeast = 1): Promise<number> {
    const need = Math.max(1, Math.min(want, atLeast, this.size));
    return new Promise((grant) => {
      this.waiters.push({ want, atLeast: need, grant });
      this.serve();
    });
  }

  release(count: number): void {
    if (count <= 0) return;
    this.free += count;
    if (this.free > this.size) throw new Error('More slots released than taken');
    this.serve();
  }

  private serve(): void {
    while (this.waiters.length > 0 && this.free >= this.waiters[0].atLeast) {
      const waiter = this.waiters.shift()!;
      const taken = Math.min(this.free, waiter.want);
      this.free -= taken;
      waiter.grant(taken);
    }
  }
}

import { BatchRecorder } from '../email/batch-recorder.js';

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function recorder(every: number, afterMs: number, write: (done: number[]) => Promise<void> = () => tick(20)) {
  const groups: number[][] = [];
  const batch = new BatchRecorder<number>(
    async (done) => {
      groups.push(done);
      await write(done);
    },
    every,
    afterMs,
  );
  return { batch, groups };
}

describe('BatchRecorder', () => {
  it('writes a group as soon as it is full, and on drain whatever arrived during that write', async () => {
    const { batch, groups } = recorder(3, 60_000);
    [1, 2, 3].forEach((n) => batch.add(n));
    expect(groups).toEqual([[1, 2, 3]]);
    batch.add(4);
    batch.add(5);
    await batch.drain();
    expect(groups).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('writes a group that stays short once its time is up, without a drain', async () => {
    const { batch, groups } = recorder(100, 10);
    batch.add(1);
    batch.add(2);
    expect(groups).toEqual([]);
    await tick(50);
    expect(groups).toEqual([[1, 2]]);
    await batch.drain();
    expect(groups).toEqual([[1, 2]]);
  });

  it('fails the drain when a write fails, and writes nothing after it', async () => {
    const { batch, groups } = recorder(2, 60_000, () => Promise.reject(new Error('database down')));
    [1, 2, 3].forEach((n) => batch.add(n));
    await expect(batch.drain()).rejects.toThrow('database down');
    batch.add(4);
    await expect(batch.drain()).rejects.toThrow('database down');
    expect(groups).toEqual([[1, 2]]);
  });
});

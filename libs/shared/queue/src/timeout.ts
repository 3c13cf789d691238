/**
 * Rejects when `promise` has not settled within `ms`. Every Redis read behind readiness and /metrics goes through
 * it: BullMQ's connections queue commands while Redis is away (offline queue, unlimited retries), so an
 * unbounded call would hang until Redis came back.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

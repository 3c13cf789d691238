/** First retry 30 s after a failure, doubling, at most 6 h apart; a delivery gives up once it is a day old. */
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

export function retryDelayMs(attemptsMade: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1), MAX_RETRY_DELAY_MS);
}

/** When to try again after failed attempt number `attemptsMade`, or null when the delivery has failed for good. */
export function nextAttemptAfterFailure(createdAt: Date, attemptsMade: number, now: Date): Date | null {
  if (now.getTime() - createdAt.getTime() >= GIVE_UP_AFTER_MS) return null;
  return new Date(now.getTime() + retryDelayMs(attemptsMade));
}

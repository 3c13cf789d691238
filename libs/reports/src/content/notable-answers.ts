import type { NotableKind } from './report-data.js';

/**
 * What makes a check-in answer worth the coach's attention. For a SCALE prompt running from `min` to `max`
 * (range = max − min):
 *
 * - SCORE_DROP: the answer is at least ceil(30 % of the range) below the client's previous answer to the same
 *   prompt (same template and prompt key, the check-in before it): 3 points or more on the default 1–10 scale.
 * - LOW_SCORE: otherwise, the answer is in the bottom 30 % of the range, value − min ≤ 0.3 × range: 3 or less
 *   on 1–10, 2 or less on 1–5, 3 or less on 0–10.
 *
 * An answer counts once, as a drop rather than as low when it is both. TEXT answers are notable (FOLLOW_UP)
 * when the coach marked their check-in `needsFollowUp`. Integers only, so no rounding decides a case.
 */
export function dropThreshold(min: number, max: number): number {
  return Math.max(1, Math.ceil((3 * (max - min)) / 10));
}

export function isLowScore(value: number, min: number, max: number): boolean {
  return 10 * (value - min) <= 3 * (max - min);
}

export function classifyScaleAnswer(value: number, previous: number | null, min: number, max: number): NotableKind | null {
  if (previous !== null && previous - value >= dropThreshold(min, max)) return 'SCORE_DROP';
  if (isLowScore(value, min, max)) return 'LOW_SCORE';
  return null;
}

/** The first 280 characters of a text answer, whitespace collapsed. */
export function excerpt(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

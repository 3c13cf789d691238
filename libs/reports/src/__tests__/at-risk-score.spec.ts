import { describe, expect, it } from '@jest/globals';
import { AT_RISK_MIN_SCORE, rankAtRisk, RiskCandidate, riskOf, RiskSignals } from '../content/at-risk-score.js';
import { classifyScaleAnswer, dropThreshold, excerpt, isLowScore } from '../content/notable-answers.js';

const quiet: RiskSignals = {
  dueCheckIns: 0,
  submittedCheckIns: 0,
  missedCheckIns: 0,
  overdueTasks: 0,
  longOverdueTasks: 0,
  stalledGoals: 0,
  goalsBehindPace: 0,
  scoreDrops: 0,
  lowScores: 0,
};

describe('the at-risk score', () => {
  it('is 0 for a client with nothing wrong', () => {
    expect(riskOf({ ...quiet, dueCheckIns: 5, submittedCheckIns: 5 })).toEqual({ score: 0, reasons: [] });
  });

  it('weighs each signal by its documented points and lists why, weightiest kinds first', () => {
    const risk = riskOf({
      dueCheckIns: 7,
      submittedCheckIns: 5,
      missedCheckIns: 2,
      overdueTasks: 3,
      longOverdueTasks: 1,
      stalledGoals: 1,
      goalsBehindPace: 1,
      scoreDrops: 1,
      lowScores: 2,
    });
    // 2×2 + 3×1 + 1×1 + 3×1 + 2×1 + 2×1 + 1×2
    expect(risk.score).toBe(4 + 3 + 1 + 3 + 2 + 2 + 2);
    expect(risk.reasons).toEqual([
      { code: 'STALLED_GOAL', count: 1, points: 3 },
      { code: 'MISSED_CHECKIN', count: 2, points: 4 },
      { code: 'SCORE_DROP', count: 1, points: 2 },
      { code: 'GOAL_BEHIND_PACE', count: 1, points: 2 },
      { code: 'OVERDUE_TASK', count: 3, points: 3 },
      { code: 'LONG_OVERDUE_TASK', count: 1, points: 1 },
      { code: 'LOW_SCORE', count: 2, points: 2 },
    ]);
  });

  it('adds 3 for a period with check-ins due and none answered, on top of the missed ones', () => {
    const silent = riskOf({ ...quiet, dueCheckIns: 2, submittedCheckIns: 0, missedCheckIns: 2 });
    expect(silent.score).toBe(2 * 2 + 3);
    expect(silent.reasons.map((r) => r.code)).toEqual(['NO_CHECKIN_ANSWERED', 'MISSED_CHECKIN']);
    // Nothing due is not silence.
    expect(riskOf(quiet).reasons).toEqual([]);
  });
});

const candidate = (clientId: string, displayName: string, score: number, missed = 0, overdue = 0): RiskCandidate => ({
  clientId,
  displayName,
  score,
  reasons: [],
  missedCheckIns: missed,
  overdueTasks: overdue,
});

describe('the at-risk list', () => {
  it('keeps clients from the threshold on, highest score first, ranked from 1', () => {
    const ranked = rankAtRisk([
      candidate('a', 'Ann', AT_RISK_MIN_SCORE - 1),
      candidate('b', 'Ben', 9),
      candidate('c', 'Cy', AT_RISK_MIN_SCORE),
      candidate('d', 'Di', 12),
    ]);
    expect(ranked.map((e) => [e.rank, e.clientId, e.score])).toEqual([
      [1, 'd', 12],
      [2, 'b', 9],
      [3, 'c', AT_RISK_MIN_SCORE],
    ]);
  });

  it('breaks ties by missed check-ins, then overdue tasks, then name, then id, whatever the input order', () => {
    const tied = [
      candidate('id-2', 'Zoë', 6, 1, 0),
      candidate('id-9', 'alex', 6, 1, 2),
      candidate('id-5', 'Alex', 6, 1, 2),
      candidate('id-1', 'Alex', 6, 1, 2),
      candidate('id-7', 'Max', 6, 3, 0),
    ];
    const expected = ['id-7', 'id-1', 'id-5', 'id-9', 'id-2'];
    expect(rankAtRisk(tied).map((e) => e.clientId)).toEqual(expected);
    expect(rankAtRisk([...tied].reverse()).map((e) => e.clientId)).toEqual(expected);
  });
});

describe('notable answers', () => {
  it('on the default 1–10 scale: 3 or less is low, a fall of 3 or more is a drop', () => {
    expect([1, 2, 3, 4].map((v) => isLowScore(v, 1, 10))).toEqual([true, true, true, false]);
    expect(dropThreshold(1, 10)).toBe(3);
    expect(classifyScaleAnswer(5, 8, 1, 10)).toBe('SCORE_DROP');
    expect(classifyScaleAnswer(6, 8, 1, 10)).toBeNull();
    expect(classifyScaleAnswer(3, 4, 1, 10)).toBe('LOW_SCORE');
    // Low and dropped counts once, as a drop.
    expect(classifyScaleAnswer(2, 9, 1, 10)).toBe('SCORE_DROP');
    expect(classifyScaleAnswer(9, null, 1, 10)).toBeNull();
    expect(classifyScaleAnswer(2, null, 1, 10)).toBe('LOW_SCORE');
  });

  it('scales with the prompt’s range: 1–5 and 0–10', () => {
    expect(dropThreshold(1, 5)).toBe(2);
    expect([1, 2, 3].map((v) => isLowScore(v, 1, 5))).toEqual([true, true, false]);
    expect(dropThreshold(0, 10)).toBe(3);
    expect([3, 4].map((v) => isLowScore(v, 0, 10))).toEqual([true, false]);
    expect(dropThreshold(0, 1)).toBe(1);
  });

  it('keeps the first 280 characters of a text answer, whitespace collapsed', () => {
    expect(excerpt('  Tough\n\nweek  ')).toBe('Tough week');
    const long = excerpt('x'.repeat(400));
    expect(long).toHaveLength(280);
    expect(long.endsWith('…')).toBe(true);
  });
});

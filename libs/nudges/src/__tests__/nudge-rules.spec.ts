import { describe, expect, it } from '@jest/globals';
import { composeNudge } from '../rules/nudge-composer.js';
import { inMessageOrder, inQuietHours, type NudgeItem } from '../rules/nudge-item.js';
import { NudgeRule } from '../rules/nudge-rule.enum.js';

describe('quiet hours', () => {
  it('wrap past midnight: 21:00–08:00 is quiet late in the evening and early in the morning', () => {
    expect(['21:00', '23:59', '00:00', '07:59'].map((t) => inQuietHours(t, '21:00', '08:00'))).toEqual([true, true, true, true]);
    expect(['08:00', '12:00', '20:59'].map((t) => inQuietHours(t, '21:00', '08:00'))).toEqual([false, false, false]);
  });

  it('within a day: 12:00–14:00 is quiet over lunch only', () => {
    expect(['11:59', '12:00', '13:59', '14:00'].map((t) => inQuietHours(t, '12:00', '14:00'))).toEqual([false, true, true, false]);
  });

  it('equal start and end mean no quiet hours', () => {
    expect(inQuietHours('03:00', '08:00', '08:00')).toBe(false);
  });
});

const item = (rule: NudgeRule, key: string, headline = key): NudgeItem => ({ rule, key, headline });

describe('merging nudges into one message', () => {
  it('puts good news first, then what is due, then what is slipping', () => {
    const ordered = inMessageOrder([
      item(NudgeRule.GOAL_STALLED, 'g'),
      item(NudgeRule.TASK_OVERDUE, 't'),
      item(NudgeRule.CELEBRATION, 'c'),
      item(NudgeRule.CHECKIN_DUE_SOON, 'd'),
    ]);
    expect(ordered.map((i) => i.rule)).toEqual([
      NudgeRule.CELEBRATION,
      NudgeRule.CHECKIN_DUE_SOON,
      NudgeRule.TASK_OVERDUE,
      NudgeRule.GOAL_STALLED,
    ]);
  });

  it('one item: its headline is the subject; several: the first and how many more, all listed in both versions', () => {
    const one = composeNudge('Dana', 'Summit Coaching', [item(NudgeRule.TASK_OVERDUE, 'k', '“Q1 report” was due yesterday')]);
    expect(one.subject).toBe('“Q1 report” was due yesterday');
    const many = composeNudge('Dana', 'Summit Coaching', [
      item(NudgeRule.TASK_OVERDUE, 'a', 'Task <late> & due'),
      item(NudgeRule.CHECKIN_DUE_SOON, 'b', 'Check-in closes soon'),
      item(NudgeRule.GOAL_STALLED, 'c', 'Goal stalled'),
    ]);
    expect(many.subject).toBe('Check-in closes soon — and 2 more');
    expect(many.text.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- Check-in closes soon',
      '- Task <late> & due',
      '- Goal stalled',
    ]);
    expect(many.text).toContain('Hi Dana,');
    expect(many.text).toContain('Summit Coaching');
    expect(many.html).toContain('<li>Task &lt;late&gt; &amp; due</li>');
    expect(many.html).not.toContain('<late>');
  });

  it('refuses to compose an empty message', () => {
    expect(() => composeNudge('Dana', 'Summit', [])).toThrow();
  });
});

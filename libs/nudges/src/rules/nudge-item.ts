import { NudgeRule } from './nudge-rule.enum.js';

/** One thing a nudge message mentions. `key` makes it once-only: it goes into the ledger with the message. */
export interface NudgeItem {
  rule: NudgeRule;
  key: string;
  headline: string;
}

/** Good news first, then what is due soonest, then what is slipping: the order a coach would say it in. */
export const RULE_ORDER: readonly NudgeRule[] = [
  NudgeRule.CELEBRATION,
  NudgeRule.CHECKIN_DUE_SOON,
  NudgeRule.CHECKIN_MISSED,
  NudgeRule.TASK_STARTING,
  NudgeRule.TASK_OVERDUE,
  NudgeRule.GOAL_BEHIND,
  NudgeRule.GOAL_STALLED,
];

export function inMessageOrder(items: readonly NudgeItem[]): NudgeItem[] {
  return [...items].sort((a, b) => RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule) || a.key.localeCompare(b.key));
}

/**
 * Whether a local wall-clock time ("HH:MM") falls in the quiet hours [start, end), which may wrap past midnight
 * (21:00–08:00). Equal start and end mean no quiet hours.
 */
export function inQuietHours(localTime: string, start: string, end: string): boolean {
  if (start === end) return false;
  return start < end ? localTime >= start && localTime < end : localTime >= start || localTime < end;
}

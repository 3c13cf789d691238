import { registerEnumType } from '@nestjs/graphql';

/** The gentle pushes Cairn gives clients; each can be turned off per firm and muted per client. */
export enum NudgeRule {
  CHECKIN_DUE_SOON = 'CHECKIN_DUE_SOON',
  CHECKIN_MISSED = 'CHECKIN_MISSED',
  TASK_STARTING = 'TASK_STARTING',
  TASK_OVERDUE = 'TASK_OVERDUE',
  GOAL_STALLED = 'GOAL_STALLED',
  GOAL_BEHIND = 'GOAL_BEHIND',
  CELEBRATION = 'CELEBRATION',
}
registerEnumType(NudgeRule, {
  name: 'NudgeRule',
  valuesMap: {
    CHECKIN_DUE_SOON: { description: 'An open check-in closes within the firm’s window and is not answered yet.' },
    CHECKIN_MISSED: { description: 'A check-in closed unanswered (a late answer is still welcome).' },
    TASK_STARTING: { description: 'Today is the start date (lead time) of a task due later.' },
    TASK_OVERDUE: { description: 'A task, or an occurrence of a habit, is overdue.' },
    GOAL_STALLED: { description: 'An active goal has had no progress for the firm’s number of days.' },
    GOAL_BEHIND: { description: 'An active goal’s target date is near and its pace (Goal.pace) is BEHIND or AT_RISK.' },
    CELEBRATION: {
      description:
        'A goal or sub-goal was achieved, a milestone reached, or a habit’s streak reached 7, 30 or 100 occurrences met in a row.',
    },
  },
});

export const NUDGE_RULES = Object.values(NudgeRule);

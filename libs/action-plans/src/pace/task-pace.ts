import { habitPace, type Pace } from '#cairn/goals';
import { addDays } from '#cairn/shared/calendar';
import { TaskStatus } from '../tasks/action-task.entity.js';
import { occurrencesBetween, ruleOf, type LoggedCount, type ScheduledTask } from '../tasks/task-schedule.js';

/** Task dates go at most ten years ahead (README: Action plans → Limits); a series ends by then or never. */
const SERIES_HORIZON_DAYS = 3_700;
const MAX_OCCURRENCES = 10_000;

/**
 * A recurring task's pace (habitPace in the pace model), null for one-off and CANCELLED tasks. A series ends
 * when it has a due date or its rule a COUNT or UNTIL; otherwise it is open-ended.
 */
export function taskPace(task: ScheduledTask, today: string, logged: LoggedCount): Pace | null {
  const rule = ruleOf(task);
  if (!rule || task.status === TaskStatus.CANCELLED) return null;
  const finite = task.dueDate !== null || rule.count !== null || rule.until !== null;
  const past = today < task.startDate ? [] : occurrencesBetween(task, task.startDate, today, MAX_OCCURRENCES);
  const all = finite
    ? occurrencesBetween(
        task,
        task.startDate,
        task.dueDate ?? addDays(task.startDate, SERIES_HORIZON_DAYS),
        MAX_OCCURRENCES,
      )
    : null;
  return habitPace({
    countTarget: task.countTarget,
    allOccurrences: all,
    pastOccurrences: past,
    startDay: task.startDate,
    today,
    logged: (day) => logged(day),
  });
}

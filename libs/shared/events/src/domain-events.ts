/**
 * Every domain's events: the wire name (what webhook receivers see as `type`, what the outbox stores) mapped to
 * its payload. Payloads carry ids and scalars only, never entities: a consumer fetches what it needs, and a
 * domain that emits depends on this contract, not on its consumers.
 */
export type EventValue = string | number | boolean | null;
/** A domain's events; the constraint keeps payloads flat JSON scalars. */
type Events<T extends Record<string, Record<string, EventValue>>> = T;

type CheckInWindow = {
  checkInId: string;
  clientId: string;
  assignmentId: string;
  opensAt: string;
  closesAt: string;
};

/** check-ins */
export type CheckInEvents = Events<{
  'checkin.due': CheckInWindow;
  'checkin.submitted': {
    checkInId: string;
    clientId: string;
    submissionId: string;
    amendsSubmissionId: string | null;
    late: boolean;
  };
  'checkin.missed': CheckInWindow;
  'checkin.feedback_added': { checkInId: string; clientId: string; feedbackId: string; authorUserId: string };
}>;

type GoalStatusChange = { goalId: string; clientId: string; previousStatus: string; status: string };

/** goals */
export type GoalEvents = Events<{
  'goal.status_changed': GoalStatusChange;
  'goal.achieved': GoalStatusChange;
}>;

/** action-plans */
export type TaskEvents = Events<{
  'task.overdue': {
    taskId: string;
    goalId: string;
    clientId: string;
    overdueSince: string;
    daysOverdue: number | null;
    recurring: boolean;
  };
}>;

/** Sent as messages (libs/messaging adds `messageId`): nudges and reports. */
export type MessageEvents = Events<{
  'nudge.sent': { messageId: string; clientId: string; items: number; rules: string };
  'report.ready': { messageId: string; reportId: string; coachId: string };
}>;

export type DomainEvents = CheckInEvents & GoalEvents & TaskEvents & MessageEvents;
export type DomainEventName = keyof DomainEvents;

/** Every name once; `satisfies` makes a name added to DomainEvents but missing here a compile error. */
const NAMES = {
  'checkin.due': true,
  'checkin.submitted': true,
  'checkin.missed': true,
  'checkin.feedback_added': true,
  'goal.status_changed': true,
  'goal.achieved': true,
  'task.overdue': true,
  'nudge.sent': true,
  'report.ready': true,
} as const satisfies Record<DomainEventName, true>;
export const DOMAIN_EVENT_NAMES = Object.keys(NAMES) as DomainEventName[];

/** One stored event as subscribers receive it. */
export interface RecordedEvent<N extends DomainEventName = DomainEventName> {
  id: string;
  name: N;
  payload: DomainEvents[N];
  occurredAt: Date;
}

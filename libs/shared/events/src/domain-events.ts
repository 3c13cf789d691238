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

/** supporters: people a client invited to follow the goals they share with them. */
export type SupporterEvents = Events<{
  'supporter.encouraged': {
    encouragementId: string;
    supporterId: string;
    clientId: string;
    /** The shared goal it is about, if any. */
    goalId: string | null;
  };
}>;

/** privacy: a client's data was erased; partners holding copies erase theirs (the id is all that is left). */
export type PrivacyEvents = Events<{
  'client.erased': { clientId: string };
}>;

export type DomainEvents = CheckInEvents & GoalEvents & TaskEvents & MessageEvents & SupporterEvents & PrivacyEvents;
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
  'supporter.encouraged': true,
  'client.erased': true,
} as const satisfies Record<DomainEventName, true>;
export const DOMAIN_EVENT_NAMES = Object.keys(NAMES) as DomainEventName[];

/** A message's entry in the recipient's in-app feed, as its sender wrote it (IN_APP channel). */
export interface FeedEntry {
  recipientUserId: string;
  title: string;
  body: string | null;
  /** The client it is about. */
  clientId: string | null;
}

/**
 * What subscribers in this process may need beyond the payload, by event: never stored, never sent. The payload is
 * a public contract (webhook receivers see it, and a field once there stays), so content (feedback text, message
 * bodies) and presentation (template names) ride here instead, and can change without telling anyone outside.
 */
export interface DomainEventDetails {
  'checkin.due': { templateName: string };
  'checkin.missed': { templateName: string };
  /** Why answers bound to goal measures were not recorded as progress. */
  'checkin.submitted': { progressIssues: readonly string[] };
  'checkin.feedback_added': { body: string };
  /** None: the sender skipped the feed (the recipient opted out, or has no account yet). */
  'nudge.sent': { feed: FeedEntry | null };
  'report.ready': { feed: FeedEntry | null };
  /** The message and who sent it, for the client's feed; webhook receivers fetch nothing of it (ids only). */
  'supporter.encouraged': { body: string; supporterName: string };
}
export type DetailsOf<N extends DomainEventName> = N extends keyof DomainEventDetails
  ? DomainEventDetails[N]
  : undefined;

/** What an emitter adds to an event beyond its payload; required for events that have details. */
export type EventExtra<N extends DomainEventName> = {
  /**
   * False: for subscribers in this process only, nothing leaves Cairn (webhooks skip it); e.g. a message whose
   * sender skipped the WEBHOOK channel but still shows it in the feed. Default true.
   */
  outward?: boolean;
} & (N extends keyof DomainEventDetails ? { details: DomainEventDetails[N] } : { details?: undefined });

/** One stored event as subscribers receive it. */
export interface RecordedEvent<N extends DomainEventName = DomainEventName> {
  id: string;
  name: N;
  payload: DomainEvents[N];
  occurredAt: Date;
  details: DetailsOf<N>;
  outward: boolean;
}

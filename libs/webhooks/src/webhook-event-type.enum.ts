import { registerEnumType } from '@nestjs/graphql';
import type { DomainEventName } from '#cairn/shared/events';

/**
 * Events an endpoint can subscribe to. GraphQL shows the keys (GOAL_STATUS_CHANGED); the values are the wire
 * names receivers see in `Cairn-Event-Type` and the body's `type`, and what the database stores.
 */
export enum WebhookEventType {
  CHECKIN_DUE = 'checkin.due',
  CHECKIN_SUBMITTED = 'checkin.submitted',
  CHECKIN_MISSED = 'checkin.missed',
  CHECKIN_FEEDBACK_ADDED = 'checkin.feedback_added',
  GOAL_STATUS_CHANGED = 'goal.status_changed',
  GOAL_ACHIEVED = 'goal.achieved',
  TASK_OVERDUE = 'task.overdue',
  NUDGE_SENT = 'nudge.sent',
  REPORT_READY = 'report.ready',
  SUPPORTER_ENCOURAGED = 'supporter.encouraged',
  CLIENT_ERASED = 'client.erased',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    'An event type; receivers see its wire name, e.g. GOAL_STATUS_CHANGED is `goal.status_changed`.',
});

export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile unless the values are exactly the contract's event names: every new event is subscribable. */
export const WEBHOOK_EVENT_TYPES_ARE_DOMAIN_EVENTS: Same<`${WebhookEventType}`, DomainEventName> = true;

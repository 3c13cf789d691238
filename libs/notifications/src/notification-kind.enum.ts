import { registerEnumType } from '@nestjs/graphql';

/** What a notification is about. The database CHECK lists the same values: a new kind needs a migration. */
export enum NotificationKind {
  CHECKIN_DUE = 'CHECKIN_DUE',
  CHECKIN_FEEDBACK_ADDED = 'CHECKIN_FEEDBACK_ADDED',
  CHECKIN_SUBMITTED = 'CHECKIN_SUBMITTED',
  CHECKIN_MISSED = 'CHECKIN_MISSED',
  NUDGE = 'NUDGE',
  REPORT_READY = 'REPORT_READY',
  SUPPORTER_ENCOURAGEMENT = 'SUPPORTER_ENCOURAGEMENT',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description:
    'What a notification is about; more kinds will be added, so clients should tolerate unknown ones.',
  valuesMap: {
    CHECKIN_DUE: { description: 'A check-in of yours opened and is waiting for your answers.' },
    CHECKIN_FEEDBACK_ADDED: { description: 'Your coach left feedback on one of your check-ins.' },
    CHECKIN_SUBMITTED: { description: 'A client you coach submitted a check-in.' },
    CHECKIN_MISSED: { description: 'A check-in closed without answers.' },
    NUDGE: { description: 'A gentle push about what is due, slipping or worth celebrating (one per message).' },
    REPORT_READY: { description: 'Your progress report on your clients is ready.' },
    SUPPORTER_ENCOURAGEMENT: { description: 'One of your supporters sent you encouragement.' },
  },
});

export const NOTIFICATION_KINDS = Object.values(NotificationKind);

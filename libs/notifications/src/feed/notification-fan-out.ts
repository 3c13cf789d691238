import { Injectable } from '@nestjs/common';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import { localMoment } from '#cairn/shared/calendar';
import type { TenantTransaction } from '#cairn/shared/database';
import {
  type DomainEventName,
  type EventSubscriber,
  type RecordedEvent,
  SubscribesTo,
} from '#cairn/shared/events';
import { NotificationKind } from '../notification-kind.enum.js';
import { type NoticeInput, NotificationService } from './notification.service.js';

const SUBSCRIBED = [
  'checkin.due',
  'checkin.missed',
  'checkin.submitted',
  'checkin.feedback_added',
  'nudge.sent',
  'report.ready',
  'supporter.encouraged',
] as const satisfies readonly DomainEventName[];
type Subscribed = (typeof SUBSCRIBED)[number];
type Composer<N extends Subscribed> = (tx: TenantTransaction, events: readonly RecordedEvent<N>[]) => Promise<NoticeInput[]>;

const TITLE_MAX = 200;
const BODY_MAX = 2000;

/**
 * The feed's subscription to domain events: who hears about what, and in which words. Written in the emitting
 * transaction (the rows commit or roll back with the change) and published live after commit. Recipients are
 * looked up here (a client's active coaches), so emitting domains never name them; a dedupe key per event keeps
 * a re-run from notifying twice.
 */
@SubscribesTo(SUBSCRIBED)
@Injectable()
export class NotificationFanOut implements EventSubscriber {
  constructor(
    private readonly notifications: NotificationService,
    private readonly caseload: CaseloadAccess,
  ) {}

  private readonly composers: { [N in Subscribed]: Composer<N> } = {
    'checkin.due': (tx, events) => this.checkInsDue(tx, events),
    'checkin.missed': (tx, events) => this.checkInsMissed(tx, events),
    'checkin.submitted': (tx, events) => this.checkInsSubmitted(tx, events),
    'checkin.feedback_added': async (_tx, events) =>
      events.map(({ payload, details }) => ({
        recipientUserId: payload.clientId,
        kind: NotificationKind.CHECKIN_FEEDBACK_ADDED,
        title: 'Your coach left feedback on your check-in',
        body: preview(details.body),
        clientId: payload.clientId,
        checkInId: payload.checkInId,
        dedupeKey: `checkin-feedback:${payload.feedbackId}`,
      })),
    'nudge.sent': async (_tx, events) => messageNotices(NotificationKind.NUDGE, events),
    'report.ready': async (_tx, events) => messageNotices(NotificationKind.REPORT_READY, events),
    'supporter.encouraged': async (_tx, events) =>
      events.map(({ payload, details }) => ({
        recipientUserId: payload.clientId,
        kind: NotificationKind.SUPPORTER_ENCOURAGEMENT,
        title: `${details.supporterName} sent you encouragement`.slice(0, TITLE_MAX),
        body: details.body.slice(0, BODY_MAX),
        clientId: payload.clientId,
        dedupeKey: `supporter-encouragement:${payload.encouragementId}`,
      })),
  };

  async onEvents<N extends DomainEventName>(
    tx: TenantTransaction,
    name: N,
    events: readonly RecordedEvent<N>[],
  ): Promise<void> {
    const compose = this.composers[name as Subscribed] as unknown as Composer<Subscribed>;
    await this.notifications.notify(tx, await compose(tx, events as readonly RecordedEvent<Subscribed>[]));
  }

  private async checkInsDue(tx: TenantTransaction, events: readonly RecordedEvent<'checkin.due'>[]) {
    const clients = await this.clientsById(tx, events.map((e) => e.payload.clientId));
    return events.map(({ payload, details }) => ({
      recipientUserId: payload.clientId,
      kind: NotificationKind.CHECKIN_DUE,
      title: `“${details.templateName}” is ready for you`,
      body: `Please answer by ${localTime(payload.closesAt, clients.get(payload.clientId))}.`,
      clientId: payload.clientId,
      checkInId: payload.checkInId,
      dedupeKey: `checkin-due:${payload.checkInId}`,
    }));
  }

  private async checkInsMissed(tx: TenantTransaction, events: readonly RecordedEvent<'checkin.missed'>[]) {
    const clientIds = events.map((e) => e.payload.clientId);
    const coaches = await this.caseload.activeCoachesOf(tx, unique(clientIds));
    const clients = await this.clientsById(tx, clientIds);
    return events.flatMap(({ payload, details }) => {
      const client = clients.get(payload.clientId);
      return (coaches.get(payload.clientId) ?? []).map((coachId) => ({
        recipientUserId: coachId,
        kind: NotificationKind.CHECKIN_MISSED,
        title: `${client?.displayName ?? 'A client'} missed “${details.templateName}”`,
        body: `It was open until ${localTime(payload.closesAt, client)}. A late answer is still accepted.`,
        clientId: payload.clientId,
        checkInId: payload.checkInId,
        dedupeKey: `checkin-missed:${payload.checkInId}`,
      }));
    });
  }

  /** Amendments too, saying so. */
  private async checkInsSubmitted(tx: TenantTransaction, events: readonly RecordedEvent<'checkin.submitted'>[]) {
    const clientIds = events.map((e) => e.payload.clientId);
    const coaches = await this.caseload.activeCoachesOf(tx, unique(clientIds));
    const clients = await this.clientsById(tx, clientIds);
    return events.flatMap(({ payload, details }) => {
      const name = clients.get(payload.clientId)?.displayName ?? 'Your client';
      const answered = payload.amendsSubmissionId !== null ? 'amended' : 'answered';
      const issues = details.progressIssues;
      return (coaches.get(payload.clientId) ?? []).map((coachId) => ({
        recipientUserId: coachId,
        kind: NotificationKind.CHECKIN_SUBMITTED,
        title: `${name} ${answered} a check-in${payload.late ? ' (late)' : ''}`,
        body: issues.length ? `Not recorded as progress: ${issues.join('; ')}` : null,
        clientId: payload.clientId,
        checkInId: payload.checkInId,
        dedupeKey: `checkin-submission:${payload.submissionId}`,
      }));
    });
  }

  private async clientsById(tx: TenantTransaction, ids: string[]): Promise<Map<string, ClientRef>> {
    const refs = await this.caseload.clientRefs(tx, { kind: 'firm' }, unique(ids));
    return new Map(refs.map((c) => [c.id, c]));
  }
}

/** The feed entry its sender wrote, if it asked for one (the message's IN_APP channel). */
function messageNotices(
  kind: NotificationKind,
  events: readonly RecordedEvent<'nudge.sent' | 'report.ready'>[],
): NoticeInput[] {
  return events.flatMap(({ payload, details: { feed } }) =>
    feed
      ? [
          {
            recipientUserId: feed.recipientUserId,
            kind,
            title: feed.title.slice(0, TITLE_MAX),
            body: feed.body?.slice(0, BODY_MAX) ?? null,
            clientId: feed.clientId,
            dedupeKey: `message:${payload.messageId}`,
          },
        ]
      : [],
  );
}

const unique = (ids: string[]) => [...new Set(ids)];

/** When the client reads it, in their zone. */
function localTime(instant: string, client: ClientRef | undefined): string {
  return localMoment(new Date(instant), client?.timezone ?? 'UTC');
}

/** The first 200 characters, for the feed; the full text is on the check-in. */
function preview(body: string): string {
  return body.length <= 200 ? body : `${body.slice(0, 199)}…`;
}

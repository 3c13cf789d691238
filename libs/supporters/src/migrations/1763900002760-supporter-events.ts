import { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen here, as in the earlier migrations: the full lists as of this migration.
const EVENTS_BEFORE = [
  'checkin.due',
  'checkin.submitted',
  'checkin.missed',
  'checkin.feedback_added',
  'goal.status_changed',
  'goal.achieved',
  'task.overdue',
  'nudge.sent',
  'report.ready',
];
const EVENTS = [...EVENTS_BEFORE, 'supporter.encouraged'];
const KINDS_BEFORE = ['CHECKIN_DUE', 'CHECKIN_FEEDBACK_ADDED', 'CHECKIN_SUBMITTED', 'CHECKIN_MISSED', 'NUDGE', 'REPORT_READY'];
const KINDS = [...KINDS_BEFORE, 'SUPPORTER_ENCOURAGEMENT'];

const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** `supporter.encouraged` joins the outbox and webhook subscriptions; its feed entry gets a kind of its own. */
export class SupporterEvents1763900002760 implements MigrationInterface {
  name = 'SupporterEvents1763900002760';

  async up(q: QueryRunner): Promise<void> {
    await this.allow(q, EVENTS, KINDS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind = 'SUPPORTER_ENCOURAGEMENT'`);
    await q.query(`UPDATE webhook_endpoints SET event_types = array_remove(event_types, 'supporter.encouraged')`);
    await q.query(`DELETE FROM domain_events WHERE type = 'supporter.encouraged'`);
    await this.allow(q, EVENTS_BEFORE, KINDS_BEFORE);
  }

  private async allow(q: QueryRunner, events: string[], kinds: string[]): Promise<void> {
    await q.query(`ALTER TABLE domain_events DROP CONSTRAINT domain_events_type_check,
      ADD CONSTRAINT domain_events_type_check CHECK (type IN (${quoted(events)}))`);
    await q.query(`ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_event_types_check,
      ADD CONSTRAINT webhook_endpoints_event_types_check
        CHECK (cardinality(event_types) > 0 AND event_types <@ ARRAY[${quoted(events)}])`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
      ADD CONSTRAINT notifications_kind_check CHECK (kind IN (${quoted(kinds)}))`);
  }
}

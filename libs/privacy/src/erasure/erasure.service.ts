import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type RawBuilder, sql } from 'kysely';
import { AuditAction, AuditSubjectType, AuditTrail, auditActorOf } from '#cairn/shared/audit';
import type { Principal } from '#cairn/shared/auth';
import { AfterCommit, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { EventOutbox } from '#cairn/shared/events';
import { QueueName } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import { PrivacyErrors } from '../privacy.errors.js';
import { addOrRetry, type EraseJobData, eraseJob } from '../privacy-jobs.js';
import { ERASURE_STEPS, type ErasureStep, type ErasureSubject } from './erasure-plan.js';
import { ClientErasure, ErasureStatus } from './erasure.model.js';
import { htmlEscaped, jsonEscaped, wholeWordSql } from './needles.js';
import { RedisScrubber } from './redis-scrubber.js';

const ENQUEUE = Symbol('privacy:erase-client');
/** What stands in for the person in rows kept for others. */
export const REDACTED = '[erased client]';

interface ErasureRow {
  id: string;
  clientId: string;
  status: string;
  step: number;
  createdAt: Date;
  completedAt: Date | null;
}

const ERASURE_COLUMNS = [
  'id',
  'client_id as clientId',
  'status',
  'step',
  'created_at as createdAt',
  'completed_at as completedAt',
] as const;

function viewOf(row: ErasureRow): ClientErasure {
  const done = row.status === ErasureStatus.DONE;
  return {
    id: row.id,
    clientId: row.clientId,
    status: row.status as ErasureStatus,
    stepsDone: row.step,
    stepsTotal: ERASURE_STEPS.length,
    nextStep: done ? null : (ERASURE_STEPS[row.step] ?? null),
    requestedAt: row.createdAt,
    completedAt: row.completedAt,
  };
}

/**
 * Erasing a client: a request row (ids and progress only) and a worker job that runs ERASURE_STEPS from the
 * recorded step. The request is idempotent: asking again returns the same row (and wakes a stalled job).
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Privacy');

  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly outbox: EventOutbox,
    private readonly afterCommit: AfterCommit,
    private readonly scrubber: RedisScrubber,
    @InjectQueue(QueueName.PRIVACY) private readonly queue: Queue,
  ) {}

  async request(principal: Principal, clientId: string, confirmation: string): Promise<ClientErasure> {
    const tenantId = RequestContext.requireTenantId();
    const row = await this.tenantDb.transaction(async (tx) => {
      const existing = await this.find(tx, clientId);
      if (existing) {
        this.enqueue(tx, tenantId, existing);
        return existing;
      }
      const client = await tx.db
        .selectFrom('users')
        .select(['email'])
        .where('id', '=', clientId)
        .where('role', '=', 'CLIENT')
        .executeTakeFirst();
      if (!client) throw PrivacyErrors.clientNotFound();
      if (confirmation.trim().toLowerCase() !== client.email.toLowerCase()) throw PrivacyErrors.badConfirmation();
      const inserted = await tx.db
        .insertInto('erasure_requests')
        .values({ client_id: clientId, requested_by_user_id: principal.userId ?? null })
        .onConflict((oc) => oc.columns(['tenant_id', 'client_id']).doNothing())
        .returning(ERASURE_COLUMNS)
        .executeTakeFirst();
      // The one request that created the erasure records it; a concurrent one returns the same erasure.
      if (inserted) {
        await AuditTrail.record(tx, {
          action: AuditAction.CLIENT_ERASED,
          actor: auditActorOf(principal),
          subject: { type: AuditSubjectType.USER, id: clientId },
          details: { erasureId: inserted.id },
        });
      }
      const created = inserted ?? (await this.find(tx, clientId));
      if (!created) throw new Error('Erasure request vanished');
      this.enqueue(tx, tenantId, created);
      return created;
    });
    return viewOf(row);
  }

  async status(clientId: string): Promise<ClientErasure | null> {
    const row = await this.tenantDb.read((tx) => this.find(tx, clientId));
    return row ? viewOf(row) : null;
  }

  /**
   * The job: every step from the recorded one. A database step commits with the step counter, under a lock on
   * the request, so two runs at once do each step once; the Redis step runs outside and is safe to repeat.
   */
  async run(data: EraseJobData): Promise<ClientErasure> {
    return RequestContext.runAs({ tenantId: data.tenantId }, async () => {
      for (;;) {
        const current = await this.tenantDb.read((tx) => this.byId(tx, data.erasureId));
        if (!current) throw new Error(`Erasure ${data.erasureId} not found`);
        if (current.status === ErasureStatus.DONE) return viewOf(current);
        const step = ERASURE_STEPS[current.step];
        if (step === 'redis') {
          const subject = await this.tenantDb.read((tx) => this.subjectOf(tx, current.clientId));
          if (subject) await this.scrubber.scrub([subject.clientId, subject.email, subject.displayName]);
        }
        await this.tenantDb.transaction(async (tx) => {
          const locked = await tx.db
            .selectFrom('erasure_requests')
            .select(ERASURE_COLUMNS)
            .where('id', '=', data.erasureId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          // Another run did this step while we waited for the lock.
          if (locked.step !== current.step || locked.status === ErasureStatus.DONE) return;
          if (step !== 'redis') {
            const subject = await this.subjectOf(tx, locked.clientId);
            // No person left before the last step is done: only a step that already deleted them could have.
            if (subject) await this.runStep(tx, step, subject);
            else if (step === 'person') await this.announce(tx, locked.clientId);
          }
          const last = locked.step + 1 === ERASURE_STEPS.length;
          await tx.db
            .updateTable('erasure_requests')
            .set({
              step: locked.step + 1,
              status: last ? ErasureStatus.DONE : ErasureStatus.RUNNING,
              updated_at: sql<Date>`clock_timestamp()`,
              completed_at: last ? sql<Date>`clock_timestamp()` : null,
            })
            .where('id', '=', data.erasureId)
            .execute();
        });
      }
    });
  }

  /** One database step; public so a test can fail one between two others. */
  async runStep(tx: TenantTransaction, step: Exclude<ErasureStep, 'redis'>, subject: ErasureSubject): Promise<void> {
    const { clientId } = subject;
    switch (step) {
      case 'block-access':
        await tx.db.updateTable('users').set({ status: 'DEACTIVATED' }).where('id', '=', clientId).execute();
        await tx.db.deleteFrom('refresh_tokens').where('user_id', '=', clientId).execute();
        await tx.db.deleteFrom('calendar_feeds').where('user_id', '=', clientId).execute();
        await tx.db
          .deleteFrom('supporter_sessions')
          .where('supporter_id', 'in', (eb) => eb.selectFrom('supporters').select('id').where('client_id', '=', clientId))
          .execute();
        await tx.db
          .deleteFrom('supporter_links')
          .where('supporter_id', 'in', (eb) => eb.selectFrom('supporters').select('id').where('client_id', '=', clientId))
          .execute();
        return;
      case 'redact-shared':
        return this.redactShared(tx, subject);
      case 'outbox':
        // Payloads are ids and scalars: an event about the client names their id (clientId, or another key).
        await tx.db
          .deleteFrom('domain_events')
          .where(sql<string>`payload::text`, 'like', `%${clientId}%`)
          .where('type', '<>', 'client.erased')
          .execute();
        return;
      case 'messages': {
        const email = subject.email.toLowerCase();
        await tx.db
          .deleteFrom('messages')
          .where((eb) =>
            eb.or([
              eb('recipient_user_id', '=', clientId),
              eb(sql<string>`lower(recipient_email)`, '=', email),
              eb('list_member_id', 'in', eb.selectFrom('supporters').select('id').where('client_id', '=', clientId)),
              eb(
                sql<string>`lower(recipient_email)`,
                'in',
                eb.selectFrom('supporters').select(sql<string>`lower(email)`.as('email')).where('client_id', '=', clientId),
              ),
            ]),
          )
          .execute();
        await tx.db.deleteFrom('invitations').where(sql<string>`lower(email)`, '=', email).execute();
        return;
      }
      case 'person':
        // Goals and supporters first: rows two cascades away (progress, revisions, shares) also name the person
        // in keys without a cascade, which PostgreSQL checks before the deeper cascade has removed them.
        await tx.db.deleteFrom('goals').where('client_id', '=', clientId).execute();
        await tx.db.deleteFrom('supporters').where('client_id', '=', clientId).execute();
        await tx.db.deleteFrom('users').where('id', '=', clientId).where('role', '=', 'CLIENT').execute();
        await this.announce(tx, clientId);
        return;
    }
  }

  /** Rows that stay for others lose every spelling of the name and email; their figures stay as they were. */
  private async redactShared(tx: TenantTransaction, subject: ErasureSubject): Promise<void> {
    const needles = [...new Set([subject.displayName, subject.email, htmlEscaped(subject.displayName), htmlEscaped(subject.email)])]
      .filter((n) => n.trim().length > 0);
    const redact = (column: RawBuilder<string> | string, forms: string[]): RawBuilder<string> =>
      forms.reduce<RawBuilder<string>>(
        (text, needle) => sql<string>`regexp_replace(${text}, ${wholeWordSql(needle)}, ${REDACTED}, 'gi')`,
        typeof column === 'string' ? sql<string>`${sql.ref(column)}` : column,
      );
    const mentions = (column: string, forms: string[]) =>
      sql<boolean>`(${sql.join(forms.map((n) => sql`${sql.ref(column)} ~* ${wholeWordSql(n)}`), sql` OR `)})`;

    await tx.db
      .updateTable('coach_reports')
      .set({ data: sql`${redact(sql<string>`data::text`, needles.map(jsonEscaped))}::jsonb` })
      .where(sql<boolean>`(${sql.join(needles.map((n) => sql`data::text ~* ${wholeWordSql(jsonEscaped(n))}`), sql` OR `)})`)
      .execute();
    await tx.db
      .updateTable('messages')
      .set({
        subject: redact('subject', needles),
        text_body: redact('text_body', needles),
        html_body: sql<string | null>`CASE WHEN html_body IS NULL THEN NULL ELSE ${redact('html_body', needles)} END`,
      })
      .where((eb) => eb.or([mentions('subject', needles), mentions('text_body', needles), mentions('html_body', needles)]))
      .execute();
    await tx.db
      .updateTable('notifications')
      .set({
        title: redact('title', needles),
        body: sql<string | null>`CASE WHEN body IS NULL THEN NULL ELSE ${redact('body', needles)} END`,
      })
      .where((eb) => eb.or([mentions('title', needles), mentions('body', needles)]))
      .execute();
  }

  private async announce(tx: TenantTransaction, clientId: string): Promise<void> {
    const already = await tx.db
      .selectFrom('domain_events')
      .select('id')
      .where('type', '=', 'client.erased')
      .where(sql<string>`payload->>'clientId'`, '=', clientId)
      .executeTakeFirst();
    if (!already) await this.outbox.emit(tx, 'client.erased', { clientId });
  }

  private subjectOf(tx: TenantTransaction, clientId: string): Promise<ErasureSubject | undefined> {
    return tx.db
      .selectFrom('users')
      .select(['id as clientId', 'tenant_id as tenantId', 'display_name as displayName', 'email'])
      .where('id', '=', clientId)
      .where('role', '=', 'CLIENT')
      .executeTakeFirst();
  }

  private find(tx: TenantTransaction, clientId: string): Promise<ErasureRow | undefined> {
    return tx.db.selectFrom('erasure_requests').select(ERASURE_COLUMNS).where('client_id', '=', clientId).executeTakeFirst();
  }

  private byId(tx: TenantTransaction, id: string): Promise<ErasureRow | undefined> {
    return tx.db.selectFrom('erasure_requests').select(ERASURE_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** After commit; a job left failed by earlier attempts is retried, so asking again resumes a stuck erasure. */
  private enqueue(tx: TenantTransaction, tenantId: string, row: ErasureRow): void {
    if (row.status === ErasureStatus.DONE) return;
    this.afterCommit.collect(tx, ENQUEUE, [eraseJob({ tenantId, erasureId: row.id })], (jobs) => {
      addOrRetry(this.queue, jobs).catch((error: Error) =>
        this.logger.warn(`Erasure not queued (the privacy sweep queues it): ${error.message}`),
      );
    });
  }
}

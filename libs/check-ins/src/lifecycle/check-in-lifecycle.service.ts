import { Injectable } from '@nestjs/common';
import { type Expression, type ExpressionBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import { type DB, SystemDatabase, TenantDatabase, type TenantDB, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { EventOutbox } from '#cairn/shared/events';
import { AssignmentStatus } from '../assignments/checkin-assignment.entity.js';
import { selectAssignments, toAssignment } from '../assignments/checkin-assignment.rows.js';
import { CheckInAssignmentService } from '../assignments/checkin-assignment.service.js';
import { MATERIALIZE_AHEAD_DAYS } from '../assignments/checkin-schedule.js';
import { CheckInStatus } from '../occurrences/check-in.entity.js';

const DAY = 86_400_000;
/** Rows per statement; a tenant with more simply takes several batches in the same run. */
const BATCH = 200;
/** An assignment is topped up once less than this much of its horizon is left: about once a day. */
const TOP_UP_BEFORE_DAYS = MATERIALIZE_AHEAD_DAYS - 1;
/**
 * The client's effective zone is not the one the assignment was planned in: a change the API did not re-plan
 * (a firm default changed by hand, a zone edited in the database) is caught by the next sweep.
 */
const ZONE_DRIFTED = `a.planned_zone IS DISTINCT FROM (SELECT COALESCE(u.timezone, t.default_timezone)
  FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = a.tenant_id AND u.id = a.client_id)`;

type CheckInFilter = ExpressionBuilder<DB | TenantDB, 'check_ins'>;

/** PENDING check-ins whose window has closed. */
const dueToMiss = (eb: CheckInFilter, now: Date) =>
  eb.and([eb('status', '=', CheckInStatus.PENDING), eb('closes_at', '<=', now)]);

/** PENDING check-ins open now and not yet announced. */
const dueToAnnounce = (eb: CheckInFilter, now: Date) =>
  eb.and([
    eb('status', '=', CheckInStatus.PENDING),
    eb('announced_at', 'is', null),
    eb('opens_at', '<=', now),
    eb('closes_at', '>', now),
  ]);

interface Transitioned {
  id: string;
  client_id: string;
  assignment_id: string;
  opens_at: Date;
  closes_at: Date;
  template_name: string;
}

export interface TenantSweepResult {
  materialized: number;
  missed: number;
  announced: number;
}

/**
 * The worker's side of check-ins, one tenant at a time: materialize occurrences ahead, mark those whose window
 * passed unanswered MISSED, and announce those that opened (`checkin.due`). Each step is a state change made
 * together with its events, and so with what their subscribers write (feed entries, webhook deliveries); only rows
 * still in the old state qualify, so a re-run, a retried job or a second replica finds nothing left to do:
 * nothing is announced twice, nothing is skipped.
 */
@Injectable()
export class CheckInLifecycleService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly assignments: CheckInAssignmentService,
    private readonly outbox: EventOutbox,
  ) {}

  /** Tenants with check-in work due now; cross-tenant, so it reads as the owner role. */
  async tenantsWithWork(now = new Date()): Promise<string[]> {
    const bound = new Date(now.getTime() + TOP_UP_BEFORE_DAYS * DAY);
    const rows = await this.systemDb.transaction((_manager, db) =>
      db
        .selectFrom('check_ins')
        .select('tenant_id')
        .where((eb) => dueToMiss(eb, now))
        .union(db.selectFrom('check_ins').select('tenant_id').where((eb) => dueToAnnounce(eb, now)))
        .union(
          db
            .selectFrom('checkin_assignments as a')
            .select('a.tenant_id')
            .where('a.status', '=', AssignmentStatus.ACTIVE)
            .where((eb) =>
              eb.or([
                eb('a.materialized_through', 'is', null),
                eb('a.materialized_through', '<', bound),
                sql<boolean>`${sql.raw(ZONE_DRIFTED)}`,
              ]),
            ),
        )
        .execute(),
    );
    return rows.map((r) => r.tenant_id);
  }

  sweepTenant(tenantId: string, now = new Date()): Promise<TenantSweepResult> {
    return RequestContext.runAs({ tenantId }, async () => ({
      materialized: await this.drain(() => this.topUpAssignments(now)),
      missed: await this.drain(() => this.markMissed(now)),
      announced: await this.drain(() => this.announceOpened(now)),
    }));
  }

  /** Runs `batch` until a batch comes back short; returns the total. */
  private async drain(batch: () => Promise<{ rows: number; done: boolean }>): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows, done } = await batch();
      total += rows;
      if (done) return total;
    }
  }

  /** Assignments whose horizon is getting close, or whose zone drifted, are (re-)planned; returns check-ins created. */
  private topUpAssignments(now: Date): Promise<{ rows: number; done: boolean }> {
    return this.tenantDb.transaction(async (tx) => {
      const bound = new Date(now.getTime() + TOP_UP_BEFORE_DAYS * DAY);
      const due = (
        await selectAssignments(tx.db)
          .where('a.status', '=', AssignmentStatus.ACTIVE)
          .where((eb) =>
            eb.or([
              eb('a.materialized_through', 'is', null),
              eb('a.materialized_through', '<', bound),
              sql<boolean>`${sql.raw(ZONE_DRIFTED)}`,
            ]),
          )
          .orderBy('a.materialized_through', (ob) => ob.asc().nullsFirst())
          .orderBy('a.id')
          .limit(BATCH)
          .forUpdate()
          .skipLocked()
          .execute()
      ).map(toAssignment);
      const created = await this.assignments.planAll(tx, due, now);
      return { rows: created, done: due.length < BATCH };
    });
  }

  private markMissed(now: Date): Promise<{ rows: number; done: boolean }> {
    return this.tenantDb.transaction(async (tx) => {
      const missed = await this.transition(tx, (eb) => dueToMiss(eb, now), {
        status: CheckInStatus.MISSED,
        missed_at: now,
      });
      await this.outbox.emitMany(tx, 'checkin.missed', missed.map(eventOf), now, missed.map(detailsOf));
      return { rows: missed.length, done: missed.length < BATCH };
    });
  }

  /** Check-ins that are open now and not yet announced; ones that closed unseen were marked MISSED just before. */
  private announceOpened(now: Date): Promise<{ rows: number; done: boolean }> {
    return this.tenantDb.transaction(async (tx) => {
      const opened = await this.transition(tx, (eb) => dueToAnnounce(eb, now), { announced_at: now });
      await this.outbox.emitMany(tx, 'checkin.due', opened.map(eventOf), now, opened.map(detailsOf));
      return { rows: opened.length, done: opened.length < BATCH };
    });
  }

  /** Applies `set` to up to BATCH check-ins matching `where`, skipping rows another transaction holds. */
  private transition(
    tx: TenantTransaction,
    where: (eb: ExpressionBuilder<TenantDB, 'check_ins'>) => Expression<SqlBool>,
    set: Updateable<TenantDB['check_ins']>,
  ): Promise<Transitioned[]> {
    return tx.db
      .with('picked', (db) =>
        db
          .selectFrom('check_ins')
          .select('id')
          .where(where)
          .orderBy('opens_at')
          .orderBy('id')
          .limit(BATCH)
          .forUpdate()
          .skipLocked(),
      )
      .with('changed', (db) =>
        db
          .updateTable('check_ins as c')
          .set(set)
          .from('picked')
          .whereRef('c.id', '=', 'picked.id')
          .returning(['c.id', 'c.client_id', 'c.assignment_id', 'c.opens_at', 'c.closes_at', 'c.template_version_id']),
      )
      .selectFrom('changed')
      .innerJoin('checkin_template_versions as v', 'v.id', 'changed.template_version_id')
      .innerJoin('checkin_templates as t', 't.id', 'v.template_id')
      .select([
        'changed.id',
        'changed.client_id',
        'changed.assignment_id',
        'changed.opens_at',
        'changed.closes_at',
        't.name as template_name',
      ])
      .orderBy('changed.opens_at')
      .orderBy('changed.id')
      .execute();
  }
}

function eventOf(checkIn: Transitioned) {
  return {
    checkInId: checkIn.id,
    clientId: checkIn.client_id,
    assignmentId: checkIn.assignment_id,
    opensAt: new Date(checkIn.opens_at).toISOString(),
    closesAt: new Date(checkIn.closes_at).toISOString(),
  };
}

function detailsOf(checkIn: Transitioned) {
  return { details: { templateName: checkIn.template_name } };
}

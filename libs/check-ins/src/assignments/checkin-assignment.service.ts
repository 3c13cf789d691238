import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { In } from 'typeorm';
import { CaseloadAccess } from '#cairn/clients';
import { Goal, GoalMeasure, GoalVisibility } from '#cairn/goals';
import { type Principal } from '#cairn/shared/auth';
import { type ZoneChange, ZoneChanges } from '#cairn/identity';
import { type ZonedOccurrence } from '#cairn/shared/calendar';
import { anyOf, isUniqueViolation, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError } from '#cairn/shared/graphql';
import { CheckInErrors } from '../check-ins.errors.js';
import { CheckInStatus } from '../occurrences/check-in.entity.js';
import { PromptType } from '../templates/checkin-prompt.model.js';
import { CheckInTemplateVersion } from '../templates/checkin-template-version.entity.js';
import { CheckInTemplate } from '../templates/checkin-template.entity.js';
import { AssignmentStatus, CheckInAssignment, type MeasureBinding } from './checkin-assignment.entity.js';
import { selectAssignments, toAssignment } from './checkin-assignment.rows.js';
import { checkSchedule, MATERIALIZE_AHEAD_DAYS, ScheduleError, scheduledOccurrences } from './checkin-schedule.js';
import { AssignCheckInInput, UpdateCheckInAssignmentInput } from './dto/assign-check-in.input.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

type AssignmentSchedule = Pick<CheckInAssignment, 'recurrence' | 'startsAt' | 'endsOn' | 'windowMinutes'>;

interface PlannedRow {
  id: string;
  slot: string;
  opens_at: Date;
  closes_at: Date;
  status: CheckInStatus;
  template_version_id: string;
}

/** The assignment is planned through `through` in `zone` (the sweep looks for assignments behind or drifted). */
async function setHorizon(tx: TenantTransaction, assignmentId: string, through: Date, zone: string | null): Promise<void> {
  await tx.db
    .updateTable('checkin_assignments')
    .set({ materialized_through: through, planned_zone: zone })
    .where('id', '=', assignmentId)
    .execute();
}

/** What a plan did: check-ins added, moved in place (same id), and withdrawn. */
export interface PlanOutcome {
  created: number;
  moved: number;
  withdrawn: number;
}
const badField = (field: string, message: string) => AppError.badInput(message, [{ field, messages: [message] }]);

/** Assigning templates to clients, and turning assignments into check-ins ahead of time. */
@Injectable()
export class CheckInAssignmentService implements OnModuleInit {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly zoneChanges: ZoneChanges,
    private readonly goalVisibility: GoalVisibility,
  ) {}

  assign(principal: Principal, input: AssignCheckInInput, now = new Date()): Promise<CheckInAssignment> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.editableClient(tx, principal, input.clientId);
      if (this.caseload.scopeOf(principal).kind === 'client') throw AppError.forbidden('Coaches assign check-ins');
      const template = await tx.repo(CheckInTemplate).findOne({ id: input.templateId });
      if (!template) throw CheckInErrors.templateNotFound();
      if (template.archivedAt) throw CheckInErrors.templateArchived();
      const version = (await tx
        .repo(CheckInTemplateVersion)
        .findOne({ templateId: template.id, version: template.currentVersion })) as CheckInTemplateVersion;

      const recurrence = this.checkedSchedule(
        { recurrence: input.recurrence ?? null, startsAt: input.startsAt, endsOn: input.endsOn ?? null, windowMinutes: input.windowMinutes },
        client.timezone,
        now,
      );
      const goalIds = [...new Set(input.goalIds ?? [])];
      if (goalIds.length) {
        const goals = await tx.repo(Goal).findBy({ id: In(goalIds), clientId: client.id });
        // A goal the client keeps from the caller is as unknown as another client's.
        if (goals.filter((g) => this.goalVisibility.admits(principal, g)).length !== goalIds.length)
          throw AppError.notFound('Goal');
      }
      const bindings = input.measureBindings ?? [];
      await this.checkBindings(tx, version, bindings, client.id, principal);
      const live = await tx.db
        .selectFrom('checkin_assignments')
        .select(sql.lit(1).as('one'))
        .where('client_id', '=', client.id)
        .where('template_id', '=', template.id)
        .where('status', '<>', AssignmentStatus.ENDED)
        .limit(1)
        .executeTakeFirst();
      if (live && !input.allowDuplicate) throw CheckInErrors.duplicateAssignment();

      const assignment = await tx.repo(CheckInAssignment).insert({
        clientId: client.id,
        templateId: template.id,
        status: AssignmentStatus.ACTIVE,
        recurrence,
        startsAt: input.startsAt,
        endsOn: input.endsOn ?? null,
        windowMinutes: input.windowMinutes,
        goalIds,
        measureBindings: bindings.map((b) => ({ promptKey: b.promptKey, measureId: b.measureId })),
        createdByUserId: principal.userId ?? null,
        allowsDuplicate: input.allowDuplicate,
        version: 1,
      }).catch((error: unknown) => {
        // A concurrent assign of the same template got there first.
        if (isUniqueViolation(error, 'checkin_assignments_one_live')) throw CheckInErrors.duplicateAssignment();
        throw error;
      });
      await this.plan(tx, assignment, client.timezone, now);
      return assignment;
    });
  }

  /** Pause, resume or end. Occurrences not yet open are withdrawn on pause and end; open ones stay answerable. */
  setStatus(principal: Principal, id: string, expectedVersion: number, status: AssignmentStatus, now = new Date()) {
    return this.tenantDb.transaction(async (tx) => {
      const { assignment, client } = await this.editableAssignment(tx, principal, id);
      await this.bumpVersion(tx, assignment, expectedVersion, { status });
      await this.plan(tx, assignment, client.timezone, now);
      return assignment;
    });
  }

  /**
   * Changes the schedule in place (cadence, start, end, window) or moves the occurrences not yet open to the
   * template's current version. Only PENDING occurrences that have not opened are re-planned.
   */
  update(principal: Principal, input: UpdateCheckInAssignmentInput, now = new Date()): Promise<CheckInAssignment> {
    return this.tenantDb.transaction(async (tx) => {
      const { assignment, client } = await this.editableAssignment(tx, principal, input.id);
      const schedule = {
        recurrence: input.recurrence === undefined ? assignment.recurrence : input.recurrence,
        startsAt: input.startsAt ?? assignment.startsAt,
        endsOn: input.endsOn === undefined ? assignment.endsOn : input.endsOn,
        windowMinutes: input.windowMinutes ?? assignment.windowMinutes,
      };
      if (!assignment.recurrence && schedule.recurrence) {
        throw badField('recurrence', 'A one-off check-in cannot become recurring; assign the template again instead');
      }
      if (assignment.recurrence && !schedule.recurrence) {
        throw badField('recurrence', 'A recurring check-in stays recurring; end it and assign a one-off instead');
      }
      schedule.recurrence = this.checkedSchedule(schedule, client.timezone, now);
      if (input.useCurrentTemplateVersion) {
        const template = (await tx.repo(CheckInTemplate).findOne({ id: assignment.templateId })) as CheckInTemplate;
        if (template.archivedAt) throw CheckInErrors.templateArchived();
        const version = (await tx
          .repo(CheckInTemplateVersion)
          .findOne({ templateId: template.id, version: template.currentVersion })) as CheckInTemplateVersion;
        await this.checkBindings(tx, version, assignment.measureBindings, client.id);
      }
      await this.bumpVersion(tx, assignment, input.expectedVersion, schedule);
      await this.plan(tx, assignment, client.timezone, now, { currentTemplateVersion: input.useCurrentTemplateVersion });
      return assignment;
    });
  }

  /**
   * Brings the assignment's check-ins in line with its schedule in `zone`, from now to its horizon, and is the
   * one way occurrences are made or re-planned (assigning, the worker's top-up, resuming, pausing, edits, zone
   * changes). Only PENDING check-ins that have not opened move: one whose slot is still planned keeps its slot,
   * one whose slot left the plan takes a new slot of the same local day, both keeping their ids (partners and
   * notifications refer to them); the rest are withdrawn and missing slots are added. SUBMITTED, MISSED, EXCUSED
   * and open ones are never touched, and a slot they hold is not planned again. Idempotent.
   */
  async plan(
    tx: TenantTransaction,
    assignment: CheckInAssignment,
    zone: string,
    now = new Date(),
    options: { currentTemplateVersion?: boolean } = {},
  ): Promise<PlanOutcome> {
    // Plans of one assignment run one at a time, each seeing the rows the previous one left.
    const locked = await tx.db
      .selectFrom('checkin_assignments')
      .select('materialized_through')
      .where('id', '=', assignment.id)
      .forUpdate()
      .executeTakeFirst();
    const horizon = new Date(now.getTime() + MATERIALIZE_AHEAD_DAYS * DAY);
    const through = new Date(Math.max(horizon.getTime(), locked?.materialized_through?.getTime() ?? 0));
    // A day already planned stays planned when a change pushes it just past the horizon (zones differ by under
    // two days); only days within the horizon are added.
    const reach = new Date(through.getTime() + 2 * DAY);
    const scheduled = assignment.status === AssignmentStatus.ACTIVE ? this.occurrences(assignment, zone, now, reach) : [];
    const existing: PlannedRow[] = (
      await tx.db
        .selectFrom('check_ins')
        .select(['id', 'slot', 'opens_at', 'closes_at', 'status', 'template_version_id'])
        .where('assignment_id', '=', assignment.id)
        .where((eb) =>
          eb.or([
            eb('slot', '=', anyOf(scheduled.map((o) => o.local), 'text')),
            eb.and([eb('status', '=', CheckInStatus.PENDING), eb('opens_at', '>', now)]),
          ]),
        )
        .forUpdate()
        .execute()
    ).map((row) => ({ ...row, status: row.status as CheckInStatus }));
    const plannedDays = new Set(existing.map((row) => row.slot.slice(0, 10)));
    const wanted = scheduled.filter((o) => o.instant < through || plannedDays.has(o.local.slice(0, 10)));
    const movable = (row: PlannedRow) => row.status === CheckInStatus.PENDING && row.opens_at > now;
    const held = new Set(existing.filter((row) => !movable(row)).map((row) => row.slot));
    const bySlot = new Map(existing.filter(movable).map((row) => [row.slot, row]));
    const pairs: Array<[PlannedRow, ZonedOccurrence]> = [];
    const unpaired: ZonedOccurrence[] = [];
    for (const occurrence of wanted.filter((o) => !held.has(o.local))) {
      const row = bySlot.get(occurrence.local);
      bySlot.delete(occurrence.local);
      if (row) pairs.push([row, occurrence]);
      else unpaired.push(occurrence);
    }
    const leftover = [...bySlot.values()];
    const added = unpaired.filter((occurrence) => {
      const sameDay = leftover.findIndex((row) => row.slot.slice(0, 10) === occurrence.local.slice(0, 10));
      if (sameDay < 0) return true;
      pairs.push([leftover.splice(sameDay, 1)[0], occurrence]);
      return false;
    });

    const versionId = await this.currentVersionId(tx, assignment.templateId);
    const window = assignment.windowMinutes * MINUTE;
    const moves = pairs.filter(
      ([row, o]) =>
        row.slot !== o.local ||
        row.opens_at.getTime() !== o.instant.getTime() ||
        row.closes_at.getTime() !== o.instant.getTime() + window ||
        (options.currentTemplateVersion && row.template_version_id !== versionId),
    );
    if (leftover.length > 0) {
      await tx.db
        .deleteFrom('check_ins')
        .where('id', '=', anyOf(leftover.map((row) => row.id), 'uuid'))
        .execute();
    }
    if (moves.length > 0) {
      const ids = moves.map(([row]) => row.id);
      const slots = moves.map(([, o]) => o.local);
      const instants = moves.map(([, o]) => o.instant);
      await tx.db
        .updateTable('check_ins as c')
        .from(
          sql<{ id: string; slot: string; opens_at: Date }>`unnest(${ids}::uuid[], ${slots}::text[], ${instants}::timestamptz[])`.as<'m'>(
            sql`m(id, slot, opens_at)`,
          ),
        )
        .set((eb) => ({
          slot: eb.ref('m.slot'),
          opens_at: eb.ref('m.opens_at'),
          closes_at: sql<Date>`m.opens_at + make_interval(mins => ${assignment.windowMinutes})`,
          ...(options.currentTemplateVersion ? { template_version_id: versionId } : {}),
        }))
        .whereRef('c.id', '=', 'm.id')
        .execute();
    }
    const slots = added.map((o) => o.local);
    const instants = added.map((o) => o.instant);
    const inserted = added.length
      ? await tx.db
          .insertInto('check_ins')
          .columns(['assignment_id', 'client_id', 'template_version_id', 'slot', 'opens_at', 'closes_at', 'status'])
          .expression((eb) =>
            eb
              .selectFrom(sql<{ s: string; o: Date }>`unnest(${slots}::text[], ${instants}::timestamptz[])`.as<'n'>(sql`n(s, o)`))
              .select([
                eb.val(assignment.id).as('assignment_id'),
                eb.val(assignment.clientId).as('client_id'),
                eb.val(versionId).as('template_version_id'),
                'n.s',
                'n.o',
                sql<Date>`n.o + make_interval(mins => ${assignment.windowMinutes})`.as('closes_at'),
                eb.val(CheckInStatus.PENDING).as('status'),
              ]),
          )
          .onConflict((oc) => oc.columns(['tenant_id', 'assignment_id', 'slot']).doNothing())
          .returning('id')
          .execute()
      : [];
    if (assignment.status === AssignmentStatus.ACTIVE) {
      await setHorizon(tx, assignment.id, through, zone);
    }
    return { created: inserted.length, moved: moves.length, withdrawn: leftover.length };
  }

  /**
   * Plans each assignment in its client's effective zone; returns check-ins created. An archived client's
   * history is frozen: nothing is planned, but the horizon and zone move so the sweep looks again tomorrow.
   */
  async planAll(tx: TenantTransaction, assignments: CheckInAssignment[], now = new Date()): Promise<number> {
    const refs = await this.caseload.clientRefs(tx, { kind: 'firm' }, [...new Set(assignments.map((a) => a.clientId))]);
    const clients = new Map(refs.map((c) => [c.id, c]));
    let created = 0;
    for (const assignment of assignments) {
      const client = clients.get(assignment.clientId);
      if (client && !client.archived) {
        created += (await this.plan(tx, assignment, client.timezone, now)).created;
        continue;
      }
      await setHorizon(tx, assignment.id, new Date(now.getTime() + MATERIALIZE_AHEAD_DAYS * DAY), client?.timezone ?? null);
    }
    return created;
  }

  onModuleInit(): void {
    this.zoneChanges.listen((tx, change, now) => this.followZoneChange(tx, change, now));
  }

  /** A client's or the firm's default zone changed: their active assignments are re-planned in the same transaction. */
  private async followZoneChange(tx: TenantTransaction, change: ZoneChange, now: Date): Promise<void> {
    const active = selectAssignments(tx.db)
      .where('a.status', '=', AssignmentStatus.ACTIVE)
      .orderBy('a.id')
      .forUpdate();
    const affected =
      'userIds' in change
        ? active.where('a.client_id', '=', anyOf(change.userIds, 'uuid'))
        : // Clients on the firm's default zone (none of their own).
          active.where('a.client_id', 'in', (eb) =>
            eb.selectFrom('users as u').select('u.id').where('u.timezone', 'is', null),
          );
    await this.planAll(tx, (await affected.execute()).map(toAssignment), now);
  }
  forClient(principal: Principal, clientId: string): Promise<CheckInAssignment[]> {
    return this.tenantDb.transaction(async (tx) => {
      await this.caseload.visibleClient(tx, principal, clientId);
      return tx.repo(CheckInAssignment).find({ where: { clientId }, order: { createdAt: 'ASC' } });
    });
  }

  private async editableAssignment(tx: TenantTransaction, principal: Principal, id: string) {
    const assignment = await tx.repo(CheckInAssignment).findOne({ id });
    if (!assignment) throw CheckInErrors.assignmentNotFound();
    const client = await this.caseload.editableClient(tx, principal, assignment.clientId).catch(() => {
      throw CheckInErrors.assignmentNotFound();
    });
    if (this.caseload.scopeOf(principal).kind === 'client') throw AppError.forbidden('Coaches manage assignments');
    if (assignment.status === AssignmentStatus.ENDED) throw CheckInErrors.assignmentEnded();
    return { assignment, client };
  }

  /** The WHERE on the version makes a concurrent edit lose with CONFLICT. */
  private async bumpVersion(
    tx: TenantTransaction,
    assignment: CheckInAssignment,
    expectedVersion: number,
    patch: Partial<Pick<CheckInAssignment, 'status' | 'recurrence' | 'startsAt' | 'endsOn' | 'windowMinutes'>>,
  ): Promise<void> {
    const changed = await tx
      .repo(CheckInAssignment)
      .update({ id: assignment.id, version: expectedVersion }, { ...patch, version: expectedVersion + 1 });
    if (changed === 0) throw CheckInErrors.staleAssignment();
    Object.assign(assignment, patch, { version: expectedVersion + 1 });
  }

  /** Validates a schedule in the client's zone; returns the canonical rule (null for a one-off). */
  private checkedSchedule(schedule: AssignmentSchedule, zone: string, now: Date): string | null {
    if (!schedule.recurrence) {
      if (schedule.endsOn) throw badField('endsOn', 'endsOn applies to recurring check-ins only');
      if (opening(schedule.startsAt, zone) <= now) throw badField('startsAt', 'A one-off check-in must be in the future');
      return null;
    }
    try {
      return checkSchedule(
        { rule: schedule.recurrence, startsAt: schedule.startsAt, endsOn: schedule.endsOn, windowMinutes: schedule.windowMinutes, zone },
        now,
      );
    } catch (error) {
      if (error instanceof ScheduleError) throw badField(error.field, error.message);
      throw error;
    }
  }

  /** With `principal` (a new assignment): the bound measures' goals must be ones the caller may see. */
  private async checkBindings(
    tx: TenantTransaction,
    version: CheckInTemplateVersion,
    bindings: MeasureBinding[],
    clientId: string,
    principal: Principal | null = null,
  ) {
    for (const [i, binding] of bindings.entries()) {
      const prompt = version.prompts.find((p) => p.key === binding.promptKey);
      if (!prompt || prompt.type !== PromptType.NUMBER || !prompt.recordsProgress) {
        throw badField(`measureBindings[${i}].promptKey`, `"${binding.promptKey}" is not a NUMBER prompt that records progress`);
      }
      const measure = await tx.repo(GoalMeasure).findOne({ id: binding.measureId });
      const goal = measure && !measure.removedAt ? await tx.repo(Goal).findOne({ id: measure.goalId, clientId }) : null;
      if (!goal || (principal && !this.goalVisibility.admits(principal, goal))) throw AppError.notFound('Goal measure');
    }
    if (new Set(bindings.map((b) => b.promptKey)).size !== bindings.length) {
      throw badField('measureBindings', 'each prompt is bound to at most one measure');
    }
  }

  private async currentVersionId(tx: TenantTransaction, templateId: string): Promise<string> {
    const row = await tx.db
      .selectFrom('checkin_templates as t')
      .innerJoin('checkin_template_versions as v', (join) =>
        join.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
      )
      .select('v.id')
      .where('t.id', '=', templateId)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Occurrences still to open or open now, up to `through`, one per slot. */
  private occurrences(assignment: CheckInAssignment, zone: string, now: Date, through: Date): ZonedOccurrence[] {
    const window = assignment.windowMinutes * MINUTE;
    const all = assignment.recurrence
      ? scheduledOccurrences(
          { rule: assignment.recurrence, startsAt: assignment.startsAt, endsOn: assignment.endsOn, windowMinutes: assignment.windowMinutes, zone },
          new Date(now.getTime() - window),
          through,
        )
      : [{ local: assignment.startsAt, instant: opening(assignment.startsAt, zone) }];
    const seen = new Set<string>();
    return all.filter((o) => o.instant.getTime() + window > now.getTime() && !seen.has(o.local) && seen.add(o.local));
  }
}

/** The instant a local wall-clock time happens in the client's zone. */
function opening(localDateTime: string, zone: string): Date {
  return DateTime.fromISO(localDateTime, { zone }).toJSDate();
}


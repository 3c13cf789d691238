import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import { Goal, GoalMeasure } from '#cairn/goals';
import { type Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError } from '#cairn/shared/graphql';
import { CheckInErrors } from '../check-ins.errors.js';
import { CheckInStatus } from '../occurrences/check-in.entity.js';
import { PromptType } from '../templates/checkin-prompt.model.js';
import { CheckInTemplateVersion } from '../templates/checkin-template-version.entity.js';
import { CheckInTemplate } from '../templates/checkin-template.entity.js';
import { AssignmentStatus, CheckInAssignment } from './checkin-assignment.entity.js';
import { checkSchedule, MATERIALIZE_AHEAD_DAYS, ScheduleError, scheduledInstants } from './checkin-schedule.js';
import { AssignCheckInInput } from './dto/assign-check-in.input.js';

const MINUTE = 60_000;
const badField = (field: string, message: string) => AppError.badInput(message, [{ field, messages: [message] }]);

/** Assigning templates to clients, and turning assignments into check-ins ahead of time. */
@Injectable()
export class CheckInAssignmentService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
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

      const recurrence = input.recurrence ? this.checkedRule(input, client, now) : null;
      if (!recurrence) {
        if (input.endsOn) throw badField('endsOn', 'endsOn applies to recurring check-ins only');
        if (opening(input.startsAt, client.timezone) <= now) throw badField('startsAt', 'A one-off check-in must be in the future');
      }
      const goalIds = [...new Set(input.goalIds ?? [])];
      if (goalIds.length) {
        const goals = await tx.repo(Goal).findBy({ id: In(goalIds), clientId: client.id });
        if (goals.length !== goalIds.length) throw AppError.notFound('Goal');
      }
      const bindings = input.measureBindings ?? [];
      for (const [i, binding] of bindings.entries()) {
        const prompt = version.prompts.find((p) => p.key === binding.promptKey);
        if (!prompt || prompt.type !== PromptType.NUMBER || !prompt.recordsProgress) {
          throw badField(`measureBindings[${i}].promptKey`, `"${binding.promptKey}" is not a NUMBER prompt that records progress`);
        }
        const measure = await tx.repo(GoalMeasure).findOne({ id: binding.measureId });
        const goal = measure && !measure.removedAt ? await tx.repo(Goal).findOne({ id: measure.goalId, clientId: client.id }) : null;
        if (!goal) throw AppError.notFound('Goal measure');
      }
      if (new Set(bindings.map((b) => b.promptKey)).size !== bindings.length) {
        throw badField('measureBindings', 'each prompt is bound to at most one measure');
      }

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
        version: 1,
      });
      await this.materialize(tx, assignment, client.timezone, now);
      return assignment;
    });
  }

  /** Pause, resume or end. Occurrences not yet open are withdrawn on pause and end; open ones stay answerable. */
  setStatus(principal: Principal, id: string, expectedVersion: number, status: AssignmentStatus, now = new Date()) {
    return this.tenantDb.transaction(async (tx) => {
      const assignment = await tx.repo(CheckInAssignment).findOne({ id });
      if (!assignment) throw CheckInErrors.assignmentNotFound();
      const client = await this.caseload.editableClient(tx, principal, assignment.clientId).catch(() => {
        throw CheckInErrors.assignmentNotFound();
      });
      if (this.caseload.scopeOf(principal).kind === 'client') throw AppError.forbidden('Coaches manage assignments');
      if (assignment.status === AssignmentStatus.ENDED) throw CheckInErrors.assignmentEnded();
      const changed = await tx
        .repo(CheckInAssignment)
        .update({ id, version: expectedVersion }, { status, version: expectedVersion + 1 });
      if (changed === 0) throw CheckInErrors.staleAssignment();
      Object.assign(assignment, { status, version: expectedVersion + 1 });
      if (status === AssignmentStatus.ACTIVE) {
        await this.materialize(tx, assignment, client.timezone, now);
      } else {
        await tx.manager.query(
          `DELETE FROM check_ins WHERE tenant_id = $1 AND assignment_id = $2 AND status = 'PENDING' AND opens_at > $3`,
          [tx.tenantId, id, now],
        );
      }
      return assignment;
    });
  }

  /**
   * Creates the assignment's check-ins from now to MATERIALIZE_AHEAD_DAYS ahead (and any whose window is still
   * open). Idempotent: an occurrence that exists is left alone, so re-runs and concurrent runs add nothing.
   */
  async materialize(tx: TenantTransaction, assignment: CheckInAssignment, zone: string, now = new Date()): Promise<number> {
    if (assignment.status !== AssignmentStatus.ACTIVE) return 0;
    const window = assignment.windowMinutes * MINUTE;
    const horizon = new Date(now.getTime() + MATERIALIZE_AHEAD_DAYS * 86_400_000);
    const instants = assignment.recurrence
      ? scheduledInstants(
          { rule: assignment.recurrence, startsAt: assignment.startsAt, endsOn: assignment.endsOn, windowMinutes: assignment.windowMinutes, zone },
          new Date(now.getTime() - window),
          horizon,
        )
      : [opening(assignment.startsAt, zone)];
    await tx.manager.query(
      `UPDATE checkin_assignments SET materialized_through = GREATEST(materialized_through, $3)
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, assignment.id, horizon],
    );
    const due = instants.filter((opensAt) => opensAt.getTime() + window > now.getTime());
    if (due.length === 0) return 0;
    const [template] = await tx.manager.query(
      `SELECT v.id FROM checkin_templates t JOIN checkin_template_versions v
          ON v.tenant_id = t.tenant_id AND v.template_id = t.id AND v.version = t.current_version
        WHERE t.tenant_id = $1 AND t.id = $2`,
      [tx.tenantId, assignment.templateId],
    );
    const inserted: { id: string }[] = await tx.manager.query(
      `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, opens_at, closes_at, status)
       SELECT $1, $2, $3, $4, o, o + make_interval(mins => $5), '${CheckInStatus.PENDING}'
         FROM unnest($6::timestamptz[]) AS o
       ON CONFLICT (tenant_id, assignment_id, opens_at) DO NOTHING
       RETURNING id`,
      [tx.tenantId, assignment.id, assignment.clientId, template.id, assignment.windowMinutes, due],
    );
    return inserted.length;
  }

  forClient(principal: Principal, clientId: string): Promise<CheckInAssignment[]> {
    return this.tenantDb.transaction(async (tx) => {
      await this.caseload.visibleClient(tx, principal, clientId);
      return tx.repo(CheckInAssignment).find({ where: { clientId }, order: { createdAt: 'ASC' } });
    });
  }

  private checkedRule(input: AssignCheckInInput, client: ClientRef, now: Date): string {
    try {
      return checkSchedule(
        {
          rule: input.recurrence as string,
          startsAt: input.startsAt,
          endsOn: input.endsOn ?? null,
          windowMinutes: input.windowMinutes,
          zone: client.timezone,
        },
        now,
      );
    } catch (error) {
      if (error instanceof ScheduleError) throw badField(error.field, error.message);
      throw error;
    }
  }
}

/** The instant a local wall-clock time happens in the client's zone. */
function opening(localDateTime: string, zone: string): Date {
  return DateTime.fromISO(localDateTime, { zone }).toJSDate();
}


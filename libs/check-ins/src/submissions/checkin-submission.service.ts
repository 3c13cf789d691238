import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { MeasureService } from '#cairn/goals';
import { type Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError, requestGroupLoader } from '#cairn/shared/graphql';
import { EventOutbox } from '#cairn/shared/events';
import { CheckInAnswerInput } from '../answers/checkin-answer.input.js';
import { CheckInAnswer } from '../answers/checkin-answer.model.js';
import { VALUE_FIELD, validateAnswers } from '../answers/checkin-answer.rules.js';
import { CheckInAssignment } from '../assignments/checkin-assignment.entity.js';
import { BoundAnswerVisibility } from '../answers/bound-answer-visibility.service.js';
import { CheckInErrors } from '../check-ins.errors.js';
import { CheckIn, CheckInStatus } from '../occurrences/check-in.entity.js';
import { selectCheckIns, toCheckIn } from '../occurrences/check-in.rows.js';
import { CheckInTemplateVersion } from '../templates/checkin-template-version.entity.js';
import { CheckInSubmission } from './checkin-submission.entity.js';
import { AmendCheckInInput, SubmitCheckInInput } from './dto/submit-check-in.input.js';

const EMPTY_ANSWER: CheckInAnswer = { key: '', scale: null, yesNo: null, text: null, number: null, choices: null };

/**
 * Answers from clients. One transaction per submission: the answers, the check-in's new status and any
 * progress recorded on bound goal measures land together or not at all. Nothing submitted is rewritten.
 */
@Injectable()
export class CheckInSubmissionService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly measures: MeasureService,
    private readonly outbox: EventOutbox,
    private readonly boundAnswers: BoundAnswerVisibility,
  ) {}

  submit(principal: Principal, input: SubmitCheckInInput, now = new Date()): Promise<CheckInSubmission> {
    return this.tenantDb.transaction(async (tx) => {
      const checkIn = await this.ownCheckIn(tx, principal, input.checkInId);
      const replay = await this.replayed(tx, principal, input);
      if (replay) return replay;
      if (checkIn.status === CheckInStatus.SUBMITTED) throw CheckInErrors.alreadySubmitted();
      if (checkIn.status === CheckInStatus.EXCUSED) throw CheckInErrors.checkInExcused();
      if (checkIn.opensAt > now) throw CheckInErrors.notOpenYet(checkIn.opensAt);
      const late = now > checkIn.closesAt;
      const submission = await this.record(tx, principal, checkIn, input, { late, submittedAt: now });
      await tx
        .repo(CheckIn)
        .update({ id: checkIn.id }, { status: CheckInStatus.SUBMITTED, submittedAt: now, late });
      await this.announce(tx, checkIn, submission);
      return submission;
    });
  }

  /** A new submission that supersedes the latest one; the earlier answers stay readable. */
  amend(principal: Principal, input: AmendCheckInInput, now = new Date()): Promise<CheckInSubmission> {
    return this.tenantDb.transaction(async (tx) => {
      const checkIn = await this.ownCheckIn(tx, principal, input.checkInId);
      const replay = await this.replayed(tx, principal, input);
      if (replay) return replay;
      if (checkIn.status !== CheckInStatus.SUBMITTED) throw CheckInErrors.nothingToAmend();
      const [latest] = await tx
        .repo(CheckInSubmission)
        .find({ where: { checkInId: checkIn.id }, order: { createdAt: 'DESC' }, take: 1 });
      const amendment = await this.record(tx, principal, checkIn, input, {
        late: now > checkIn.closesAt,
        submittedAt: checkIn.submittedAt ?? now,
        amends: latest.id,
        reason: input.reason?.trim() || null,
      });
      await this.announce(tx, checkIn, amendment);
      return amendment;
    });
  }

  /** `checkin.submitted`, amendments too (naming what they amend); the feed tells the client's coaches. */
  private async announce(tx: TenantTransaction, checkIn: CheckIn, submission: CheckInSubmission): Promise<void> {
    await this.outbox.emit(
      tx,
      'checkin.submitted',
      {
        checkInId: checkIn.id,
        clientId: checkIn.clientId,
        submissionId: submission.id,
        amendsSubmissionId: submission.amendsSubmissionId,
        late: submission.late,
      },
      new Date(),
      {
        details: {
          progressIssues: await this.boundAnswers.issuesForCoaches(tx, checkIn.assignmentId, submission.progressIssues),
        },
      },
    );
  }

  /** Submissions of a check-in, oldest first (the first is the original); batched across a page. */
  ofCheckIn(checkInId: string): Promise<CheckInSubmission[]> {
    return requestGroupLoader(
      'checkin-submissions-by-check-in',
      (ids: readonly string[]) =>
        this.tenantDb.read((tx) =>
          tx.repo(CheckInSubmission).find({ where: { checkInId: In([...ids]) }, order: { createdAt: 'ASC' } }),
        ),
      (submission) => submission.checkInId,
    ).load(checkInId);
  }

  private async record(
    tx: TenantTransaction,
    principal: Principal,
    checkIn: CheckIn,
    input: { answers: CheckInAnswerInput[]; idempotencyKey: string },
    extra: { late: boolean; submittedAt: Date; amends?: string; reason?: string | null },
  ): Promise<CheckInSubmission> {
    const version = (await tx.repo(CheckInTemplateVersion).findOne({ id: checkIn.templateVersionId })) as CheckInTemplateVersion;
    const { values, problems } = validateAnswers(version.prompts, input.answers);
    if (problems.length) {
      throw AppError.badInput(`Invalid answers: ${problems.map((p) => p.messages[0]).join('; ')}`, problems);
    }
    const assignment = (await tx.repo(CheckInAssignment).findOne({ id: checkIn.assignmentId })) as CheckInAssignment;
    const progressUpdateIds: string[] = [];
    const progressIssues: string[] = [];
    for (const binding of assignment.measureBindings) {
      const value = values.get(binding.promptKey);
      if (typeof value !== 'number') continue;
      // A measure that refuses the value (removed, out of its period…) must not cost the client their answers.
      try {
        // A nested TypeORM transaction is a savepoint: a refused answer rolls back only its own writes.
        // The answer happened when the check-in was first submitted, amended or not; an unchanged one records nothing.
        const recorded = await tx.manager.transaction(() =>
          this.measures.recordAnswer(principal, {
            measureId: binding.measureId,
            value,
            note: `Check-in answer (${binding.promptKey})`,
            occurredAt: extra.submittedAt,
            source: `check-in:${checkIn.id}:${binding.promptKey}`,
          }),
        );
        if (recorded) progressUpdateIds.push(recorded.progressUpdate.id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        progressIssues.push(`${binding.promptKey}: ${error.message}`);
      }
    }
    return tx.repo(CheckInSubmission).insert({
      checkInId: checkIn.id,
      clientId: checkIn.clientId,
      answers: version.prompts
        .filter((prompt) => values.has(prompt.key))
        .map((prompt) => ({ ...EMPTY_ANSWER, key: prompt.key, [VALUE_FIELD[prompt.type]]: values.get(prompt.key) })),
      idempotencyKey: input.idempotencyKey,
      late: extra.late,
      amendsSubmissionId: extra.amends ?? null,
      amendReason: extra.reason ?? null,
      progressUpdateIds,
      progressIssues,
      submittedByUserId: principal.userId ?? null,
      submittedByApiKeyId: principal.apiKeyId ?? null,
    });
  }

  /** The check-in, locked, if it is the caller's own; clients answer only for themselves. */
  private async ownCheckIn(tx: TenantTransaction, principal: Principal, id: string): Promise<CheckIn> {
    if (!principal.userId) throw CheckInErrors.checkInNotFound();
    const row = await selectCheckIns(tx.db)
      .where('c.id', '=', id)
      .where('c.client_id', '=', principal.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw CheckInErrors.checkInNotFound();
    return toCheckIn(row);
  }

  /** A retry of a request that already succeeded gets that submission back; a key reused elsewhere is refused. */
  private async replayed(
    tx: TenantTransaction,
    principal: Principal,
    input: { checkInId: string; idempotencyKey: string },
  ): Promise<CheckInSubmission | null> {
    const earlier = await tx
      .repo(CheckInSubmission)
      .findOne({ clientId: principal.userId as string, idempotencyKey: input.idempotencyKey });
    if (!earlier) return null;
    if (earlier.checkInId !== input.checkInId) throw CheckInErrors.idempotencyKeyReused();
    return earlier;
  }
}

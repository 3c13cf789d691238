import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { CaseloadAccess, ClientErrors } from '#cairn/clients';
import { type Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { AppError, requestGroupLoader } from '#cairn/shared/graphql';
import { EventOutbox } from '#cairn/shared/events';
import { BoundAnswerVisibility } from '../answers/bound-answer-visibility.service.js';
import { CheckInErrors } from '../check-ins.errors.js';
import { CheckIn, CheckInStatus } from '../occurrences/check-in.entity.js';
import { selectCheckIns, toCheckIn } from '../occurrences/check-in.rows.js';
import { CheckInSubmission } from '../submissions/checkin-submission.entity.js';
import { PromptType } from '../templates/checkin-prompt.model.js';
import { CheckInTemplateVersion } from '../templates/checkin-template-version.entity.js';
import { CheckInFeedback } from './checkin-feedback.entity.js';
import { CheckInStats, PromptScores } from './checkin-stats.model.js';

/** The coach's side of accountability: feedback, follow-up marks, and how the client keeps up. */
@Injectable()
export class CheckInReviewService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly outbox: EventOutbox,
    private readonly boundAnswers: BoundAnswerVisibility,
  ) {}

  addFeedback(principal: Principal, checkInId: string, body: string): Promise<CheckInFeedback> {
    if (!body.trim()) throw AppError.badInput('Feedback must not be blank', [{ field: 'body', messages: ['body must not be blank'] }]);
    return this.tenantDb.transaction(async (tx) => {
      const checkIn = await this.reviewable(tx, principal, checkInId);
      const feedback = await tx
        .repo(CheckInFeedback)
        .insert({ checkInId, authorUserId: principal.userId as string, body: body.trim() });
      await this.outbox.emit(
        tx,
        'checkin.feedback_added',
        { checkInId, clientId: checkIn.clientId, feedbackId: feedback.id, authorUserId: feedback.authorUserId },
        new Date(),
        { details: { body: feedback.body } },
      );
      return feedback;
    });
  }

  /** A coach excuses a check-in the client need not answer (holiday, illness): it leaves the statistics. */
  excuse(principal: Principal, checkInId: string, reason: string | null, now = new Date()): Promise<CheckIn> {
    return this.tenantDb.transaction(async (tx) => {
      const checkIn = await this.reviewable(tx, principal, checkInId);
      if (checkIn.status === CheckInStatus.SUBMITTED) throw CheckInErrors.cannotExcuseSubmitted();
      if (checkIn.status === CheckInStatus.EXCUSED) throw CheckInErrors.alreadyExcused();
      const patch = {
        status: CheckInStatus.EXCUSED,
        excusedAt: now,
        excusedByUserId: principal.userId as string,
        excuseReason: reason?.trim() || null,
      };
      // Only from the state we read: a submission that raced in first wins, and this becomes a CONFLICT.
      const changed = await tx.repo(CheckIn).update({ id: checkInId, status: checkIn.status }, patch);
      if (changed === 0) throw CheckInErrors.cannotExcuseSubmitted();
      return Object.assign(checkIn, patch);
    });
  }

  setFollowUp(principal: Principal, checkInId: string, needsFollowUp: boolean): Promise<CheckIn> {
    return this.tenantDb.transaction(async (tx) => {
      const checkIn = await this.reviewable(tx, principal, checkInId);
      await tx.repo(CheckIn).update({ id: checkInId }, { needsFollowUp });
      return Object.assign(checkIn, { needsFollowUp });
    });
  }

  /** Feedback on a check-in, oldest first; batched across a page. */
  feedbackOf(checkInId: string): Promise<CheckInFeedback[]> {
    return requestGroupLoader(
      'checkin-feedback-by-check-in',
      (ids: readonly string[]) =>
        this.tenantDb.read((tx) =>
          tx.repo(CheckInFeedback).find({ where: { checkInId: In([...ids]) }, order: { createdAt: 'ASC' } }),
        ),
      (feedback) => feedback.checkInId,
    ).load(checkInId);
  }

  stats(principal: Principal, clientId: string, now = new Date()): Promise<CheckInStats> {
    return this.tenantDb.transaction(async (tx) => {
      await this.caseload.visibleClient(tx, principal, clientId);
      // Due = answered, or closed unanswered; a PENDING check-in past its window counts as missed even before
      // the worker has marked it.
      const due = (
        await selectCheckIns(tx.db)
          .where('c.client_id', '=', clientId)
          .where((eb) =>
            eb.or([
              eb('c.status', '=', CheckInStatus.SUBMITTED),
              eb('c.status', '=', CheckInStatus.MISSED),
              eb.and([eb('c.status', '=', CheckInStatus.PENDING), eb('c.closes_at', '<=', now)]),
            ]),
          )
          .orderBy('c.opens_at')
          .execute()
      ).map(toCheckIn);
      const submitted = due.filter((c) => c.status === CheckInStatus.SUBMITTED);
      let currentStreak = 0;
      for (let i = due.length - 1; i >= 0 && due[i].status === CheckInStatus.SUBMITTED; i--) currentStreak++;
      return {
        due: due.length,
        submitted: submitted.length,
        missed: due.length - submitted.length,
        completionRate: due.length ? submitted.length / due.length : null,
        currentStreak,
        scores: await this.scores(tx, principal, submitted),
      };
    });
  }

  /** Answers bound to measures of goals the caller may not see are left out (they are that goal's progress). */
  private async scores(tx: TenantTransaction, principal: Principal, checkIns: CheckIn[]): Promise<PromptScores[]> {
    if (checkIns.length === 0) return [];
    const hidden = await this.boundAnswers.hiddenKeys(tx, principal, [...new Set(checkIns.map((c) => c.assignmentId))]);
    const submissions = await tx
      .repo(CheckInSubmission)
      .find({ where: { checkInId: In(checkIns.map((c) => c.id)) }, order: { createdAt: 'ASC' } });
    const latest = new Map(submissions.map((s) => [s.checkInId, s])); // later rows (amendments) win
    const versions = await tx.repo(CheckInTemplateVersion).findBy({ id: In([...new Set(checkIns.map((c) => c.templateVersionId))]) });
    const labels = new Map<string, string>();
    for (const v of versions) {
      for (const p of v.prompts) if (p.type === PromptType.SCALE || p.type === PromptType.NUMBER) labels.set(p.key, p.label);
    }
    const byKey = new Map<string, PromptScores>();
    for (const checkIn of checkIns) {
      for (const answer of latest.get(checkIn.id)?.answers ?? []) {
        const value = answer.scale ?? answer.number;
        if (value === null || value === undefined || !labels.has(answer.key)) continue;
        if (hidden.get(checkIn.assignmentId)?.has(answer.key)) continue;
        const entry = byKey.get(answer.key) ?? { key: answer.key, label: labels.get(answer.key) as string, average: 0, points: [] };
        entry.points.push({ opensAt: checkIn.opensAt, value });
        byKey.set(answer.key, entry);
      }
    }
    return [...byKey.values()].map((entry) => ({
      ...entry,
      average: Math.round((entry.points.reduce((sum, p) => sum + p.value, 0) / entry.points.length) * 100) / 100,
    }));
  }

  /** Coaches of the client and admins review; clients read feedback but do not write it. */
  private async reviewable(tx: TenantTransaction, principal: Principal, checkInId: string): Promise<CheckIn> {
    const checkIn = await tx.repo(CheckIn).findOne({ id: checkInId });
    if (!checkIn) throw CheckInErrors.checkInNotFound();
    const [client] = await this.caseload.visibleClients(tx, principal, [checkIn.clientId]);
    if (!client) throw CheckInErrors.checkInNotFound();
    if (this.caseload.scopeOf(principal).kind === 'client') throw AppError.forbidden('Feedback comes from the coach');
    if (client.archived) throw ClientErrors.clientArchived();
    return checkIn;
  }
}

import { Module, type Type } from '@nestjs/common';
import { ClientsCoreModule } from '#cairn/clients';
import { GoalsCoreModule } from '#cairn/goals';
import { IdentityCoreModule } from '#cairn/identity';
import { EventsModule } from '#cairn/shared/events';
import { CheckInAssignment } from './assignments/checkin-assignment.entity.js';
import { CheckInAssignmentResolver } from './assignments/checkin-assignment.resolver.js';
import { CheckInAssignmentService } from './assignments/checkin-assignment.service.js';
import { SweepCheckInsJob } from './jobs/sweep-check-ins.job.js';
import { CheckInLifecycleService } from './lifecycle/check-in-lifecycle.service.js';
import { CheckInAssignments1763900000610 } from './migrations/1763900000610-checkin-assignments.js';
import { CheckInLifecycle1763900000620 } from './migrations/1763900000620-checkin-lifecycle.js';
import { CheckInSlots1763900000940 } from './migrations/1763900000940-check-in-slots.js';
import { SubmissionRecordedAt1763900001900 } from './migrations/1763900001900-submission-recorded-at.js';
import { CheckIn } from './occurrences/check-in.entity.js';
import { CheckInResolver } from './occurrences/check-in.resolver.js';
import { CheckInService } from './occurrences/check-in.service.js';
import { CheckInFeedback } from './review/checkin-feedback.entity.js';
import { CheckInReviewResolver } from './review/checkin-review.resolver.js';
import { CheckInReviewService } from './review/checkin-review.service.js';
import { CheckInSubmission } from './submissions/checkin-submission.entity.js';
import { CheckInSubmissionResolver, CheckInSubmissionsFieldResolver } from './submissions/checkin-submission.resolver.js';
import { CheckInSubmissionService } from './submissions/checkin-submission.service.js';
import { BoundAnswerVisibility } from './answers/bound-answer-visibility.service.js';
import { CheckIns1763900000600 } from './migrations/1763900000600-check-ins.js';
import { CheckInTemplateVersion } from './templates/checkin-template-version.entity.js';
import { CheckInTemplate } from './templates/checkin-template.entity.js';
import { CheckInTemplateResolver } from './templates/checkin-template.resolver.js';
import { CheckInTemplateService } from './templates/checkin-template.service.js';

export const checkInsEntities: Type[] = [CheckInTemplate, CheckInTemplateVersion, CheckInAssignment, CheckIn, CheckInSubmission, CheckInFeedback];
export const checkInsMigrations: Type[] = [CheckIns1763900000600, CheckInAssignments1763900000610, CheckInLifecycle1763900000620, CheckInSlots1763900000940, SubmissionRecordedAt1763900001900];
export const checkInsResolvers: Type[] = [CheckInTemplateResolver, CheckInAssignmentResolver, CheckInResolver, CheckInSubmissionResolver, CheckInSubmissionsFieldResolver, CheckInReviewResolver];

const services = [
  BoundAnswerVisibility,
  CheckInTemplateService,
  CheckInAssignmentService,
  CheckInService,
  CheckInSubmissionService,
  CheckInReviewService,
  CheckInLifecycleService,
];

/** Accountability check-ins: templates, assignments, check-ins and the answers to them. */
@Module({
  imports: [IdentityCoreModule, ClientsCoreModule, GoalsCoreModule, EventsModule],
  providers: services,
  exports: services,
})
export class CheckInsCoreModule {}

@Module({ imports: [CheckInsCoreModule], providers: checkInsResolvers })
export class CheckInsModule {}

/** The worker's side: materializing ahead, marking missed, announcing due check-ins. */
@Module({ imports: [CheckInsCoreModule], providers: [SweepCheckInsJob] })
export class CheckInsJobsModule {}

import { Module, type Type } from '@nestjs/common';
import { ActionPlansCoreModule } from '#cairn/action-plans';
import { DevelopmentCoreModule } from '#cairn/development';
import { GoalsCoreModule } from '#cairn/goals';
import { MessagingCoreModule } from '#cairn/messaging';
import { NudgesCoreModule } from '#cairn/nudges';
import { SupporterVerifier } from '#cairn/shared/auth';
import { EventsModule } from '#cairn/shared/events';
import { SupporterDigestSettingsService } from './digest/supporter-digest-settings.service.js';
import { SupporterDigestJob } from './digest/supporter-digest.job.js';
import { SupporterDigestPlanner } from './digest/supporter-digest.planner.js';
import { SupporterDigestResolver } from './digest/supporter-digest.resolver.js';
import { EncouragementService } from './encouragement/encouragement.service.js';
import { Supporters1763900002750 } from './migrations/1763900002750-supporters.js';
import { SupporterEvents1763900002760 } from './migrations/1763900002760-supporter-events.js';
import { SupporterDigests1763900002770 } from './migrations/1763900002770-supporter-digests.js';
import { SupporterPolicyService } from './policy/supporter-policy.service.js';
import { SupporterRequestService } from './requests/supporter-request.service.js';
import { SupporterSessionResolver } from './sessions/supporter-session.resolver.js';
import { SupporterSessionService } from './sessions/supporter-session.service.js';
import { SupporterSessionVerifier } from './sessions/supporter-session.verifier.js';
import { SupporterLinks } from './supporters/supporter-links.js';
import { SupporterResolver } from './supporters/supporter.resolver.js';
import { SupporterService } from './supporters/supporter.service.js';
import { SupporterViewResolver } from './view/supporter-view.resolver.js';
import { SupporterViewService } from './view/supporter-view.service.js';

/** Tables are read and written with typed SQL only (no entities), like report_email_opt_outs. */
export const supportersEntities: Type[] = [];
export const supportersMigrations: Type[] = [
  Supporters1763900002750,
  SupporterEvents1763900002760,
  SupporterDigests1763900002770,
];
export const supportersResolvers: Type[] = [
  SupporterResolver,
  SupporterSessionResolver,
  SupporterViewResolver,
  SupporterDigestResolver,
];

const services = [
  SupporterService,
  SupporterLinks,
  SupporterSessionService,
  SupporterViewService,
  EncouragementService,
  SupporterRequestService,
  SupporterPolicyService,
  SupporterDigestSettingsService,
  SupporterDigestPlanner,
];

/** The supporter credential check alone, for the global guard (CredentialGuardModule.register). */
@Module({
  providers: [{ provide: SupporterVerifier, useClass: SupporterSessionVerifier }],
  exports: [SupporterVerifier],
})
export class SupporterCredentialsModule {}

/** The accountability circle: supporters, their links and sessions, shared goals, encouragement, fact-finding. */
@Module({
  imports: [GoalsCoreModule, ActionPlansCoreModule, DevelopmentCoreModule, MessagingCoreModule, NudgesCoreModule, EventsModule],
  providers: services,
  exports: services,
})
export class SupportersCoreModule {}

@Module({ imports: [SupportersCoreModule], providers: supportersResolvers })
export class SupportersModule {}

/** The worker's digest run. */
@Module({ imports: [SupportersCoreModule], providers: [SupporterDigestJob] })
export class SupportersJobsModule {}

import { Module, type Type } from '@nestjs/common';
import { ActionPlansCoreModule } from '#cairn/action-plans';
import { ClientsCoreModule } from '#cairn/clients';
import { GoalsCoreModule } from '#cairn/goals';
import { MessagingCoreModule } from '#cairn/messaging';
import { NudgeSweepJob } from './jobs/nudge-sweep.job.js';
import { Nudges1763900000910 } from './migrations/1763900000910-nudges.js';
import { NudgeFacts } from './planning/nudge-facts.service.js';
import { NudgePlanner } from './planning/nudge-planner.service.js';
import { NudgePolicy } from './policy/nudge-policy.entity.js';
import { NudgePolicyResolver } from './policy/nudge-policy.resolver.js';
import { NudgePolicyService } from './policy/nudge-policy.service.js';
import { NudgePreference } from './preferences/nudge-preference.entity.js';
import { NudgePreferenceResolver } from './preferences/nudge-preference.resolver.js';
import { NudgePreferenceService } from './preferences/nudge-preference.service.js';
import { NudgeRunResolver } from './runs/nudge-run.resolver.js';

export const nudgesEntities: Type[] = [NudgePolicy, NudgePreference];
export const nudgesMigrations: Type[] = [Nudges1763900000910];
export const nudgesResolvers: Type[] = [NudgePolicyResolver, NudgePreferenceResolver, NudgeRunResolver];

const services = [NudgePolicyService, NudgePreferenceService, NudgeFacts, NudgePlanner];

/** The gentle push: firm rules, client opt-outs, and the worker's periodic nudge run. */
@Module({
  imports: [ClientsCoreModule, GoalsCoreModule, ActionPlansCoreModule, MessagingCoreModule],
  providers: services,
  exports: services,
})
export class NudgesCoreModule {}

@Module({ imports: [NudgesCoreModule], providers: nudgesResolvers })
export class NudgesModule {}

@Module({ imports: [NudgesCoreModule], providers: [NudgeSweepJob] })
export class NudgesJobsModule {}

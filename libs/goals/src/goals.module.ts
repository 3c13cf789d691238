import { Module, type Type } from '@nestjs/common';
import { ClientsCoreModule } from '#cairn/clients';
import { EventsModule } from '#cairn/shared/events';
import { AuthenticityService } from './authenticity/authenticity.service.js';
import { GoalTraitLinks } from './authenticity/goal-trait-links.service.js';
import { GoalWhyResolver } from './authenticity/goal-why.resolver.js';
import { GoalAccess } from './goals/goal-access.service.js';
import { Goal } from './goals/goal.entity.js';
import { GoalLoader } from './goals/goal.loader.js';
import { GoalResolver } from './goals/goal.resolver.js';
import { GoalService } from './goals/goal.service.js';
import { GoalMeasure } from './measures/goal-measure.entity.js';
import { MeasureResolver, ProgressUpdateResolver } from './measures/measure.resolver.js';
import { MeasureService } from './measures/measure.service.js';
import { ProgressUpdate } from './measures/progress-update.entity.js';
import { Goals1763900000300 } from './migrations/1763900000300-goals.js';
import { ProgressHappenedAt1763900001500 } from './migrations/1763900001500-progress-happened-at.js';
import { GoalAuthenticity1763900002610 } from './migrations/1763900002610-goal-authenticity.js';
import { GoalVisibility1763900002700 } from './migrations/1763900002700-goal-visibility.js';
import { ActiveGoalsService } from './progress/active-goals.service.js';
import { GoalFactsLoader } from './progress/goal-facts.loader.js';
import { GoalProgressService } from './progress/goal-progress.service.js';
import { GoalRevision } from './revisions/goal-revision.entity.js';
import { GoalRevisionResolver } from './revisions/goal-revision.resolver.js';
import { GoalRevisionService } from './revisions/goal-revision.service.js';
import { GoalPolicyRow } from './smart/goal-policy.entity.js';
import { GoalPolicyResolver } from './smart/goal-policy.resolver.js';
import { GoalPolicyService } from './smart/goal-policy.service.js';
import { SmartService } from './smart/smart.service.js';
import { GoalVisibility } from './visibility/goal-visibility.service.js';
import { GoalVisibilityChanges } from './visibility/goal-visibility-change.service.js';
import { GoalVisibilityResolver } from './visibility/goal-visibility.resolver.js';

export const goalsEntities = [Goal, GoalMeasure, ProgressUpdate, GoalRevision, GoalPolicyRow];
export const goalsMigrations = [
  Goals1763900000300,
  ProgressHappenedAt1763900001500,
  GoalAuthenticity1763900002610,
  GoalVisibility1763900002700,
];
export const goalsResolvers: Type[] = [
  GoalResolver,
  GoalWhyResolver,
  MeasureResolver,
  ProgressUpdateResolver,
  GoalRevisionResolver,
  GoalPolicyResolver,
  GoalVisibilityResolver,
];

const services = [
  GoalVisibility,
  GoalVisibilityChanges,
  GoalAccess,
  GoalService,
  GoalLoader,
  GoalProgressService,
  GoalFactsLoader,
  ActiveGoalsService,
  GoalRevisionService,
  GoalPolicyService,
  MeasureService,
  SmartService,
  AuthenticityService,
  GoalTraitLinks,
];

/** Goal trees, measures, progress and revisions; development lists and career paths. */
@Module({ imports: [ClientsCoreModule, EventsModule], providers: services, exports: [...services, ClientsCoreModule] })
export class GoalsCoreModule {}

@Module({ imports: [GoalsCoreModule], providers: goalsResolvers })
export class GoalsModule {}

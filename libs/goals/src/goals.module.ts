import { Module, type Type } from '@nestjs/common';
import { ClientsCoreModule } from '#cairn/clients';
import { GoalAccess } from './goals/goal-access.service.js';
import { Goal } from './goals/goal.entity.js';
import { Goals1763900000300 } from './migrations/1763900000300-goals.js';

export const goalsEntities = [Goal];
export const goalsMigrations = [Goals1763900000300];
export const goalsResolvers: Type[] = [];

const services = [GoalAccess];

/** Goal trees, measures, progress and revisions; development lists and career paths. */
@Module({ imports: [ClientsCoreModule], providers: services, exports: [...services, ClientsCoreModule] })
export class GoalsCoreModule {}

@Module({ imports: [GoalsCoreModule], providers: goalsResolvers })
export class GoalsModule {}

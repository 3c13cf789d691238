import { Module, type Provider, type Type } from '@nestjs/common';
import { GoalsCoreModule } from '#cairn/goals';

export const actionPlansEntities: Type[] = [];
export const actionPlansMigrations: Type[] = [];
export const actionPlansResolvers: Type[] = [];

const services: Provider[] = [];

/** Action plans: the tasks, habits and count targets that turn a goal into calendar work. */
@Module({ imports: [GoalsCoreModule], providers: services, exports: services })
export class ActionPlansCoreModule {}

@Module({ imports: [ActionPlansCoreModule], providers: actionPlansResolvers })
export class ActionPlansModule {}

import { Module, type Provider, type Type } from '@nestjs/common';
import { GoalsCoreModule } from '#cairn/goals';

export const developmentEntities: Type[] = [];
export const developmentMigrations: Type[] = [];
export const developmentResolvers: Type[] = [];

const services: Provider[] = [];

/** Fact-finding development lists and career paths, which feed and frame a client's goals. */
@Module({ imports: [GoalsCoreModule], providers: services, exports: services })
export class DevelopmentCoreModule {}

@Module({ imports: [DevelopmentCoreModule], providers: developmentResolvers })
export class DevelopmentModule {}

import { Module, type Provider, type Type } from '@nestjs/common';
import { GoalsCoreModule } from '#cairn/goals';
import { CareerPath } from './career-paths/career-path.entity.js';
import { CareerPathResolver, CareerStepResolver } from './career-paths/career-path.resolver.js';
import { CareerPathService } from './career-paths/career-path.service.js';
import { CareerStep } from './career-paths/career-step.entity.js';
import { DevelopmentItemConversionService } from './development-items/development-item-conversion.service.js';
import { DevelopmentItem } from './development-items/development-item.entity.js';
import { DevelopmentItemResolver } from './development-items/development-item.resolver.js';
import { DevelopmentItemService } from './development-items/development-item.service.js';
import { GoalDevelopmentResolver } from './goals/goal-development.resolver.js';
import { Development1763900000310 } from './migrations/1763900000310-development.js';
import { StrengthCategory1763900002620 } from './migrations/1763900002620-strength-category.js';

export const developmentEntities: Type[] = [DevelopmentItem, CareerPath, CareerStep];
export const developmentMigrations: Type[] = [Development1763900000310, StrengthCategory1763900002620];
export const developmentResolvers: Type[] = [
  DevelopmentItemResolver,
  CareerPathResolver,
  CareerStepResolver,
  GoalDevelopmentResolver,
];

const services: Provider[] = [DevelopmentItemService, DevelopmentItemConversionService, CareerPathService];

/** Fact-finding development lists and career paths, which feed and frame a client's goals. */
@Module({ imports: [GoalsCoreModule], providers: services, exports: services })
export class DevelopmentCoreModule {}

@Module({ imports: [DevelopmentCoreModule, GoalsCoreModule], providers: developmentResolvers })
export class DevelopmentModule {}

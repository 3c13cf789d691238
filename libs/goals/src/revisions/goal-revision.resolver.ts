import { ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '#cairn/identity';
import { GoalLoader } from '../goals/goal.loader.js';
import { GoalRevision } from './goal-revision.entity.js';

@Resolver(() => GoalRevision)
export class GoalRevisionResolver {
  constructor(private readonly loader: GoalLoader) {}

  @ResolveField(() => User, {
    nullable: true,
    description: 'Null when a partner integration made the change (see changedByApiKeyId).',
  })
  changedBy(revision: GoalRevision): Promise<User | null> {
    return this.loader.user(revision.changedByUserId);
  }
}

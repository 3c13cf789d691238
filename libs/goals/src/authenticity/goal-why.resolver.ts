import { ResolveField, Resolver } from '@nestjs/graphql';
import { ClientTrait, TraitKind } from '#cairn/clients';
import { GoalWhy } from '../goals/goal-why.model.js';
import { GoalTraitLinks } from './goal-trait-links.service.js';

/** The profile entries a goal links to, under its why. */
@Resolver(() => GoalWhy)
export class GoalWhyResolver {
  constructor(private readonly links: GoalTraitLinks) {}

  @ResolveField(() => [ClientTrait], {
    description:
      'Values from the client’s profile this goal serves (set with why.valueIds); an entry removed from the profile since shows its removedAt.',
  })
  async linkedValues(why: GoalWhy): Promise<ClientTrait[]> {
    return (await this.links.load(why.goalId)).filter((t) => t.kind === TraitKind.VALUE);
  }

  @ResolveField(() => [ClientTrait], {
    description: 'Strengths from the client’s profile it builds on (set with why.strengthIds).',
  })
  async linkedStrengths(why: GoalWhy): Promise<ClientTrait[]> {
    return (await this.links.load(why.goalId)).filter((t) => t.kind === TraitKind.STRENGTH);
  }
}

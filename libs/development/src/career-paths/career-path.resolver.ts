import { Args, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Goal, GoalVisibility } from '#cairn/goals';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { CareerPath } from './career-path.entity.js';
import { CareerPathService } from './career-path.service.js';
import { CareerStanding, standingOf } from './career-standing.js';
import { CareerStep } from './career-step.entity.js';
import {
  AddCareerStepInput,
  CareerPathVersionInput,
  CreateCareerPathInput,
  LinkGoalToCareerStepInput,
  RemoveCareerStepInput,
  ReorderCareerStepsInput,
  SetCurrentCareerStepInput,
  UpdateCareerPathInput,
  UpdateCareerStepInput,
} from './dto/career-path.inputs.js';
import { CareerPathsArgs } from './dto/career-paths.args.js';

@ObjectType()
export class CareerPathConnection extends Connection(CareerPath) {}

const ONE_VERSION = 'Every change of a path or its steps takes the path’s `expectedVersion` and returns the path.';

/** Admins reach the whole firm, coaches their caseload, a client their own path; others get NOT_FOUND. */
@Resolver(() => CareerPath)
export class CareerPathResolver {
  constructor(private readonly paths: CareerPathService) {}

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => CareerPath, {
    nullable: true,
    description: 'The client’s active career path (a client has at most one), or null.',
  })
  careerPath(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<CareerPath | null> {
    return this.paths.active(principal, clientId);
  }

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => CareerPathConnection, { description: 'All of the client’s paths, archived ones included, oldest first.' })
  careerPaths(
    @CurrentPrincipal() principal: Principal,
    @Args() args: CareerPathsArgs,
  ): Promise<ConnectionShape<CareerPath>> {
    return this.paths.list(principal, args);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: 'CONFLICT when the client already has an active path.' })
  createCareerPath(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateCareerPathInput) {
    return this.paths.create(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: ONE_VERSION })
  updateCareerPath(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateCareerPathInput) {
    return this.paths.update(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: 'Makes the path read-only history; the client may then start a new one.' })
  archiveCareerPath(@CurrentPrincipal() principal: Principal, @Args('input') input: CareerPathVersionInput) {
    return this.paths.archive(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: `At most 30 steps per path. ${ONE_VERSION}` })
  addCareerStep(@CurrentPrincipal() principal: Principal, @Args('input') input: AddCareerStepInput) {
    return this.paths.addStep(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: ONE_VERSION })
  updateCareerStep(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateCareerStepInput) {
    return this.paths.updateStep(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, {
    description: `Goals linked to the step are unlinked; if it was the current step, there is none. ${ONE_VERSION}`,
  })
  removeCareerStep(@CurrentPrincipal() principal: Principal, @Args('input') input: RemoveCareerStepInput) {
    return this.paths.removeStep(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: ONE_VERSION })
  reorderCareerSteps(@CurrentPrincipal() principal: Principal, @Args('input') input: ReorderCareerStepsInput) {
    return this.paths.reorder(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => CareerPath, { description: `Records the step the client holds now. ${ONE_VERSION}` })
  setCurrentCareerStep(@CurrentPrincipal() principal: Principal, @Args('input') input: SetCurrentCareerStepInput) {
    return this.paths.setCurrentStep(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => Goal, {
    description:
      'Links a goal to a step of its own client’s active career path (stepId null unlinks). The goal’s version ' +
      'does not move: the link is not a change of the goal itself.',
  })
  linkGoalToCareerStep(@CurrentPrincipal() principal: Principal, @Args('input') input: LinkGoalToCareerStepInput) {
    return this.paths.linkGoal(principal, input);
  }

  @ResolveField(() => [CareerStep], { description: 'From the lowest rung to the top.' })
  steps(@Parent() path: CareerPath): Promise<CareerStep[]> {
    return this.paths.steps(path.id);
  }

  @ResolveField(() => CareerStanding)
  async standing(@Parent() path: CareerPath): Promise<CareerStanding> {
    return standingOf(await this.paths.steps(path.id), path.currentStepId);
  }
}

@Resolver(() => CareerStep)
export class CareerStepResolver {
  constructor(
    private readonly paths: CareerPathService,
    private readonly visibility: GoalVisibility,
  ) {}

  @ResolveField(() => [Goal], { description: 'Goals that move the client towards this step, oldest first.' })
  async goals(@CurrentPrincipal() principal: Principal, @Parent() step: CareerStep): Promise<Goal[]> {
    // The step is the client's; which of its goals the caller sees is each goal's own choice.
    return (await this.paths.goalsOf(step.id)).filter((goal) => this.visibility.admits(principal, goal));
  }
}

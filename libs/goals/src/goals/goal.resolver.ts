import {
  Args,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Client, ClientService } from '#cairn/clients';
import { User } from '#cairn/identity';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { summarise } from '../authenticity/authenticity-assessment.js';
import { AuthenticityAssessment } from '../authenticity/authenticity.model.js';
import { AuthenticityService } from '../authenticity/authenticity.service.js';
import { GoalMeasure } from '../measures/goal-measure.entity.js';
import { MeasureService } from '../measures/measure.service.js';
import { GoalProgressService } from '../progress/goal-progress.service.js';
import { GoalRevision } from '../revisions/goal-revision.entity.js';
import { GoalRevisionService } from '../revisions/goal-revision.service.js';
import { SmartCheck } from '../smart/smart-check.model.js';
import { SmartService } from '../smart/smart.service.js';
import { ChangeGoalStatusInput } from './dto/change-goal-status.input.js';
import { CreateGoalInput } from './dto/create-goal.input.js';
import { GoalsArgs } from './dto/goals.args.js';
import { UpdateGoalInput } from './dto/update-goal.input.js';
import { GoalWhy } from './goal-why.model.js';
import { Goal } from './goal.entity.js';
import { GoalLoader } from './goal.loader.js';
import { GoalService } from './goal.service.js';

@ObjectType()
export class GoalConnection extends Connection(Goal) {}

/**
 * Field resolvers that need only their parent take it undecorated (no @Parent()): a field resolver without
 * parameter decorators is handed to GraphQL as is (parent first) and skips Nest's per-call context and pipes,
 * which cost more than these fields on a tree of goals and measures.
 */
@Resolver(() => Goal)
export class GoalResolver {
  constructor(
    private readonly goalService: GoalService,
    private readonly loader: GoalLoader,
    private readonly measureService: MeasureService,
    private readonly progressService: GoalProgressService,
    private readonly smartService: SmartService,
    private readonly authenticityService: AuthenticityService,
    private readonly revisionService: GoalRevisionService,
    private readonly clients: ClientService,
  ) {}

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => Goal, { description: 'NOT_FOUND also for goals of clients outside your reach.' })
  goal(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<Goal> {
    return this.goalService.get(principal, id);
  }

  @RequireScopes(ApiScope.GOALS_READ)
  @Query(() => GoalConnection, {
    description:
      'Goals of the clients you may see (admins: the firm; coaches: their caseload; a client: their own).',
  })
  goals(@CurrentPrincipal() principal: Principal, @Args() args: GoalsArgs): Promise<ConnectionShape<Goal>> {
    return this.goalService.list(principal, args);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => Goal, {
    description:
      'Creates a DRAFT goal (revision 1). Coaches and admins for their clients; a client for themself.',
  })
  createGoal(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateGoalInput): Promise<Goal> {
    return this.goalService.create(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => Goal, {
    description:
      'Edits a goal, including re-parenting; records a revision of what changed. Changing a set target date or the horizon needs a `reason` (else BAD_USER_INPUT on `reason`).',
  })
  updateGoal(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateGoalInput): Promise<Goal> {
    return this.goalService.update(principal, input);
  }

  @RequireScopes(ApiScope.GOALS_WRITE)
  @Mutation(() => Goal, {
    description:
      'Moves a goal along its life cycle (see ChangeGoalStatusInput). To ACTIVE only when the firm’s required SMART and authenticity criteria are met: otherwise BAD_USER_INPUT on `status` with `extensions.unmetCriteria` [{ criterion, hint }] and `extensions.unmetAuthenticity` [{ criterion, explanation }]. ACHIEVED sets achievedAt.',
  })
  changeGoalStatus(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeGoalStatusInput,
  ): Promise<Goal> {
    return this.goalService.changeStatus(principal, input);
  }

  @ResolveField(() => GoalWhy)
  why(goal: Goal): GoalWhy {
    return {
      motivation: goal.motivation,
      energizesWorkLife: goal.whyEnergizes,
      fulfilsPersonally: goal.whyFulfils,
      alignsWithValues: goal.whyAlignsValues,
      strength: goal.whyStrength,
      values: goal.linkedValues ?? [],
      strengths: goal.linkedStrengths ?? [],
      goalId: goal.id,
    };
  }

  @ResolveField(() => AuthenticityAssessment, {
    description:
      'The authenticity check, computed now: the client’s own desire, true to the values and strengths of their profile.',
  })
  async authenticity(goal: Goal): Promise<AuthenticityAssessment> {
    const checks = await this.authenticityService.load(goal);
    return {
      authentic: checks.every((c) => c.met),
      meetsPolicy: checks.every((c) => c.met || !c.required),
      summary: summarise(checks),
      checks,
    };
  }

  @ResolveField(() => [SmartCheck], {
    description:
      'The SMART assessment and the two tips, computed now, each with a hint when unmet and whether the firm requires it.',
  })
  smart(goal: Goal): Promise<SmartCheck[]> {
    return this.smartService.load(goal);
  }

  @ResolveField(() => [GoalMeasure], { description: 'Measures of success (removed ones are left out).' })
  measures(goal: Goal): Promise<GoalMeasure[]> {
    return this.measureService.ofGoal(goal.id);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description:
      'Derived 0–100: ACHIEVED = 100; otherwise the mean of its parts, each own measure’s progress and each non-ABANDONED sub-goal’s progress weighing the same; null with nothing to measure.',
  })
  progress(@CurrentPrincipal() principal: Principal, @Parent() goal: Goal): Promise<number | null> {
    return this.progressService.load(principal, goal);
  }

  @ResolveField(() => [Goal], { description: 'The goals supporting this one, by priority then target date.' })
  children(@CurrentPrincipal() principal: Principal, @Parent() goal: Goal): Promise<Goal[]> {
    return this.loader.children(principal, goal.id);
  }

  @ResolveField(() => Goal, {
    nullable: true,
    description: 'Null also when the parent is hidden from you (a sub-goal the client shared more widely).',
  })
  parent(@CurrentPrincipal() principal: Principal, @Parent() goal: Goal): Promise<Goal | null> {
    return goal.parentId ? this.loader.goal(principal, goal.parentId) : Promise.resolve(null);
  }

  @ResolveField(() => Client, { nullable: true })
  client(@CurrentPrincipal() principal: Principal, @Parent() goal: Goal): Promise<Client | null> {
    return this.clients.load(principal, goal.clientId);
  }

  @ResolveField(() => User, {
    nullable: true,
    description: 'Null when a partner integration created it (see createdByApiKeyId).',
  })
  createdBy(goal: Goal): Promise<User | null> {
    return this.loader.user(goal.createdByUserId);
  }

  @ResolveField(() => [GoalRevision], {
    description:
      'The goal’s history, newest first: `first` (1–100) revisions older than `beforeVersion` (default: from the latest).',
  })
  revisions(
    @Parent() goal: Goal,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('beforeVersion', { type: () => Int, nullable: true }) beforeVersion: number | null,
  ): Promise<GoalRevision[]> {
    return this.revisionService.page(goal.id, Math.min(Math.max(first, 1), 100), beforeVersion ?? null);
  }
}

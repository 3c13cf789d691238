import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { In, IsNull } from 'typeorm';
import { CaseloadAccess, ClientErrors } from '#cairn/clients';
import { Goal, GoalAccess } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction, violatedUniqueConstraint } from '#cairn/shared/database';
import { AppError, asNode, ConnectionShape, paginate, requestLoader } from '#cairn/shared/graphql';
import { DevelopmentErrors } from '../development.errors.js';
import { CareerPath } from './career-path.entity.js';
import { CareerStep } from './career-step.entity.js';
import {
  AddCareerStepInput,
  CareerPathVersionInput,
  CreateCareerPathInput,
  LinkGoalToCareerStepInput,
  MAX_STEPS,
  RemoveCareerStepInput,
  ReorderCareerStepsInput,
  SetCurrentCareerStepInput,
  UpdateCareerPathInput,
  UpdateCareerStepInput,
} from './dto/career-path.inputs.js';
import { CareerPathsArgs } from './dto/career-paths.args.js';

type PathPatch = Partial<Pick<CareerPath, 'title' | 'description' | 'currentStepId' | 'archivedAt'>>;
type StepPatch = Partial<Pick<CareerStep, 'title' | 'description' | 'estimatedYears'>>;

/**
 * Career ladders. The path is one aggregate: any change to it or its steps moves the path's `version`, and
 * claiming that version (an UPDATE … WHERE version = expected) also locks the path row, so concurrent edits of
 * one ladder are serialized and the loser gets CONFLICT.
 */
@Injectable()
export class CareerPathService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly goalAccess: GoalAccess,
  ) {}

  create(principal: Principal, input: CreateCareerPathInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.editableClient(tx, principal, input.clientId);
      if (input.currentStepPosition !== undefined && input.currentStepPosition > input.steps.length) {
        throw DevelopmentErrors.currentStepIndexOutOfRange();
      }
      if (await tx.repo(CareerPath).findOne({ clientId: client.id, archivedAt: IsNull() })) {
        throw DevelopmentErrors.activePathExists();
      }
      let path: CareerPath;
      try {
        path = await tx.repo(CareerPath).insert({
          clientId: client.id,
          title: input.title.trim(),
          description: input.description?.trim() || null,
          currentStepId: null,
          archivedAt: null,
          createdByUserId: principal.userId ?? null,
          createdByApiKeyId: principal.apiKeyId ?? null,
          version: 1,
        });
      } catch (error) {
        // Another request created one between our check and insert.
        if (violatedUniqueConstraint(error) === 'career_paths_one_active') throw DevelopmentErrors.activePathExists();
        throw error;
      }
      const steps = await this.insertSteps(tx, path.id, input.steps, 1);
      if (input.currentStepPosition !== undefined) {
        const currentStepId = steps[input.currentStepPosition - 1].id;
        await tx.repo(CareerPath).update({ id: path.id }, { currentStepId });
      }
      return this.reload(tx, path.id);
    });
  }

  /** The client's active path, or null when they have none. */
  active(principal: Principal, clientId: string): Promise<CareerPath | null> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.visibleClient(tx, principal, clientId);
      return tx.repo(CareerPath).findOne({ clientId: client.id, archivedAt: IsNull() });
    });
  }

  /** Every path of the client, archived ones included, oldest first. */
  list(principal: Principal, args: CareerPathsArgs): Promise<ConnectionShape<CareerPath>> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.visibleClient(tx, principal, args.clientId);
      const query = tx.db
        .selectFrom('career_paths as p')
        .select([
          'p.id',
          'p.client_id as clientId',
          'p.title',
          'p.description',
          'p.current_step_id as currentStepId',
          'p.archived_at as archivedAt',
          'p.created_by_user_id as createdByUserId',
          'p.created_by_api_key_id as createdByApiKeyId',
          'p.version',
          'p.created_at as createdAt',
          'p.updated_at as updatedAt',
        ])
        .where('p.client_id', '=', client.id);
      return paginate(query, 'p', args, { node: asNode(CareerPath) });
    });
  }

  update(principal: Principal, input: UpdateCareerPathInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const patch: PathPatch = {};
      if (input.title != null) patch.title = input.title.trim();
      if (input.description !== undefined) patch.description = input.description?.trim() || null;
      const path = await this.claim(tx, principal, input.id, input.expectedVersion, patch);
      return this.reload(tx, path.id);
    });
  }

  /** Freezes the path as history; the client may then start a new one. */
  archive(principal: Principal, input: CareerPathVersionInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const path = await this.claim(tx, principal, input.id, input.expectedVersion, { archivedAt: new Date() });
      return this.reload(tx, path.id);
    });
  }

  addStep(principal: Principal, input: AddCareerStepInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const path = await this.claim(tx, principal, input.pathId, input.expectedVersion);
      const count = await tx.repo(CareerStep).count({ pathId: path.id });
      if (count >= MAX_STEPS) throw DevelopmentErrors.tooManySteps(MAX_STEPS);
      const position = input.position ?? count + 1;
      if (position > count + 1) throw DevelopmentErrors.positionOutOfRange(count + 1);
      await tx.db
        .updateTable('career_steps')
        .set((eb) => ({ position: eb('position', '+', 1), updated_at: sql`now()` }))
        .where('path_id', '=', path.id)
        .where('position', '>=', position)
        .execute();
      await this.insertSteps(tx, path.id, [input], position);
      return this.reload(tx, path.id);
    });
  }

  updateStep(principal: Principal, input: UpdateCareerStepInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const step = await tx.repo(CareerStep).findOne({ id: input.id });
      if (!step) throw DevelopmentErrors.stepNotFound();
      const path = await this.claim(tx, principal, step.pathId, input.expectedVersion, {}, DevelopmentErrors.stepNotFound);
      const patch: StepPatch = {};
      if (input.title != null) patch.title = input.title.trim();
      if (input.description !== undefined) patch.description = input.description?.trim() || null;
      if (input.estimatedYears != null) patch.estimatedYears = input.estimatedYears;
      if (Object.keys(patch).length > 0) await tx.repo(CareerStep).update({ id: step.id }, patch);
      return this.reload(tx, path.id);
    });
  }

  /** Goals linked to the step lose the link, and a path whose current step it was has none (foreign keys). */
  removeStep(principal: Principal, input: RemoveCareerStepInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const step = await tx.repo(CareerStep).findOne({ id: input.id });
      if (!step) throw DevelopmentErrors.stepNotFound();
      const path = await this.claim(tx, principal, step.pathId, input.expectedVersion, {}, DevelopmentErrors.stepNotFound);
      await tx.db.deleteFrom('career_steps').where('id', '=', step.id).execute();
      await tx.db
        .updateTable('career_steps')
        .set((eb) => ({ position: eb('position', '-', 1), updated_at: sql`now()` }))
        .where('path_id', '=', path.id)
        .where('position', '>', step.position)
        .execute();
      return this.reload(tx, path.id);
    });
  }

  reorder(principal: Principal, input: ReorderCareerStepsInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const path = await this.claim(tx, principal, input.pathId, input.expectedVersion);
      const steps = await tx.repo(CareerStep).findBy({ pathId: path.id });
      const ids = input.stepIds.map((id) => id.toLowerCase());
      const known = new Set(steps.map((s) => s.id));
      if (ids.length !== steps.length || !ids.every((id) => known.has(id))) throw DevelopmentErrors.notAPermutation();
      // One statement, so the (deferrable) unique position constraint sees only the final order.
      await tx.db
        .updateTable('career_steps as s')
        .from(sql<{ id: string; ord: number }>`unnest(${ids}::uuid[]) WITH ORDINALITY`.as<'o'>(sql`o(id, ord)`))
        .set((eb) => ({ position: eb.ref('o.ord'), updated_at: sql`now()` }))
        .where('s.path_id', '=', path.id)
        .whereRef('s.id', '=', 'o.id')
        .whereRef('s.position', '<>', 'o.ord')
        .execute();
      return this.reload(tx, path.id);
    });
  }

  setCurrentStep(principal: Principal, input: SetCurrentCareerStepInput): Promise<CareerPath> {
    return this.tenantDb.transaction(async (tx) => {
      const path = await this.claim(tx, principal, input.pathId, input.expectedVersion);
      let currentStepId: string | null = null;
      if (input.stepId) {
        const step = await tx.repo(CareerStep).findOne({ id: input.stepId, pathId: path.id });
        if (!step) throw DevelopmentErrors.stepNotFound();
        currentStepId = step.id;
      }
      await tx.repo(CareerPath).update({ id: path.id }, { currentStepId });
      return this.reload(tx, path.id);
    });
  }

  /**
   * Sets or clears goals.career_step_id. Not a change of the goal's substance (no revision, no version move),
   * but the goal row is locked like any edit, and the step is share-locked so it cannot vanish meanwhile.
   */
  linkGoal(principal: Principal, input: LinkGoalToCareerStepInput): Promise<Goal> {
    return this.tenantDb.transaction(async (tx) => {
      const { goal } = await this.goalAccess.editable(tx, principal, input.goalId);
      let careerStepId: string | null = null;
      if (input.stepId) {
        const step = await tx.db
          .selectFrom('career_steps')
          .select(['id', 'path_id'])
          .where('id', '=', input.stepId)
          .forShare()
          .executeTakeFirst();
        if (!step) throw DevelopmentErrors.stepNotFound();
        const path = (await tx.repo(CareerPath).findOne({ id: step.path_id })) as CareerPath;
        if (path.clientId !== goal.clientId) {
          const [stepClient] = await this.caseload.visibleClients(tx, principal, [path.clientId]);
          if (!stepClient) throw DevelopmentErrors.stepNotFound();
          throw DevelopmentErrors.otherClientsStep();
        }
        if (path.archivedAt) throw DevelopmentErrors.pathArchived();
        careerStepId = step.id;
      }
      await tx.db.updateTable('goals').set({ career_step_id: careerStepId }).where('id', '=', goal.id).execute();
      return (await tx.repo(Goal).findOne({ id: goal.id })) as Goal;
    });
  }

  /** Steps of a path in ladder order, batched per request. */
  steps(pathId: string): Promise<CareerStep[]> {
    return requestLoader<string, { pathId: string; steps: CareerStep[] }>(
      'career-steps:by-path',
      (pathIds) =>
        this.tenantDb.read(async (tx) => {
          const rows = await tx.repo(CareerStep).find({
            where: { pathId: In([...pathIds]) },
            order: { position: 'ASC' },
          });
          return pathIds.map((pathId) => ({ pathId, steps: rows.filter((s) => s.pathId === pathId) }));
        }),
      (group) => group.pathId,
    )
      .load(pathId)
      .then((group) => group?.steps ?? []);
  }

  step(stepId: string): Promise<CareerStep | null> {
    return requestLoader<string, CareerStep>(
      'career-steps:by-id',
      (ids) => this.tenantDb.read((tx) => tx.repo(CareerStep).findBy({ id: In([...ids]) })),
      (step) => step.id,
    ).load(stepId);
  }

  /** Goals linked to a step, oldest first (the step's client's own goals), batched per request. */
  goalsOf(stepId: string): Promise<Goal[]> {
    return requestLoader<string, { stepId: string; goals: Goal[] }>(
      'career-steps:goals',
      (stepIds) =>
        this.tenantDb.read(async (tx) => {
          const rows = await tx.repo(Goal).find({
            where: { careerStepId: In([...stepIds]) },
            order: { createdAt: 'ASC', id: 'ASC' },
          });
          return stepIds.map((stepId) => ({ stepId, goals: rows.filter((g) => g.careerStepId === stepId) }));
        }),
      (group) => group.stepId,
    )
      .load(stepId)
      .then((group) => group?.goals ?? []);
  }

  /**
   * Checks the caller may change the path, then moves its version from `expectedVersion` (with `patch`). The
   * UPDATE locks the path row until the transaction ends; a concurrent claim then finds another version.
   */
  private async claim(
    tx: TenantTransaction,
    principal: Principal,
    pathId: string,
    expectedVersion: number,
    patch: PathPatch = {},
    notFound: () => AppError = DevelopmentErrors.pathNotFound,
  ): Promise<CareerPath> {
    const path = await tx.repo(CareerPath).findOne({ id: pathId });
    if (!path) throw notFound();
    const [client] = await this.caseload.visibleClients(tx, principal, [path.clientId]);
    if (!client) throw notFound();
    if (client.archived) throw ClientErrors.clientArchived();
    if (path.archivedAt) throw DevelopmentErrors.pathArchived();
    const changed = await tx
      .repo(CareerPath)
      .update({ id: path.id, version: expectedVersion, archivedAt: IsNull() }, { ...patch, version: expectedVersion + 1 });
    if (changed === 0) throw DevelopmentErrors.stalePath();
    return path;
  }

  private async insertSteps(
    tx: TenantTransaction,
    pathId: string,
    steps: { title: string; description?: string | null; estimatedYears: number }[],
    firstPosition: number,
  ): Promise<CareerStep[]> {
    const inserted: CareerStep[] = [];
    // A ladder has at most MAX_STEPS rungs, so one insert per step stays cheap.
    for (const [index, step] of steps.entries()) {
      inserted.push(
        await tx.repo(CareerStep).insert({
          pathId,
          position: firstPosition + index,
          title: step.title.trim(),
          description: step.description?.trim() || null,
          estimatedYears: step.estimatedYears,
        }),
      );
    }
    return inserted;
  }

  private async reload(tx: TenantTransaction, pathId: string): Promise<CareerPath> {
    return (await tx.repo(CareerPath).findOne({ id: pathId })) as CareerPath;
  }
}

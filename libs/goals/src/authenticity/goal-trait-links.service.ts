import { Injectable } from '@nestjs/common';
import { ClientTrait, TraitKind } from '#cairn/clients';
import { anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestGroupLoader } from '#cairn/shared/graphql';
import { GoalErrors } from '../goals.errors.js';
import type { Goal } from '../goals/goal.entity.js';
import type { GoalWhyInput } from '../goals/goal-why.model.js';
import type { GoalFieldChange } from '../revisions/goal-revision.entity.js';
import { asRevisionValue } from '../revisions/goal-revision.service.js';

/** A profile entry as linked to one goal. */
export interface LinkedTrait extends ClientTrait {
  goalId: string;
}

/** Which input field sets the links of a kind, and the name a revision records the change under. */
const LINK_FIELDS: Record<TraitKind, { input: 'valueIds' | 'strengthIds'; revision: string }> = {
  [TraitKind.VALUE]: { input: 'valueIds', revision: 'why.linkedValues' },
  [TraitKind.STRENGTH]: { input: 'strengthIds', revision: 'why.linkedStrengths' },
};

/**
 * Goals' links to entries of their client's profile of values and strengths. Links are by id, so renaming an
 * entry renames it on every goal; removing it from the profile keeps the link (the goal shows it with its
 * removedAt, and it no longer counts for authenticity).
 */
@Injectable()
export class GoalTraitLinks {
  constructor(private readonly tenantDb: TenantDatabase) {}

  async ofGoals(tx: TenantTransaction, goalIds: readonly string[]): Promise<LinkedTrait[]> {
    if (goalIds.length === 0) return [];
    const rows = await tx.db
      .selectFrom('goal_trait_links as l')
      .innerJoin('client_traits as t', 't.id', 'l.trait_id')
      .select([
        'l.goal_id as goalId',
        't.id',
        't.client_id as clientId',
        't.kind',
        't.name',
        't.removed_at as removedAt',
        't.version',
        't.created_at as createdAt',
        't.updated_at as updatedAt',
      ])
      .where('l.goal_id', '=', anyOf(goalIds, 'uuid'))
      .orderBy('l.created_at')
      .orderBy('t.name')
      .execute();
    return rows.map((row) => Object.assign(new ClientTrait(), row, { kind: row.kind as TraitKind }));
  }

  /** For `goal.why.linkedValues` and the authenticity check: batched over the goals of a request. */
  load(goalId: string): Promise<LinkedTrait[]> {
    return requestGroupLoader(
      'goals:trait-links',
      (ids: readonly string[]) => this.tenantDb.read((tx) => this.ofGoals(tx, ids)),
      (link: LinkedTrait) => link.goalId,
    ).load(goalId);
  }

  /**
   * Sets the links the why input names (valueIds, strengthIds; omitted: unchanged, null or []: none) and returns
   * the changes for the goal's revision. A newly linked id must be an entry of the goal's client's profile, of
   * that kind, still in use; links to entries removed since may stay.
   */
  async replace(tx: TenantTransaction, goal: Goal, why: GoalWhyInput | null | undefined): Promise<GoalFieldChange[]> {
    if (!why) return [];
    const current = await this.ofGoals(tx, [goal.id]);
    const changes: GoalFieldChange[] = [];
    for (const kind of [TraitKind.VALUE, TraitKind.STRENGTH]) {
      const fields = LINK_FIELDS[kind];
      const given = why[fields.input];
      if (given === undefined) continue;
      const before = current.filter((t) => t.kind === kind);
      const wanted = [...new Set(given ?? [])];
      const added = wanted.filter((id) => !before.some((t) => t.id === id));
      const dropped = before.filter((t) => !wanted.includes(t.id));
      if (added.length === 0 && dropped.length === 0) continue;
      const found = await this.linkable(tx, goal.clientId, kind, added);
      const unknown = added.filter((id) => !found.has(id));
      if (unknown.length > 0) throw GoalErrors.traitNotInProfile(`why.${fields.input}`, kind, unknown);
      if (dropped.length > 0) {
        await tx.db
          .deleteFrom('goal_trait_links')
          .where('goal_id', '=', goal.id)
          .where('trait_id', '=', anyOf(dropped.map((t) => t.id), 'uuid'))
          .execute();
      }
      if (added.length > 0) {
        await tx.db
          .insertInto('goal_trait_links')
          .values(added.map((id) => ({ goal_id: goal.id, trait_id: id })))
          .execute();
      }
      const names = (list: readonly string[]) => asRevisionValue(list);
      const after = [...before.filter((t) => wanted.includes(t.id)).map((t) => t.name), ...added.map((id) => found.get(id)!)];
      changes.push({
        field: fields.revision,
        previousValue: names(before.map((t) => t.name)),
        newValue: names(after),
      });
    }
    return changes;
  }

  /** Of `ids`, the entries of the client's profile of `kind` in use: id → name. */
  private async linkable(
    tx: TenantTransaction,
    clientId: string,
    kind: TraitKind,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.db
      .selectFrom('client_traits')
      .select(['id', 'name'])
      .where('client_id', '=', clientId)
      .where('kind', '=', kind)
      .where('removed_at', 'is', null)
      .where('id', '=', anyOf(ids, 'uuid'))
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

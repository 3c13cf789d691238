import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { In } from 'typeorm';
import { CaseloadAccess, ClientErrors } from '#cairn/clients';
import { Goal, GoalLoader } from '#cairn/goals';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { asNode, ConnectionShape, paginate, requestLoader } from '#cairn/shared/graphql';
import { DevelopmentErrors } from '../development.errors.js';
import { DevelopmentItem } from './development-item.entity.js';
import { DevelopmentItemStatus } from './development-item.enums.js';
import { priorityOrder, priorityOrderSql } from './development-item.priority.js';
import { AddDevelopmentItemInput } from './dto/add-development-item.input.js';
import { DevelopmentItemsArgs } from './dto/development-items.args.js';
import {
  DevelopmentItemVersionInput,
  DismissDevelopmentItemInput,
  UpdateDevelopmentItemInput,
} from './dto/update-development-item.input.js';

type ItemPatch = Partial<
  Pick<
    DevelopmentItem,
    | 'category'
    | 'source'
    | 'title'
    | 'notes'
    | 'valueScore'
    | 'motivationScore'
    | 'status'
    | 'goalId'
    | 'convertedAt'
    | 'dismissedAt'
    | 'dismissReason'
  >
>;

/** Development items with the columns of the entity (as its properties, tenant aside). */
const items = (tx: TenantTransaction) =>
  tx.db
    .selectFrom('development_items as d')
    .select([
      'd.id',
      'd.client_id as clientId',
      'd.category',
      'd.source',
      'd.title',
      'd.notes',
      'd.value_score as valueScore',
      'd.motivation_score as motivationScore',
      'd.status',
      'd.goal_id as goalId',
      'd.converted_at as convertedAt',
      'd.dismissed_at as dismissedAt',
      'd.dismiss_reason as dismissReason',
      'd.created_by_user_id as createdByUserId',
      'd.created_by_api_key_id as createdByApiKeyId',
      'd.version',
      'd.created_at as createdAt',
      'd.updated_at as updatedAt',
    ]);

@Injectable()
export class DevelopmentItemService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly goals: GoalLoader,
  ) {}

  add(principal: Principal, input: AddDevelopmentItemInput): Promise<DevelopmentItem> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.editableClient(tx, principal, input.clientId);
      return tx.repo(DevelopmentItem).insert({
        clientId: client.id,
        category: input.category,
        source: input.source,
        title: input.title.trim(),
        notes: input.notes?.trim() || null,
        valueScore: input.valueScore,
        motivationScore: input.motivationScore,
        status: DevelopmentItemStatus.OPEN,
        goalId: null,
        convertedAt: null,
        dismissedAt: null,
        dismissReason: null,
        createdByUserId: principal.userId ?? null,
        createdByApiKeyId: principal.apiKeyId ?? null,
        version: 1,
      });
    });
  }

  get(principal: Principal, id: string): Promise<DevelopmentItem> {
    return this.tenantDb.transaction((tx) => this.visible(tx, principal, id));
  }

  list(principal: Principal, args: DevelopmentItemsArgs): Promise<ConnectionShape<DevelopmentItem>> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.visibleClient(tx, principal, args.clientId);
      let query = items(tx).where('d.client_id', '=', client.id);
      if (args.status?.length) query = query.where('d.status', '=', anyOf(args.status, 'text'));
      if (args.category) query = query.where('d.category', '=', args.category);
      return paginate(query, 'd', args, { node: asNode(DevelopmentItem) });
    });
  }

  /** The client's OPEN items in priority order, best first, with their rank. */
  prioritized(principal: Principal, clientId: string, first: number): Promise<DevelopmentItem[]> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.visibleClient(tx, principal, clientId);
      let query = items(tx).where('d.client_id', '=', client.id).where('d.status', '=', DevelopmentItemStatus.OPEN);
      for (const [expression, direction] of priorityOrder('d')) {
        query = query.orderBy(sql.raw(expression), direction === 'ASC' ? 'asc' : 'desc');
      }
      const rows = await query.limit(first).execute();
      return rows.map((row, index) => Object.assign(asNode(DevelopmentItem)(row), { knownRank: index + 1 }));
    });
  }

  update(principal: Principal, input: UpdateDevelopmentItemInput): Promise<DevelopmentItem> {
    return this.tenantDb.transaction(async (tx) => {
      const item = await this.editable(tx, principal, input.id);
      this.requireOpen(item);
      const patch: ItemPatch = {};
      if (input.category != null) patch.category = input.category;
      if (input.source != null) patch.source = input.source;
      if (input.title != null) patch.title = input.title.trim();
      if (input.notes !== undefined) patch.notes = input.notes?.trim() || null;
      if (input.valueScore != null) patch.valueScore = input.valueScore;
      if (input.motivationScore != null) patch.motivationScore = input.motivationScore;
      return this.apply(tx, item, input.expectedVersion, patch);
    });
  }

  dismiss(principal: Principal, input: DismissDevelopmentItemInput): Promise<DevelopmentItem> {
    return this.tenantDb.transaction(async (tx) => {
      const item = await this.editable(tx, principal, input.id);
      this.requireOpen(item);
      return this.apply(tx, item, input.expectedVersion, {
        status: DevelopmentItemStatus.DISMISSED,
        dismissedAt: new Date(),
        dismissReason: input.reason?.trim() || null,
      });
    });
  }

  reopen(principal: Principal, input: DevelopmentItemVersionInput): Promise<DevelopmentItem> {
    return this.tenantDb.transaction(async (tx) => {
      const item = await this.editable(tx, principal, input.id);
      if (item.status !== DevelopmentItemStatus.DISMISSED) throw DevelopmentErrors.itemNotDismissed();
      return this.apply(tx, item, input.expectedVersion, {
        status: DevelopmentItemStatus.OPEN,
        dismissedAt: null,
        dismissReason: null,
      });
    });
  }

  /** The item, if the caller may see its client; NOT_FOUND otherwise. */
  async visible(tx: TenantTransaction, principal: Principal, id: string): Promise<DevelopmentItem> {
    const item = await tx.repo(DevelopmentItem).findOne({ id });
    if (!item) throw DevelopmentErrors.itemNotFound();
    const [client] = await this.caseload.visibleClients(tx, principal, [item.clientId]);
    if (!client) throw DevelopmentErrors.itemNotFound();
    return item;
  }

  /** As `visible`, and the client is not archived. `lock` holds the row until the transaction ends. */
  async editable(tx: TenantTransaction, principal: Principal, id: string, lock = false): Promise<DevelopmentItem> {
    const query = items(tx).where('d.id', '=', id);
    const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
    if (!row) throw DevelopmentErrors.itemNotFound();
    const item = asNode(DevelopmentItem)(row);
    const [client] = await this.caseload.visibleClients(tx, principal, [item.clientId]);
    if (!client) throw DevelopmentErrors.itemNotFound();
    if (client.archived) throw ClientErrors.clientArchived();
    return item;
  }

  requireOpen(item: DevelopmentItem): void {
    if (item.status !== DevelopmentItemStatus.OPEN) throw DevelopmentErrors.itemNotOpen(item.status);
  }

  /** Writes `patch` if the item is still at `expectedVersion` (a concurrent change makes this one lose). */
  async apply(
    tx: TenantTransaction,
    item: DevelopmentItem,
    expectedVersion: number,
    patch: ItemPatch,
  ): Promise<DevelopmentItem> {
    const changed = await tx
      .repo(DevelopmentItem)
      .update({ id: item.id, version: expectedVersion }, { ...patch, version: expectedVersion + 1 });
    if (changed === 0) throw DevelopmentErrors.staleItem();
    return (await tx.repo(DevelopmentItem).findOne({ id: item.id })) as DevelopmentItem;
  }

  /** Rank among the client's OPEN items (1 = top), batched per request; null for items that are not OPEN. */
  async rank(item: DevelopmentItem): Promise<number | null> {
    if (item.knownRank !== undefined) return item.knownRank;
    if (item.status !== DevelopmentItemStatus.OPEN) return null;
    const row = await requestLoader<string, { id: string; rank: number }>(
      'development-items:rank',
      (ids) =>
        this.tenantDb.read(async (tx) => {
          const rows = await tx.db
            .selectFrom((eb) =>
              eb
                .selectFrom('development_items as d')
                .select([
                  'd.id',
                  // row_number() is a bigint, which pg hands over as a string.
                  sql<string>`row_number() OVER (PARTITION BY d.client_id ORDER BY ${sql.raw(priorityOrderSql('d'))})`.as('rank'),
                ])
                .where('d.status', '=', DevelopmentItemStatus.OPEN)
                .where('d.client_id', 'in', (k) =>
                  k.selectFrom('development_items as k').select('k.client_id').where('k.id', '=', anyOf(ids, 'uuid')),
                )
                .as('r'),
            )
            .select(['r.id', 'r.rank'])
            .where('r.id', '=', anyOf(ids, 'uuid'))
            .execute();
          return rows.map((r) => ({ id: r.id, rank: Number(r.rank) }));
        }),
      (r) => r.id,
    ).load(item.id);
    return row?.rank ?? null;
  }

  /** The item a goal was converted from, batched per request. */
  forGoal(goalId: string): Promise<DevelopmentItem | null> {
    return requestLoader<string, DevelopmentItem>(
      'development-items:by-goal',
      (goalIds) => this.tenantDb.read((tx) => tx.repo(DevelopmentItem).findBy({ goalId: In([...goalIds]) })),
      (item) => item.goalId as string,
    ).load(goalId);
  }

  /** The goal an item became, batched per request (same client as the item, so as visible as it). */
  /** The goal the item became, when the caller may see it (the client may have made it private). */
  goal(principal: Principal, goalId: string): Promise<Goal | null> {
    return this.goals.goal(principal, goalId);
  }
}

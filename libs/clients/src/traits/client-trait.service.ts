import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Principal } from '#cairn/shared/auth';
import { anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { requestGroupLoader } from '#cairn/shared/graphql';
import { CaseloadAccess } from '../access/caseload-access.service.js';
import { ClientErrors } from '../clients.errors.js';
import { ClientTrait } from './client-trait.model.js';
import { AddMyTraitInput, RenameMyTraitInput } from './dto/trait.inputs.js';
import { TRAIT_LIMITS, TraitKind } from './trait-kind.enum.js';

/** The client's words as stored: trimmed, inner runs of whitespace as one space. */
export const traitName = (name: string) => name.trim().replace(/\s+/g, ' ');
/** What makes two names the same entry (the table's name_key). */
export const traitKey = (name: string) => traitName(name).toLowerCase();

/** Every column of `client_traits`, named by the model's fields. */
export function selectTraits(tx: TenantTransaction) {
  return tx.db
    .selectFrom('client_traits')
    .select([
      'id',
      'client_id as clientId',
      'kind',
      'name',
      'removed_at as removedAt',
      'version',
      'created_at as createdAt',
      'updated_at as updatedAt',
    ]);
}

const toTrait = (row: Omit<ClientTrait, 'kind'> & { kind: string }): ClientTrait =>
  Object.assign(new ClientTrait(), row, { kind: row.kind as TraitKind });

/**
 * A client's profile of values and strengths. Only the client writes it (their own words); whoever may see the
 * client reads it. Entries are never deleted while the client exists: removing one stamps removed_at, so the
 * goals linked to it keep the link and their history.
 */
@Injectable()
export class ClientTraitService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
  ) {}

  /** Entries of many clients, in the order they were added (removed ones only with `includeRemoved`). */
  async ofClients(
    tx: TenantTransaction,
    clientIds: readonly string[],
    includeRemoved: boolean,
  ): Promise<ClientTrait[]> {
    if (clientIds.length === 0) return [];
    const rows = await selectTraits(tx)
      .where('client_id', '=', anyOf(clientIds, 'uuid'))
      .$if(!includeRemoved, (q) => q.where('removed_at', 'is', null))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toTrait);
  }

  /** For `Client.traits`: the caller already sees the client; batched over a page of clients. */
  load(clientId: string, kind: TraitKind | null, includeRemoved: boolean): Promise<ClientTrait[]> {
    return requestGroupLoader(
      `clients:traits:${includeRemoved}`,
      (ids: readonly string[]) => this.tenantDb.read((tx) => this.ofClients(tx, ids, includeRemoved)),
      (t: ClientTrait) => t.clientId,
    )
      .load(clientId)
      .then((traits) => (kind ? traits.filter((t) => t.kind === kind) : traits));
  }

  /** The signed-in client's own profile. */
  mine(principal: Principal, kind: TraitKind | null, includeRemoved: boolean): Promise<ClientTrait[]> {
    return this.load(principal.userId as string, kind, includeRemoved);
  }

  add(principal: Principal, input: AddMyTraitInput): Promise<ClientTrait> {
    return this.writing(principal, async (tx, clientId) => {
      const name = traitName(input.name);
      const existing = await selectTraits(tx)
        .where('client_id', '=', clientId)
        .where('kind', '=', input.kind)
        .where('name_key', '=', traitKey(name))
        .executeTakeFirst();
      // The same words again: the entry they already have (the request may simply have been repeated).
      if (existing && !existing.removedAt) return toTrait(existing);
      await this.assertRoom(tx, clientId, input.kind);
      if (existing) {
        // Re-adding a removed entry revives it, with the goals still linked to it.
        const revived = await tx.db
          .updateTable('client_traits')
          .set({ removed_at: null, name, name_key: traitKey(name), version: sql`version + 1`, updated_at: sql`now()` })
          .where('id', '=', existing.id)
          .returning('id')
          .executeTakeFirstOrThrow();
        return this.reread(tx, revived.id);
      }
      const inserted = await tx.db
        .insertInto('client_traits')
        .values({ client_id: clientId, kind: input.kind, name, name_key: traitKey(name) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return this.reread(tx, inserted.id);
    });
  }

  rename(principal: Principal, input: RenameMyTraitInput): Promise<ClientTrait> {
    return this.writing(principal, async (tx, clientId) => {
      const trait = await this.own(tx, clientId, input.id);
      const name = traitName(input.name);
      if (name === trait.name) return trait;
      const clash = await tx.db
        .selectFrom('client_traits')
        .select('id')
        .where('client_id', '=', clientId)
        .where('kind', '=', trait.kind)
        .where('name_key', '=', traitKey(name))
        .where('id', '<>', trait.id)
        .executeTakeFirst();
      if (clash) throw ClientErrors.traitNameTaken(name);
      await tx.db
        .updateTable('client_traits')
        .set({ name, name_key: traitKey(name), version: sql`version + 1`, updated_at: sql`now()` })
        .where('id', '=', trait.id)
        .execute();
      return this.reread(tx, trait.id);
    });
  }

  /** Takes the entry out of the profile; removing a removed one changes nothing. */
  remove(principal: Principal, id: string): Promise<ClientTrait> {
    return this.writing(principal, async (tx, clientId) => {
      const trait = await this.own(tx, clientId, id);
      if (trait.removedAt) return trait;
      await tx.db
        .updateTable('client_traits')
        .set({ removed_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
        .where('id', '=', trait.id)
        .execute();
      return this.reread(tx, trait.id);
    });
  }

  /**
   * A write to the caller's own profile: the client must not be archived, and one write per client at a time
   * (the per-kind limit counts what the others left, and two adds of one name meet in a single entry).
   */
  private writing<T>(principal: Principal, work: (tx: TenantTransaction, clientId: string) => Promise<T>): Promise<T> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.caseload.editableClient(tx, principal, principal.userId as string);
      const key = `client-traits:${tx.tenantId}:${client.id}`;
      await tx.db.selectNoFrom(sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`.as('locked')).execute();
      return work(tx, client.id);
    });
  }

  private async own(tx: TenantTransaction, clientId: string, id: string): Promise<ClientTrait> {
    const row = await selectTraits(tx).where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
    if (!row) throw ClientErrors.traitNotFound();
    return toTrait(row);
  }

  private async assertRoom(tx: TenantTransaction, clientId: string, kind: TraitKind): Promise<void> {
    const { n } = await tx.db
      .selectFrom('client_traits')
      .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
      .where('client_id', '=', clientId)
      .where('kind', '=', kind)
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (n >= TRAIT_LIMITS.perKind) throw ClientErrors.traitLimit(kind, TRAIT_LIMITS.perKind);
  }

  private async reread(tx: TenantTransaction, id: string): Promise<ClientTrait> {
    return toTrait(await selectTraits(tx).where('id', '=', id).executeTakeFirstOrThrow());
  }
}

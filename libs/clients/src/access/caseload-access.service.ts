import { Injectable } from '@nestjs/common';
import { type SelectQueryBuilder as TypedQuery, sql } from 'kysely';
import { type Principal, Role } from '#cairn/shared/auth';
import { anyOf, TenantTransaction } from '#cairn/shared/database';
import { ClientErrors } from '../clients.errors.js';

/** Whose clients a caller may reach: the whole firm, a coach's caseload, or a client's own record. */
export type CaseloadScope =
  | { kind: 'firm' }
  | { kind: 'coach'; coachId: string }
  | { kind: 'client'; clientId: string };

/** The facts about a client that other domains need to apply rules (due dates in the client's zone…). */
export interface ClientRef {
  id: string;
  displayName: string;
  /** The client's own zone, else the firm's default. */
  timezone: string;
  archived: boolean;
}

// Engagements that still give the coach access; an ENDED engagement keeps its history but not the access.
// Written as <> 'ENDED' (the CHECK allows only ACTIVE, PAUSED, ENDED) so the partial index engagements_open_pair
// answers a (client, coach) probe in one lookup.
const OPEN_ENGAGEMENT_EXCLUDES = 'ENDED';

/** Users with their firm (for its default zone) and their profile, if any, as `u`, `t` and `p`. */
export const usersWithProfiles = (tx: TenantTransaction) =>
  tx.db
    .selectFrom('users as u')
    .innerJoin('tenants as t', 't.id', 'u.tenant_id')
    .leftJoin('profiles as p', 'p.user_id', 'u.id');

/**
 * `EXISTS` an open engagement of the client in `clientIdColumn` (a qualified column) with `coachId`: built on
 * `tx.db`, so the tenant layer scopes it wherever it is used.
 */
export function engagedWith(tx: TenantTransaction, clientIdColumn: string, coachId: string) {
  const engagement = tx.db
    .selectFrom('engagements as caseload_e')
    .select(sql.lit(1).as('one'))
    .where('caseload_e.client_id', '=', sql.ref<string>(clientIdColumn))
    .where('caseload_e.coach_id', '=', coachId)
    .where('caseload_e.status', '<>', OPEN_ENGAGEMENT_EXCLUDES);
  return sql<boolean>`EXISTS (${engagement})`;
}

/**
 * The one place that decides which clients a caller may see and change. Every domain that stores data about
 * a client (goals, development lists, action plans, check-ins) asks here first, and applies `restrictQuery` to
 * its list queries, so a coach outside the engagement gets NOT_FOUND exactly as for another firm's rows.
 */
@Injectable()
export class CaseloadAccess {
  scopeOf(principal: Principal): CaseloadScope {
    // API keys act for the firm's integration as a whole; their scopes limit what they may do.
    if (principal.kind === 'api_key' || principal.role === Role.ADMIN) return { kind: 'firm' };
    if (principal.role === Role.COACH) return { kind: 'coach', coachId: principal.userId as string };
    if (principal.role === Role.CLIENT) return { kind: 'client', clientId: principal.userId as string };
    throw new Error(`Principal without a caseload scope: ${principal.kind}/${principal.role}`);
  }

  /** The client, if the caller may see them; NOT_FOUND otherwise (whatever the reason). */
  async visibleClient(tx: TenantTransaction, principal: Principal, clientId: string): Promise<ClientRef> {
    const [client] = await this.visibleClients(tx, principal, [clientId]);
    if (!client) throw ClientErrors.clientNotFound();
    return client;
  }

  /** As `visibleClient`, and the client must not be archived (their history is read-only). */
  async editableClient(tx: TenantTransaction, principal: Principal, clientId: string): Promise<ClientRef> {
    const client = await this.visibleClient(tx, principal, clientId);
    if (client.archived) throw ClientErrors.clientArchived();
    return client;
  }

  /** Those of `clientIds` the caller may see, in one statement (unknown and unreachable ids are left out). */
  async visibleClients(tx: TenantTransaction, principal: Principal, clientIds: readonly string[]): Promise<ClientRef[]> {
    return this.clientRefs(tx, this.scopeOf(principal), clientIds);
  }

  /**
   * The clients' coaches with an ACTIVE engagement (primary first), who hear about their check-ins. No access
   * check: for code acting for the firm (the worker, or a change already authorized).
   */
  async activeCoachesOf(tx: TenantTransaction, clientIds: readonly string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(clientIds.map((id) => [id, []]));
    if (clientIds.length === 0) return result;
    const rows = await tx.db
      .selectFrom('engagements')
      .select(['client_id', 'coach_id'])
      .where('client_id', '=', anyOf(clientIds, 'uuid'))
      .where('status', '=', 'ACTIVE')
      .orderBy('is_primary', 'desc')
      .orderBy('starts_on')
      .orderBy('coach_id')
      .execute();
    for (const row of rows) result.get(row.client_id)?.push(row.coach_id);
    return result;
  }

  /** Those of `clientIds` within `scope`, in one statement (unknown and unreachable ids are left out). */
  async clientRefs(tx: TenantTransaction, scope: CaseloadScope, clientIds: readonly string[]): Promise<ClientRef[]> {
    if (clientIds.length === 0) return [];
    let query = usersWithProfiles(tx)
      .select((eb) => [
        'u.id',
        'u.display_name',
        eb.fn.coalesce('u.timezone', 't.default_timezone').as('timezone'),
        eb('p.archived_at', 'is not', null).$castTo<boolean>().as('archived'),
      ])
      .where('u.id', '=', anyOf(clientIds, 'uuid'))
      .where('u.role', '=', Role.CLIENT);
    if (scope.kind === 'coach') {
      query = query.where(engagedWith(tx, 'u.id', scope.coachId));
    } else if (scope.kind === 'client') {
      query = query.where('u.id', '=', scope.clientId);
    }
    const rows = await query.execute();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, timezone: r.timezone, archived: r.archived }));
  }

  /**
   * Narrows a list query on `tx.db` to rows about clients the caller may see. `clientIdColumn` is the qualified
   * column holding the client id (e.g. `g.client_id`); the tenant layer scopes the engagement probe as it does
   * the query.
   */
  restrictQuery<DB, TB extends keyof DB, O>(
    tx: TenantTransaction,
    query: TypedQuery<DB, TB, O>,
    principal: Principal,
    clientIdColumn: string,
  ): TypedQuery<DB, TB, O> {
    const scope = this.scopeOf(principal);
    if (scope.kind === 'coach') return query.where(engagedWith(tx, clientIdColumn, scope.coachId));
    if (scope.kind === 'client') return query.where(sql<boolean>`${sql.ref(clientIdColumn)} = ${scope.clientId}`);
    return query;
  }
}

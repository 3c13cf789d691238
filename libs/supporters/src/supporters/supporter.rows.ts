import { sql } from 'kysely';
import type { TenantTransaction } from '#cairn/shared/database';
import type { SupporterRelationship } from './supporter.enums.js';

/** Supporters as the API shows them, with the goals shared with each (one statement). */
export function selectSupporters(tx: TenantTransaction) {
  return tx.db
    .selectFrom('supporters as s')
    .select((eb) => [
      's.id',
      's.client_id as clientId',
      's.email',
      's.display_name as displayName',
      eb.cast<SupporterRelationship>('s.relationship', 'text').as('relationship'),
      's.timezone',
      's.consent_note as consentNote',
      's.invited_by_user_id as invitedByUserId',
      's.revoked_at as revokedAt',
      's.version',
      's.created_at as createdAt',
      sql<string[]>`ARRAY(SELECT sh.goal_id FROM goal_supporter_shares sh
        WHERE sh.tenant_id = s.tenant_id AND sh.supporter_id = s.id ORDER BY sh.created_at, sh.goal_id)`.as(
        'sharedGoalIds',
      ),
    ]);
}


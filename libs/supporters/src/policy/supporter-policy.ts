import { Field, ObjectType } from '@nestjs/graphql';
import type { TenantTransaction } from '#cairn/shared/database';
import { SupporterErrors } from '../supporters.errors.js';

@ObjectType({ description: 'Whether the firm lets clients invite supporters.' })
export class SupporterPolicy {
  @Field({ description: 'Off: no invitations, and every supporter session ends at once.' })
  enabled: boolean;
}

/** The firm's switch as of this transaction; absent means on. */
export async function supportersEnabled(tx: TenantTransaction): Promise<boolean> {
  const row = await tx.db.selectFrom('supporter_policies').select('enabled').executeTakeFirst();
  return row?.enabled ?? true;
}

export async function requireSupportersEnabled(tx: TenantTransaction): Promise<void> {
  if (!(await supportersEnabled(tx))) throw SupporterErrors.supportersOff();
}

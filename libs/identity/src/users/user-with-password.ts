import type { Role } from '#cairn/shared/auth';
import { type RowOf, type SameKeys, TenantTransaction } from '#cairn/shared/database';
import { User, type UserStatus } from './user.entity.js';

const selectUsers = (tx: TenantTransaction) =>
  tx.db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.tenant_id as tenantId',
      'u.email',
      'u.display_name as displayName',
      'u.role',
      'u.status',
      'u.password_hash as passwordHash',
      'u.timezone',
      'u.last_login_at as lastLoginAt',
      'u.created_at as createdAt',
      'u.updated_at as updatedAt',
    ]);

type Selected = RowOf<ReturnType<typeof selectUsers>>;
/** Its text columns narrowed to the entity's enums (the table's checks hold them to those). */
type UserRow = Omit<Selected, 'role' | 'status'> & { role: Role; status: UserStatus };

// Compile-time: the select list covers every property of the entity, and nothing else.
const complete: SameKeys<UserRow, User> = true;
void complete;

/**
 * One user of the tenant with the password hash, which is never selected otherwise. `lock` takes a row lock
 * so concurrent password writes for that person serialise.
 */
export async function userWithPassword(
  tx: TenantTransaction,
  where: { email: string } | { id: string },
  lock = false,
): Promise<User | null> {
  const query = selectUsers(tx).where((eb) =>
    'id' in where ? eb('u.id', '=', where.id) : eb('u.email', '=', where.email),
  );
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) return null;
  const fields: User = row as UserRow;
  return Object.assign(new User(), fields);
}

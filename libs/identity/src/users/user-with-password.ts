import { TenantTransaction } from '#cairn/shared/database';
import { User } from './user.entity.js';

/**
 * One user of the tenant with the password hash, which is never selected otherwise. `lock` takes a row lock
 * so concurrent password writes for that person serialise.
 */
export function userWithPassword(
  tx: TenantTransaction,
  where: { email: string } | { id: string },
  lock = false,
): Promise<User | null> {
  const [column, value] = Object.entries(where)[0];
  const query = tx.repo(User).queryBuilder('u').addSelect('u.passwordHash').andWhere(`u.${column} = :value`, { value });
  return (lock ? query.setLock('pessimistic_write') : query).getOne();
}

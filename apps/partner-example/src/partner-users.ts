import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A person who signs in to the partner's own app, and the Cairn client they are. */
export interface PartnerUser {
  username: string;
  password: string;
  displayName: string;
  /** Cairn's id for this person as a client of the firm (the `id` of `clients`, or their user id). */
  clientId: string;
}

/**
 * The partner's own user table, from PARTNER_USERS (JSON) or the file PARTNER_USERS_FILE. A real partner has
 * its own accounts; the example needs only the mapping from its user to a Cairn client id.
 */
export function loadPartnerUsers(env: NodeJS.ProcessEnv): PartnerUser[] {
  const text =
    env.PARTNER_USERS ?? (env.PARTNER_USERS_FILE ? readFileSync(env.PARTNER_USERS_FILE, 'utf8') : undefined);
  if (!text)
    throw new Error(
      'Set PARTNER_USERS (a JSON array of {username, password, displayName, clientId}) or PARTNER_USERS_FILE',
    );
  const users = JSON.parse(text) as unknown;
  if (!Array.isArray(users) || users.length === 0)
    throw new Error('PARTNER_USERS must be a non-empty JSON array');
  return users.map((u: Partial<PartnerUser>, i) => {
    for (const field of ['username', 'password', 'clientId'] as const) {
      if (typeof u[field] !== 'string' || u[field] === '')
        throw new Error(`PARTNER_USERS[${i}].${field} must be a non-empty string`);
    }
    return {
      username: u.username!,
      password: u.password!,
      clientId: u.clientId!,
      displayName: u.displayName ?? u.username!,
    };
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The user with this name and password, or undefined; compares in constant time so timing tells nothing. */
export function authenticate(
  users: PartnerUser[],
  username: unknown,
  password: unknown,
): PartnerUser | undefined {
  if (typeof username !== 'string' || typeof password !== 'string') return undefined;
  let found: PartnerUser | undefined;
  for (const user of users) {
    const nameMatches = timingSafeEqual(digest(user.username), digest(username));
    const passwordMatches = timingSafeEqual(digest(user.password), digest(password));
    if (nameMatches && passwordMatches) found = user;
  }
  return found;
}

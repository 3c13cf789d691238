import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Refresh tokens, API keys and invitation tokens: `<prefix>_<row id>_<secret>`. Only a SHA-256 of the
 * secret is stored (it has 256 bits of entropy, so a slow hash adds nothing); the id finds the row.
 */
export interface OpaqueToken {
  id: string;
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatOpaqueToken(prefix: string, id: string, secret: string): string {
  return `${prefix}_${id}_${secret}`;
}

export function parseOpaqueToken(prefix: string, raw: string | undefined | null): OpaqueToken | null {
  if (typeof raw !== 'string' || !raw.startsWith(`${prefix}_`)) return null;
  const rest = raw.slice(prefix.length + 1);
  const id = rest.slice(0, 36);
  const secret = rest.slice(37);
  if (!UUID.test(id) || rest[36] !== '_' || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  return { id, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// Compared against when no row was found, so an unknown token does the same work as a known one.
const DECOY_HASH = hashSecret('decoy-secret-for-unknown-tokens');

/**
 * Constant-time check of a presented secret against the stored hash. Call it whether or not the row exists
 * (`storedHash` absent: false, after the same work), and only then look at revoked or expired, so unknown,
 * wrong, revoked and expired tokens take one path and get one answer.
 */
export function secretMatches(secret: string, storedHash: string | null | undefined): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash ?? DECOY_HASH, 'hex');
  return a.length === b.length && timingSafeEqual(a, b) && storedHash != null;
}

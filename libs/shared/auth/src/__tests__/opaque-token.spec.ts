import { describe, expect, it } from '@jest/globals';
import { formatOpaqueToken, hashSecret, newSecret, parseOpaqueToken, secretMatches } from '../opaque-token.js';

const ID = '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f';

describe('opaque tokens', () => {
  it('round-trips prefix, id and secret', () => {
    const secret = newSecret();
    expect(parseOpaqueToken('cak', formatOpaqueToken('cak', ID, secret))).toEqual({ id: ID, secret });
  });

  it.each([
    ['wrong prefix', `crt_${ID}_${'a'.repeat(43)}`],
    ['not a uuid', `cak_not-a-uuid-at-all-not-a-uuid-at-all_${'a'.repeat(43)}`],
    ['short secret', `cak_${ID}_abc`],
    ['missing separator', `cak_${ID}${'a'.repeat(44)}`],
    ['empty', ''],
  ])('rejects %s', (_label, raw) => {
    expect(parseOpaqueToken('cak', raw)).toBeNull();
  });

  it('stores only a SHA-256 and compares in constant time', () => {
    const secret = newSecret();
    const hash = hashSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newSecret(), hash)).toBe(false);
  });

  it('answers false when there is no stored hash (an unknown token), after the same comparison', () => {
    expect(secretMatches(newSecret(), undefined)).toBe(false);
    expect(secretMatches(newSecret(), null)).toBe(false);
    expect(secretMatches('decoy-secret-for-unknown-tokens', undefined)).toBe(false);
  });
});

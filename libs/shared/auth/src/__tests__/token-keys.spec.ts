import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { loadConfig } from '#cairn/shared/config';
import { AccessTokenService, JWT_AUDIENCE, JWT_ISSUER } from '../access-token.service.js';
import { Role } from '../role.enum.js';
import { TokenKeys } from '../token-keys.js';

const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x' };
const OLD = 'o'.repeat(32);
const NEW = 'n'.repeat(32);
const CLAIMS = { sub: 'user', tid: 'tenant', role: Role.ADMIN, sid: 'session' };

const tokensWith = (env: Record<string, string>) => {
  const config = loadConfig({ ...base, ...env });
  return new AccessTokenService(new TokenKeys(config), config);
};
const headerOf = (token: string) => jwt.decode(token, { complete: true })!.header;
const ecPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('TokenKeys', () => {
  it('signs HS256 by default, naming its key (kid default for JWT_SECRET alone)', async () => {
    const { token } = await tokensWith({ JWT_SECRET: OLD }).issue(CLAIMS);
    expect(headerOf(token)).toMatchObject({ alg: 'HS256', kid: 'default' });
    expect(jwt.verify(token, OLD, { algorithms: ['HS256'] })).toMatchObject({ sub: 'user', typ: 'access' });
  });

  it('rotates HS256: old tokens still verify beside the new key, new ones carry the new kid, a retired kid is refused', async () => {
    const old = (await tokensWith({ JWT_SECRET: OLD }).issue(CLAIMS)).token;
    const rotating = tokensWith({ JWT_SECRETS: `k2:${NEW},default:${OLD}` });
    await expect(rotating.verify(old)).resolves.toMatchObject({ sub: 'user' });
    const fresh = (await rotating.issue(CLAIMS)).token;
    expect(headerOf(fresh).kid).toBe('k2');
    const retired = tokensWith({ JWT_SECRETS: `k2:${NEW}` });
    await expect(retired.verify(fresh)).resolves.toMatchObject({ sub: 'user' });
    await expect(retired.verify(old)).rejects.toThrow(/unknown key/);
  });

  it('refuses a token naming a kid it does not know, even one signed with a configured secret', async () => {
    const forged = jwt.sign({ ...CLAIMS, typ: 'access' }, OLD, {
      algorithm: 'HS256',
      keyid: 'someone-else',
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    await expect(tokensWith({ JWT_SECRET: OLD }).verify(forged)).rejects.toThrow(/unknown key/);
  });

  it('a token from before kids (no kid header) is checked with the default key only', async () => {
    const legacy = jwt.sign({ ...CLAIMS, typ: 'access' }, OLD, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
    await expect(tokensWith({ JWT_SECRET: OLD }).verify(legacy)).resolves.toMatchObject({ sub: 'user' });
    await expect(tokensWith({ JWT_SECRETS: `k2:${OLD}` }).verify(legacy)).rejects.toThrow(/unknown key/);
  });

  it('ES256: a partner verifies an issued token with jose against the published JWKS, and nothing else passes', async () => {
    const env = { JWT_SECRET: OLD, JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEYS: `es1:${ecPem().replace(/\n/g, '\\n')},es0:${ecPem()}` };
    const config = loadConfig({ ...base, ...env });
    const keys = new TokenKeys(config);
    const tokens = new AccessTokenService(keys, config);
    const { token } = await tokens.issue(CLAIMS);
    expect(headerOf(token)).toMatchObject({ alg: 'ES256', kid: 'es1' });
    const jwks = keys.publicJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual(['es1', 'es0']);
    expect(jwks.keys.every((k) => k.d === undefined && k.kty === 'EC' && k.crv === 'P-256')).toBe(true);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
    expect(payload).toMatchObject({ sub: 'user', tid: 'tenant', typ: 'access' });
    // An HS256 token with the very JWT_SECRET is refused: the algorithm is the configured one only.
    const hs = await tokensWith({ JWT_SECRET: OLD }).issue(CLAIMS);
    await expect(tokens.verify(hs.token)).rejects.toThrow();
    // Another deployment's key with a kid of ours.
    const other = new TokenKeys(loadConfig({ ...base, ...env, JWT_SIGNING_KEYS: `es1:${ecPem()}` }));
    await expect(tokens.verify(other.sign({ ...CLAIMS, typ: 'access' }, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE }))).rejects.toThrow(
      /signature/,
    );
  });

  it('ES256 needs no JWT secret, and then seals (outside production) under a key derived from its signing key', async () => {
    const pem = ecPem();
    const config = loadConfig({ ...base, JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEYS: `es1:${pem}` });
    const { token } = await new AccessTokenService(new TokenKeys(config), config).issue(CLAIMS);
    expect(headerOf(token)).toMatchObject({ alg: 'ES256', kid: 'es1' });
    expect(config.dataEncryptionKey).toHaveLength(32);
    expect(loadConfig({ ...base, JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEYS: `es1:${pem}` }).dataEncryptionKey).toEqual(
      config.dataEncryptionKey,
    );
  });

  it('HS256 publishes no keys', () => {
    expect(new TokenKeys(loadConfig({ ...base, JWT_SECRET: OLD })).publicJwks()).toEqual({ keys: [] });
  });

  it('refuses bad key settings at start-up with a clear message', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...base, ...env });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ JWT_SECRETS: `k2:short-secret` })).toMatch(/JWT_SECRETS key k2 must be at least 32 characters/);
    expect(problems({ JWT_SECRETS: `k2:short-secret` })).not.toContain('short-secret');
    expect(problems({ JWT_SECRETS: `k2:${NEW},k3:${OLD}` })).toBe('');
    expect(problems({ JWT_SECRETS: `k2:${NEW}`, JWT_SECRET: OLD })).toMatch(/Set JWT_SECRET or JWT_SECRETS, not both/);
    expect(problems({})).toMatch(/JWT_SECRET is required but not set/);
    expect(problems({ JWT_SECRET: OLD, JWT_ALGORITHM: 'ES256' })).toMatch(/JWT_SIGNING_KEYS is required when JWT_ALGORITHM=ES256/);
    expect(problems({ JWT_SECRET: OLD, JWT_ALGORITHM: 'RS256' })).toMatch(/JWT_ALGORITHM must be HS256 or ES256/);
    expect(problems({ JWT_SECRET: OLD, JWT_SIGNING_KEYS: `es1:${ecPem()}` })).toMatch(/JWT_ALGORITHM is not ES256/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(problems({ JWT_SECRET: OLD, JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEYS: `es1:${ed}` })).toMatch(
      /JWT_SIGNING_KEYS key es1 must be an EC P-256 private key/,
    );
    expect(problems({ JWT_SECRET: OLD, JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEYS: 'es1:/nonexistent/key.pem' })).toMatch(
      /JWT_SIGNING_KEYS key es1 must be a PEM private key or the path of a readable file/,
    );
  });
});

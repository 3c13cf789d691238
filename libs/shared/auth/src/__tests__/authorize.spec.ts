import { describe, expect, it } from '@jest/globals';
import { ApiScope } from '../api-scope.enum.js';
import { authorize } from '../credential.guard.js';
import { OperationPolicy } from '../operation-policy.js';
import { Principal } from '../principal.js';
import { Role } from '../role.enum.js';

const person = (role: Role, scopes: ApiScope[] | null = null): Principal => ({
  kind: 'user',
  tenantId: 't',
  userId: 'u',
  role,
  scopes,
});
const apiKey = (scopes: ApiScope[]): Principal => ({ kind: 'api_key', tenantId: 't', apiKeyId: 'k', scopes });
const policy = (declared: Partial<OperationPolicy>): OperationPolicy => ({
  public: false,
  roles: null,
  self: false,
  scopes: null,
  supporters: false,
  ...declared,
});
const supporter: Principal = { kind: 'supporter', tenantId: 't', supporterId: 's', clientId: 'c', scopes: null };
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ALLOWED';
  } catch (e) {
    return (e as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('authorize', () => {
  it('refuses everyone when the operation declares no policy', () => {
    expect(codeOf(() => authorize(person(Role.ADMIN), undefined))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(apiKey([ApiScope.USERS_READ]), undefined))).toBe('FORBIDDEN');
  });

  it('lets any signed-in person call a self operation, and no bare API key', () => {
    expect(codeOf(() => authorize(person(Role.CLIENT), policy({ self: true })))).toBe('ALLOWED');
    const self = policy({ self: true, scopes: [ApiScope.PROFILE_READ] });
    expect(codeOf(() => authorize(apiKey([ApiScope.PROFILE_READ]), self))).toBe('FORBIDDEN');
  });

  it('enforces roles for people', () => {
    expect(codeOf(() => authorize(person(Role.COACH), policy({ roles: [Role.ADMIN] })))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(person(Role.ADMIN), policy({ roles: [Role.ADMIN] })))).toBe('ALLOWED');
  });

  it('closes operations that name no scopes to API keys and to actAsClient tokens', () => {
    expect(codeOf(() => authorize(apiKey([ApiScope.USERS_READ]), policy({ roles: [Role.ADMIN] })))).toBe('FORBIDDEN');
    // The updateMyProfile hole: a CLIENT token minted with GOALS_READ reached a self operation without scopes.
    const minted = person(Role.CLIENT, [ApiScope.GOALS_READ]);
    expect(codeOf(() => authorize(minted, policy({ self: true })))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(minted, policy({ roles: [Role.CLIENT] })))).toBe('FORBIDDEN');
  });

  it('requires every named scope of API keys and of tokens minted with one', () => {
    const users = policy({ roles: [Role.ADMIN], scopes: [ApiScope.USERS_READ] });
    expect(codeOf(() => authorize(apiKey([ApiScope.GOALS_READ]), users))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(apiKey([ApiScope.USERS_READ]), users))).toBe('ALLOWED');
    const minted = person(Role.CLIENT, [ApiScope.CHECKINS_WRITE]);
    expect(codeOf(() => authorize(minted, policy({ scopes: [ApiScope.GOALS_READ] })))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(minted, policy({ scopes: [ApiScope.CHECKINS_WRITE] })))).toBe('ALLOWED');
    const profile = policy({ self: true, scopes: [ApiScope.PROFILE_WRITE] });
    expect(codeOf(() => authorize(minted, profile))).toBe('FORBIDDEN');
    // The message names scopes as the GraphQL enum spells them, which is what an admin grants a key.
    expect(() => authorize(minted, policy({ scopes: [ApiScope.GOALS_READ, ApiScope.CHECKINS_READ] }))).toThrow(
      'Missing scope: GOALS_READ, CHECKINS_READ',
    );
    expect(codeOf(() => authorize(person(Role.CLIENT, [ApiScope.PROFILE_WRITE]), profile))).toBe('ALLOWED');
  });

  it('empty roles admit no person at all', () => {
    const act = policy({ roles: [], scopes: [ApiScope.CLIENTS_ACT] });
    expect(codeOf(() => authorize(person(Role.ADMIN), act))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(apiKey([ApiScope.CLIENTS_ACT]), act))).toBe('ALLOWED');
  });

  it('refuses a supporter on every policy that does not admit supporters, whatever else it allows', () => {
    for (const declared of [
      { roles: null, scopes: [ApiScope.GOALS_READ] },
      { roles: [Role.CLIENT] },
      { self: true },
      { roles: null, scopes: [] },
    ] satisfies Partial<OperationPolicy>[]) {
      expect(codeOf(() => authorize(supporter, policy(declared)))).toBe('FORBIDDEN');
    }
    expect(codeOf(() => authorize(supporter, undefined))).toBe('FORBIDDEN');
  });

  it('admits a supporter where declared, and `@Roles()` with it keeps people and API keys out', () => {
    const supportersOnly = policy({ roles: [], supporters: true });
    expect(codeOf(() => authorize(supporter, supportersOnly))).toBe('ALLOWED');
    expect(codeOf(() => authorize(person(Role.CLIENT), supportersOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(person(Role.ADMIN), supportersOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(apiKey([ApiScope.GOALS_READ]), supportersOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(person(Role.CLIENT, [ApiScope.GOALS_READ]), supportersOnly))).toBe('FORBIDDEN');
  });
});

import { describe, expect, it } from '@jest/globals';
import { ApiScope } from '../api-scope.enum.js';
import { authorize } from '../credential.guard.js';
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
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ALLOWED';
  } catch (e) {
    return (e as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('authorize', () => {
  it('lets any signed-in person call an operation without @Roles', () => {
    expect(codeOf(() => authorize(person(Role.CLIENT), undefined, undefined))).toBe('ALLOWED');
  });

  it('enforces @Roles for people', () => {
    expect(codeOf(() => authorize(person(Role.COACH), [Role.ADMIN], undefined))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(person(Role.ADMIN), [Role.ADMIN], undefined))).toBe('ALLOWED');
  });

  it('closes operations without @RequireScopes to API keys', () => {
    expect(codeOf(() => authorize(apiKey([ApiScope.USERS_READ]), undefined, undefined))).toBe('FORBIDDEN');
  });

  it('requires every listed scope of API keys and of tokens minted with one', () => {
    expect(codeOf(() => authorize(apiKey([ApiScope.GOALS_READ]), [Role.ADMIN], [ApiScope.USERS_READ]))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(apiKey([ApiScope.USERS_READ]), [Role.ADMIN], [ApiScope.USERS_READ]))).toBe('ALLOWED');
    const minted = person(Role.CLIENT, [ApiScope.CHECKINS_WRITE]);
    expect(codeOf(() => authorize(minted, undefined, [ApiScope.GOALS_READ]))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(minted, undefined, [ApiScope.CHECKINS_WRITE]))).toBe('ALLOWED');
  });

  it('an empty @Roles() admits no person at all', () => {
    expect(codeOf(() => authorize(person(Role.ADMIN), [], [ApiScope.CLIENTS_ACT]))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize(apiKey([ApiScope.CLIENTS_ACT]), [], [ApiScope.CLIENTS_ACT]))).toBe('ALLOWED');
  });
});

import { describe, expect, it } from '@jest/globals';
import { authenticate, loadPartnerUsers } from '../partner-users.js';

const SAM = { username: 'sam', password: 'sam-secret', displayName: 'Sam', clientId: 'c-1' };

describe('partner users', () => {
  it('loads the table from PARTNER_USERS, naming a user by their username when no display name is given', () => {
    const users = loadPartnerUsers({
      PARTNER_USERS: JSON.stringify([SAM, { username: 'olly', password: 'p', clientId: 'c-2' }]),
    });
    expect(users).toEqual([SAM, { username: 'olly', password: 'p', clientId: 'c-2', displayName: 'olly' }]);
  });

  it('refuses a missing table, an empty one and a user without a client id, saying which', () => {
    expect(() => loadPartnerUsers({})).toThrow(/PARTNER_USERS/);
    expect(() => loadPartnerUsers({ PARTNER_USERS: '[]' })).toThrow(/non-empty/);
    expect(() => loadPartnerUsers({ PARTNER_USERS: JSON.stringify([{ ...SAM, clientId: '' }]) })).toThrow(
      'PARTNER_USERS[0].clientId must be a non-empty string',
    );
  });

  it('authenticates the right name and password only', () => {
    expect(authenticate([SAM], 'sam', 'sam-secret')).toBe(SAM);
    expect(authenticate([SAM], 'sam', 'wrong')).toBeUndefined();
    expect(authenticate([SAM], 'mallory', 'sam-secret')).toBeUndefined();
    expect(authenticate([SAM], undefined, undefined)).toBeUndefined();
    expect(authenticate([SAM], ['sam'], 'sam-secret')).toBeUndefined();
  });
});

import { describe, expect, it, jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { type Principal, Role } from '#cairn/shared/auth';
import { tenantKysely, type TenantTransaction } from '#cairn/shared/database';
import { AuditAction, AuditActorKind, AuditSubjectType } from '../audit-action.enum.js';
import { auditActorOf, AuditTrail } from '../audit-trail.js';

const TENANT = '00000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-000000000002';
const KEY = '00000000-0000-4000-8000-000000000003';

function fakeTx() {
  const query = jest.fn(async (_sql: string, _params?: unknown[]) => ({ records: [] as unknown[] }));
  const manager = { queryRunner: { query } } as unknown as EntityManager;
  return {
    tx: { tenantId: TENANT, manager, db: tenantKysely(manager, TENANT) } as unknown as TenantTransaction,
    query,
  };
}

describe('AuditTrail.record', () => {
  it('inserts one row for the transaction’s tenant with the entry’s codes and ids', async () => {
    const { tx, query } = fakeTx();
    await AuditTrail.record(tx, {
      action: AuditAction.API_KEY_CREATED,
      actor: { kind: AuditActorKind.USER, id: USER },
      subject: { type: AuditSubjectType.API_KEY, id: KEY },
      details: { scopes: ['GOALS_READ', 'checkin.due'], count: 2, on: true },
    });
    expect(query).toHaveBeenCalledTimes(1);
    const [sql, params] = query.mock.calls[0];
    expect(sql).toMatch(/^insert into "audit_entries"/);
    expect(params).toEqual(
      expect.arrayContaining([TENANT, 'API_KEY_CREATED', 'SUCCESS', 'USER', USER, 'API_KEY', KEY]),
    );
    expect(params).toContain(JSON.stringify({ scopes: ['GOALS_READ', 'checkin.due'], count: 2, on: true }));
  });

  it.each([
    ['an email', { email: 'ada@summit.example' }],
    ['free text', { note: 'called the client about it' }],
    ['a name in a list', { names: ['OK', 'Ada Lovelace'] }],
    ['a key that is not a code', { 'display name': 'x' }],
  ])('refuses %s in the details and writes nothing', async (_what, details) => {
    const { tx, query } = fakeTx();
    await expect(
      AuditTrail.record(tx, {
        action: AuditAction.SIGN_IN_FAILED,
        actor: { kind: AuditActorKind.ANONYMOUS },
        details,
      }),
    ).rejects.toThrow(/not a code or an id/);
    expect(query).not.toHaveBeenCalled();
  });
});

describe('auditActorOf', () => {
  const person: Principal = { kind: 'user', tenantId: TENANT, userId: USER, role: Role.ADMIN, scopes: null };
  it('names a person, an API key, and the key behind an actAsClient token', () => {
    expect(auditActorOf(person)).toEqual({ kind: AuditActorKind.USER, id: USER });
    expect(auditActorOf({ kind: 'api_key', tenantId: TENANT, apiKeyId: KEY, scopes: [] })).toEqual({
      kind: AuditActorKind.API_KEY,
      id: KEY,
    });
    expect(auditActorOf({ ...person, role: Role.CLIENT, apiKeyId: KEY, scopes: [] })).toEqual({
      kind: AuditActorKind.API_KEY,
      id: KEY,
    });
  });
});

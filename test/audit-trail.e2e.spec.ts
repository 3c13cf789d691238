import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  createApiKey,
  errorCode,
  errorFields,
  type FirmFixture,
  signUpFirm,
  TEST_PASSWORD,
  testConfig,
} from '#cairn/shared/testing';
import {
  AUDIT_LOG as AUDIT,
  auditDetail as detail,
  type AuditNode,
  auditEntries,
  TestApi,
} from './support/index.js';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken user { id } } }`;

describe('audit trail', () => {
  let api: TestApi;
  let firm: FirmFixture;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })));
    firm = await signUpFirm(api);
  });
  afterAll(() => api.close());

  const entries = (filter: Record<string, unknown> = {}, f = firm) => auditEntries(api, f, filter);
  /** The one entry of `action` about `subjectId`; fails if there is not exactly one. */
  const onlyEntry = async (action: string, subjectId: string, f = firm) => {
    const found = await entries({ actions: [action], subjectId }, f);
    expect(found).toHaveLength(1);
    return found[0];
  };

  describe('sign-ins', () => {
    it('records a success, and a failure that is kept although the sign-in fails; no email is stored', async () => {
      const coach = await addUser(api, firm, 'COACH');
      await api.ok(LOGIN, {
        input: { firmSlug: firm.slug, email: coach.user.email, password: TEST_PASSWORD },
      });
      const success = (await entries({ actions: ['SIGN_IN_SUCCEEDED'], actorId: coach.user.id }))[0];
      expect(success).toMatchObject({
        outcome: 'SUCCESS',
        actorKind: 'USER',
        subjectType: 'USER',
        subjectId: coach.user.id,
      });

      const wrong = await api.gql(LOGIN, {
        input: { firmSlug: firm.slug, email: coach.user.email, password: 'not the password' },
      });
      expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
      const failure = await onlyEntry('SIGN_IN_FAILED', coach.user.id);
      expect(failure).toMatchObject({
        outcome: 'FAILURE',
        actorKind: 'ANONYMOUS',
        actorId: null,
        subjectType: 'USER',
      });
      expect(detail(failure, 'reason')).toEqual(['WRONG_PASSWORD']);

      const stranger = `stranger-${randomUUID().slice(0, 8)}@example.test`;
      expect(
        errorCode(
          await api.gql(LOGIN, { input: { firmSlug: firm.slug, email: stranger, password: TEST_PASSWORD } }),
        ),
      ).toBe('UNAUTHENTICATED');
      const unknown = (await entries({ actions: ['SIGN_IN_FAILED'] })).find(
        (e) => detail(e, 'reason')?.[0] === 'UNKNOWN_ACCOUNT',
      );
      expect(unknown).toMatchObject({ actorKind: 'ANONYMOUS', actorId: null, subjectId: null });
      const [raw] = await api.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE details::text LIKE $1`,
        [`%${stranger}%`],
      );
      expect(raw.n).toBe(0);
    });

    it('records a deactivated account’s attempt and a password change', async () => {
      const coach = await addUser(api, firm, 'COACH');
      await api.ok(
        `mutation ($id: ID!) { deactivateUser(id: $id) { id } }`,
        { id: coach.user.id },
        { token: firm.admin.accessToken },
      );
      const deactivated = await onlyEntry('USER_DEACTIVATED', coach.user.id);
      expect(deactivated).toMatchObject({
        actorKind: 'USER',
        actorId: firm.admin.user.id,
        subjectType: 'USER',
      });
      await api.gql(LOGIN, {
        input: { firmSlug: firm.slug, email: coach.user.email, password: TEST_PASSWORD },
      });
      expect(detail(await onlyEntry('SIGN_IN_FAILED', coach.user.id), 'reason')).toEqual(['DEACTIVATED']);

      const other = await addUser(api, firm, 'COACH');
      const CHANGE = `mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { accessToken } }`;
      expect(
        errorCode(
          await api.gql(
            CHANGE,
            { c: 'wrong password!', n: 'a brand new passphrase' },
            { token: other.accessToken },
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(await entries({ actions: ['PASSWORD_CHANGED'], actorId: other.user.id })).toHaveLength(0);
      await api.ok(CHANGE, { c: TEST_PASSWORD, n: 'a brand new passphrase' }, { token: other.accessToken });
      expect(await entries({ actions: ['PASSWORD_CHANGED'], actorId: other.user.id })).toHaveLength(1);
    });
  });

  describe('people, keys and tokens', () => {
    it('records invitations (invite, accept, revoke) with the role and no email', async () => {
      const invited = await api.ok<{ inviteUser: { token: string; invitation: { id: string } } }>(
        `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token invitation { id } } }`,
        {
          input: {
            email: `new-${randomUUID().slice(0, 8)}@example.test`,
            displayName: 'New Coach',
            role: 'COACH',
          },
        },
        { token: firm.admin.accessToken },
      );
      const invitationId = invited.inviteUser.invitation.id;
      const created = await onlyEntry('INVITATION_CREATED', invitationId);
      expect(created).toMatchObject({ actorId: firm.admin.user.id, subjectType: 'INVITATION' });
      expect(detail(created, 'role')).toEqual(['COACH']);

      const accepted = await api.ok<{ acceptInvitation: { user: { id: string } } }>(
        `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { id } } }`,
        { input: { token: invited.inviteUser.token, password: TEST_PASSWORD } },
      );
      expect(await onlyEntry('INVITATION_ACCEPTED', invitationId)).toMatchObject({
        actorKind: 'USER',
        actorId: accepted.acceptInvitation.user.id,
      });

      const second = await api.ok<{ inviteUser: { invitation: { id: string } } }>(
        `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { invitation { id } } }`,
        {
          input: {
            email: `later-${randomUUID().slice(0, 8)}@example.test`,
            displayName: 'Later',
            role: 'CLIENT',
          },
        },
        { token: firm.admin.accessToken },
      );
      const REVOKE = `mutation ($id: ID!) { revokeInvitation(id: $id) { id } }`;
      await api.ok(REVOKE, { id: second.inviteUser.invitation.id }, { token: firm.admin.accessToken });
      await api.ok(REVOKE, { id: second.inviteUser.invitation.id }, { token: firm.admin.accessToken });
      // Revoking twice is one revocation.
      expect(await onlyEntry('INVITATION_REVOKED', second.inviteUser.invitation.id)).toMatchObject({
        actorId: firm.admin.user.id,
      });
    });

    it('records a role change with from and to; refuses other roles, one’s own, another firm’s member and coaches', async () => {
      const coach = await addUser(api, firm, 'COACH');
      const CHANGE = `mutation ($id: ID!, $role: Role!) { changeUserRole(id: $id, role: $role) { id role } }`;
      const admin = { token: firm.admin.accessToken };
      expect(
        errorCode(
          await api.gql(CHANGE, { id: firm.admin.user.id, role: 'COACH' }, { token: coach.accessToken }),
        ),
      ).toBe('FORBIDDEN');
      const toClient = await api.gql(CHANGE, { id: coach.user.id, role: 'CLIENT' }, admin);
      expect(errorCode(toClient)).toBe('BAD_USER_INPUT');
      expect(errorFields(toClient)).toEqual(['role']);
      const own = await api.gql(CHANGE, { id: firm.admin.user.id, role: 'COACH' }, admin);
      expect(errorCode(own)).toBe('BAD_USER_INPUT');
      expect(errorFields(own)).toEqual(['id']);
      const other = await signUpFirm(api);
      expect(
        errorCode(
          await api.gql(CHANGE, { id: coach.user.id, role: 'ADMIN' }, { token: other.admin.accessToken }),
        ),
      ).toBe('NOT_FOUND');
      await api.ok(CHANGE, { id: coach.user.id, role: 'COACH' }, admin);
      expect(await entries({ actions: ['USER_ROLE_CHANGED'], subjectId: coach.user.id })).toHaveLength(0);

      const changed = await api.ok<{ changeUserRole: { role: string } }>(
        CHANGE,
        { id: coach.user.id, role: 'ADMIN' },
        admin,
      );
      expect(changed.changeUserRole.role).toBe('ADMIN');
      const entry = await onlyEntry('USER_ROLE_CHANGED', coach.user.id);
      expect(entry).toMatchObject({ actorId: firm.admin.user.id, subjectType: 'USER' });
      expect([detail(entry, 'from'), detail(entry, 'to')]).toEqual([['COACH'], ['ADMIN']]);
      // Effective at once, on the session the person already has.
      expect(
        await api.gql(`{ users(first: 1) { edges { node { id } } } }`, {}, { token: coach.accessToken }),
      ).toMatchObject({ errors: undefined });
    });

    it('records API key creation with its scopes, revocation, and each actAsClient token minted', async () => {
      const key = await createApiKey(api, firm, ['CLIENTS_ACT', 'GOALS_READ']);
      const created = await onlyEntry('API_KEY_CREATED', key.id);
      expect(created).toMatchObject({
        actorKind: 'USER',
        actorId: firm.admin.user.id,
        subjectType: 'API_KEY',
      });
      expect(detail(created, 'scopes')).toEqual(['CLIENTS_ACT', 'GOALS_READ']);

      const client = await addUser(api, firm, 'CLIENT');
      const ACT = `mutation ($id: ID!) { actAsClient(clientId: $id) { accessToken } }`;
      await api.ok(ACT, { id: client.user.id }, { apiKey: key.secret });
      expect(await onlyEntry('CLIENT_TOKEN_MINTED', client.user.id)).toMatchObject({
        actorKind: 'API_KEY',
        actorId: key.id,
        subjectType: 'USER',
      });
      // A refused mint (not a client) records nothing.
      expect(errorCode(await api.gql(ACT, { id: firm.admin.user.id }, { apiKey: key.secret }))).toBe(
        'NOT_FOUND',
      );
      expect(await entries({ actions: ['CLIENT_TOKEN_MINTED'], subjectId: firm.admin.user.id })).toHaveLength(
        0,
      );

      const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`;
      expect(errorCode(await api.gql(REVOKE, { id: randomUUID() }, { token: firm.admin.accessToken }))).toBe(
        'NOT_FOUND',
      );
      expect(await entries({ actions: ['API_KEY_REVOKED'] })).toHaveLength(0);
      await api.ok(REVOKE, { id: key.id }, { token: firm.admin.accessToken });
      expect(await onlyEntry('API_KEY_REVOKED', key.id)).toMatchObject({ actorId: firm.admin.user.id });
    });
  });

  describe('webhooks and policies', () => {
    it('records webhook endpoint creation, changes, secret rotation and deletion; a refused one records nothing', async () => {
      const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id version } } }`;
      const refused = await api.gql(
        CREATE,
        { input: { url: 'ftp://example.test/hook', eventTypes: ['GOAL_ACHIEVED'] } },
        { token: firm.admin.accessToken },
      );
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(await entries({ actions: ['WEBHOOK_ENDPOINT_CREATED'] })).toHaveLength(0);

      const made = await api.ok<{ createWebhookEndpoint: { endpoint: { id: string; version: number } } }>(
        CREATE,
        {
          input: {
            url: 'http://127.0.0.1:9/hook',
            eventTypes: ['GOAL_ACHIEVED'],
            description: 'Private CRM notes',
          },
        },
        { token: firm.admin.accessToken },
      );
      const id = made.createWebhookEndpoint.endpoint.id;
      const created = await onlyEntry('WEBHOOK_ENDPOINT_CREATED', id);
      expect(created).toMatchObject({ actorId: firm.admin.user.id, subjectType: 'WEBHOOK_ENDPOINT' });
      expect(detail(created, 'eventTypes')).toEqual(['goal.achieved']);
      // Free text (the description) never reaches the trail.
      expect(JSON.stringify(created)).not.toContain('Private CRM');

      await api.ok(
        `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { version } }`,
        { input: { id, expectedVersion: 1, enabled: false } },
        { token: firm.admin.accessToken },
      );
      expect(detail(await onlyEntry('WEBHOOK_ENDPOINT_UPDATED', id), 'changed')).toEqual(['enabled']);
      await api.ok(
        `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
        { id },
        { token: firm.admin.accessToken },
      );
      await onlyEntry('WEBHOOK_SECRET_ROTATED', id);
      await api.ok(
        `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }`,
        { id },
        { token: firm.admin.accessToken },
      );
      await onlyEntry('WEBHOOK_ENDPOINT_DELETED', id);
    });

    it('records each firm policy change with the firm as subject; a refused change records nothing', async () => {
      const own = await signUpFirm(api);
      const coach = await addUser(api, own, 'COACH');
      const GOAL = `mutation { updateGoalPolicy(requiredCriteria: [SPECIFIC]) { isDefault } }`;
      expect(errorCode(await api.gql(GOAL, {}, { token: coach.accessToken }))).toBe('FORBIDDEN');
      expect(await entries({ actions: ['GOAL_POLICY_CHANGED'] }, own)).toHaveLength(0);

      const admin = { token: own.admin.accessToken };
      await api.ok(GOAL, {}, admin);
      await api.ok(
        `mutation { updateNudgePolicy(input: { dailyCap: 2, celebrations: false }) { enabled } }`,
        {},
        admin,
      );
      await api.ok(`mutation { updateReportPolicy(input: { weekday: 3 }) { enabled } }`, {}, admin);
      await api.ok(`mutation { updateSupporterPolicy(enabled: false) { enabled } }`, {}, admin);
      await api.ok(
        `mutation { updateMfaPolicy(input: { requiredFor: [ADMIN] }) { requiredFor } }`,
        {},
        admin,
      );

      const changes = await entries({ subjectId: own.tenantId }, own);
      const byAction = Object.fromEntries(changes.map((e) => [e.action, e]));
      expect(Object.keys(byAction).sort()).toEqual([
        'GOAL_POLICY_CHANGED',
        'MFA_POLICY_CHANGED',
        'NUDGE_POLICY_CHANGED',
        'REPORT_POLICY_CHANGED',
        'SUPPORTER_POLICY_CHANGED',
      ]);
      for (const entry of changes)
        expect(entry).toMatchObject({ actorKind: 'USER', actorId: own.admin.user.id, subjectType: 'FIRM' });
      expect(detail(byAction.GOAL_POLICY_CHANGED, 'requiredCriteria')).toEqual(['SPECIFIC']);
      expect(detail(byAction.NUDGE_POLICY_CHANGED, 'changed')?.sort()).toEqual(['celebrations', 'dailyCap']);
      expect(detail(byAction.REPORT_POLICY_CHANGED, 'changed')).toEqual(['weekday']);
      expect(detail(byAction.SUPPORTER_POLICY_CHANGED, 'enabled')).toEqual(['false']);
    });
  });

  describe('the auditLog query', () => {
    it('is for ADMINs only', async () => {
      const coach = await addUser(api, firm, 'COACH');
      expect(errorCode(await api.gql(AUDIT, {}, { token: coach.accessToken }))).toBe('FORBIDDEN');
      const key = await createApiKey(api, firm, ['USERS_READ']);
      expect(errorCode(await api.gql(AUDIT, {}, { apiKey: key.secret }))).toBe('FORBIDDEN');
      expect(errorCode(await api.gql(AUDIT))).toBe('UNAUTHENTICATED');
    });

    it('shows only the caller’s firm', async () => {
      const other = await signUpFirm(api);
      await createApiKey(api, other, ['USERS_READ']);
      const theirs = await entries({}, other);
      expect(theirs.map((e) => e.action)).toEqual(['API_KEY_CREATED']);
      const mine = await entries({ actorId: other.admin.user.id });
      expect(mine).toEqual([]);
    });

    it('pages newest first and filters by action, actor, subject and time', async () => {
      const own = await signUpFirm(api);
      const keys = [];
      for (let i = 0; i < 3; i++) keys.push(await createApiKey(api, own, ['USERS_READ']));
      const page = await api.ok<{
        auditLog: { edges: { node: AuditNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      }>(AUDIT, { filter: { actions: ['API_KEY_CREATED'] }, first: 2 }, { token: own.admin.accessToken });
      expect(page.auditLog.edges.map((e) => e.node.subjectId)).toEqual([keys[2].id, keys[1].id]);
      expect(page.auditLog.pageInfo.hasNextPage).toBe(true);
      const rest = await api.ok<{
        auditLog: { edges: { node: AuditNode }[]; pageInfo: { hasNextPage: boolean } };
      }>(
        AUDIT,
        { filter: { actions: ['API_KEY_CREATED'] }, first: 2, after: page.auditLog.pageInfo.endCursor },
        { token: own.admin.accessToken },
      );
      expect(rest.auditLog.edges.map((e) => e.node.subjectId)).toEqual([keys[0].id]);
      expect(rest.auditLog.pageInfo.hasNextPage).toBe(false);

      const middle = page.auditLog.edges[1].node.createdAt;
      const before = await entries({ actions: ['API_KEY_CREATED'], to: middle }, own);
      expect(before.map((e) => e.subjectId)).toEqual([keys[0].id]);
      const after = await entries({ actions: ['API_KEY_CREATED'], from: middle }, own);
      expect(after.map((e) => e.subjectId)).toEqual([keys[2].id, keys[1].id]);
      expect((await entries({ subjectId: keys[1].id }, own)).map((e) => e.action)).toEqual([
        'API_KEY_CREATED',
      ]);
    });

    it('names the field of bad input', async () => {
      const notId = await api.gql(
        AUDIT,
        { filter: { actorId: 'someone' } },
        { token: firm.admin.accessToken },
      );
      expect(errorCode(notId)).toBe('BAD_USER_INPUT');
      expect(errorFields(notId).join()).toMatch(/actorId/);
      const backwards = await api.gql(
        AUDIT,
        { filter: { from: '2027-03-22T00:00:00Z', to: '2027-03-21T00:00:00Z' } },
        { token: firm.admin.accessToken },
      );
      expect(errorCode(backwards)).toBe('BAD_USER_INPUT');
      expect(errorFields(backwards)).toEqual(['to']);
      const unknown = await api.gql(
        AUDIT,
        { filter: { actions: ['NOT_AN_ACTION'] } },
        { token: firm.admin.accessToken },
      );
      expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
      expect(errorCode(await api.gql(AUDIT, { first: 0 }, { token: firm.admin.accessToken }))).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  describe('the database', () => {
    /** A statement as the application role the API uses, in `tenantId`'s transaction, rolled back. */
    async function asAppRole(tenantId: string, statement: string, params: unknown[] = []) {
      const runner = api.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query(
          `SELECT set_config('role', 'cairn_app', true), set_config('app.tenant_id', $1, true)`,
          [tenantId],
        );
        return await runner.query(statement, params);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }

    it('lets the application role read and add its firm’s entries but never change or remove one', async () => {
      const [entry] = await entries();
      const own: unknown[] = await asAppRole(firm.tenantId, `SELECT id FROM audit_entries WHERE id = $1`, [
        entry.id,
      ]);
      expect(own).toHaveLength(1);
      await expect(
        asAppRole(firm.tenantId, `UPDATE audit_entries SET action = 'SIGN_IN_FAILED' WHERE id = $1`, [
          entry.id,
        ]),
      ).rejects.toThrow(/permission denied/);
      await expect(
        asAppRole(firm.tenantId, `DELETE FROM audit_entries WHERE id = $1`, [entry.id]),
      ).rejects.toThrow(/permission denied/);
      await expect(asAppRole(firm.tenantId, `TRUNCATE audit_entries`)).rejects.toThrow(/permission denied/);
    });

    it('walls each firm off: the application role neither reads nor writes another firm’s entries', async () => {
      const other = await signUpFirm(api);
      const [entry] = await entries();
      expect(
        await asAppRole(other.tenantId, `SELECT id FROM audit_entries WHERE id = $1`, [entry.id]),
      ).toHaveLength(0);
      await expect(
        asAppRole(
          other.tenantId,
          `INSERT INTO audit_entries (tenant_id, action, actor_kind) VALUES ($1, 'SIGN_IN_FAILED', 'ANONYMOUS')`,
          [firm.tenantId],
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it('refuses updates and deletes even to the owner role, except a firm’s own deletion cascading', async () => {
      const [entry] = await entries();
      await expect(
        api.dataSource.query(`UPDATE audit_entries SET outcome = 'FAILURE' WHERE id = $1`, [entry.id]),
      ).rejects.toThrow(/append-only/);
      await expect(
        api.dataSource.query(`DELETE FROM audit_entries WHERE id = $1`, [entry.id]),
      ).rejects.toThrow(/append-only/);
      await expect(api.dataSource.query(`TRUNCATE audit_entries`)).rejects.toThrow(/append-only/);

      const tenantId = randomUUID();
      await api.dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO tenants (id, name, slug, default_timezone) VALUES ($1, 'Gone', $2, 'UTC')`,
          [tenantId, `gone-${tenantId.slice(0, 8)}`],
        );
        await m.query(
          `INSERT INTO audit_entries (tenant_id, action, actor_kind) VALUES ($1, 'SIGN_IN_FAILED', 'ANONYMOUS')`,
          [tenantId],
        );
      });
      await api.dataSource.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
      const [left] = await api.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(left.n).toBe(0);
    });
  });
});

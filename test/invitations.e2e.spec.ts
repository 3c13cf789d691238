import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  errorCode,
  FirmFixture,
  GqlResult,
  Session,
  signUpFirm,
  TEST_PASSWORD,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const ME = `{ me { id email role } }`;
const INVITE = `mutation ($input: InviteUserInput!) {
  inviteUser(input: $input) { token invitation { id email role status displayName } }
}`;
const ACCEPT = `mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { accessToken refreshToken user { id email role displayName } }
}`;
const REVOKE = `mutation ($id: ID!) { revokeInvitation(id: $id) { id status } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken user { id role } } }`;
const INVITATIONS = `{ invitations(first: 100) { edges { node { id email role status invitedBy { email } } } } }`;

const TOKEN_FORMAT =
  /^inv_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const OTHER_PASSWORD = 'another-long-enough-password';

interface InvitationNode {
  id: string;
  email: string;
  role: string;
  status: string;
  invitedBy: { email: string } | null;
}
interface AcceptedSession {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; role: string; displayName: string };
}

const fieldsOf = (result: GqlResult) =>
  ((result.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined) ?? []).map(
    (f) => f.field,
  );

/** Changes the last characters of a token's secret, keeping it well-formed. */
const tamper = (token: string) => token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');

describe('invitations', () => {
  let api: TestApi;
  let firm: FirmFixture;
  let other: FirmFixture;
  let coach: Session;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    firm = await signUpFirm(api);
    other = await signUpFirm(api, 'Other Coaching');
    coach = await addUser(api, firm, 'COACH');
  });
  afterAll(() => api.close());

  const newEmail = () => `invitee-${randomUUID().slice(0, 8)}@${firm.slug}.test`;

  /** Rows of this firm only: other test files write to the same database concurrently. */
  const countRows = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(
      (
        await api.dataSource.query(
          `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1 AND ${where}`,
          [firm.tenantId, ...params],
        )
      )[0].n,
    );
  const usersWithEmail = (email: string) => countRows('users', 'email = $2', [email.toLowerCase()]);

  const invite = async (email: string, role = 'COACH', as: FirmFixture = firm) =>
    (
      await api.ok<{ inviteUser: { token: string; invitation: InvitationNode & { displayName: string } } }>(
        INVITE,
        { input: { email, displayName: 'Invited Person', role } },
        { token: as.admin.accessToken },
      )
    ).inviteUser;

  const accept = (token: string, password = TEST_PASSWORD) =>
    api.gql<{ acceptInvitation: AcceptedSession }>(ACCEPT, {
      input: { token, password },
    });

  const listed = async (id: string, as: FirmFixture = firm): Promise<InvitationNode | undefined> => {
    const data = await api.ok<{ invitations: { edges: Array<{ node: InvitationNode }> } }>(
      INVITATIONS,
      {},
      {
        token: as.admin.accessToken,
      },
    );
    return data.invitations.edges.find((e) => e.node.id === id)?.node;
  };

  it('inviteUser returns a one-time token; accepting it creates the user, signs them in, and they can log in', async () => {
    const email = newEmail();
    const created = await invite(email, 'COACH');
    const match = TOKEN_FORMAT.exec(created.token);
    expect(match).not.toBeNull();
    const [, id, secret] = match as RegExpExecArray;
    expect(id).toBe(created.invitation.id);
    expect(created.invitation).toMatchObject({ email, role: 'COACH', status: 'PENDING' });
    const [row] = await api.dataSource.query(`SELECT secret_hash FROM invitations WHERE id = $1`, [id]);
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(await usersWithEmail(email)).toBe(0);

    const result = await accept(created.token);
    expect(result.errors).toBeUndefined();
    const session = result.data?.acceptInvitation as AcceptedSession;
    expect(session.user).toMatchObject({ email, role: 'COACH', displayName: 'Invited Person' });
    expect(session.refreshToken).toMatch(/^crt_/);
    expect(await usersWithEmail(email)).toBe(1);

    const me = await api.ok<{ me: { id: string; role: string } }>(ME, {}, { token: session.accessToken });
    expect(me.me).toMatchObject({ id: session.user.id, role: 'COACH' });

    const login = await api.ok<{ login: { user: { id: string; role: string } } }>(LOGIN, {
      input: { firmSlug: firm.slug, email, password: TEST_PASSWORD },
    });
    expect(login.login.user).toEqual({ id: session.user.id, role: 'COACH' });
    expect((await listed(id))?.status).toBe('ACCEPTED');
  });

  it('creates the user with the invited role', async () => {
    for (const role of ['ADMIN', 'COACH', 'CLIENT']) {
      const email = newEmail();
      const created = await invite(email, role);
      const accepted = await api.ok<{ acceptInvitation: AcceptedSession }>(ACCEPT, {
        input: { token: created.token, password: TEST_PASSWORD },
      });
      expect(accepted.acceptInvitation.user.role).toBe(role);
      const [row] = await api.dataSource.query(`SELECT role FROM users WHERE id = $1`, [
        accepted.acceptInvitation.user.id,
      ]);
      expect(row.role).toBe(role);
    }
  });

  it('refuses a token that was already used, creating no second user and keeping the first password', async () => {
    const email = newEmail();
    const { token } = await invite(email, 'CLIENT');
    await api.ok(ACCEPT, { input: { token, password: TEST_PASSWORD } });

    const replay = await accept(token, OTHER_PASSWORD);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.data ?? null).toBeNull();
    expect(await usersWithEmail(email)).toBe(1);

    const withNewPassword = await api.gql(LOGIN, {
      input: { firmSlug: firm.slug, email, password: OTHER_PASSWORD },
    });
    expect(errorCode(withNewPassword)).toBe('UNAUTHENTICATED');
    await api.ok(LOGIN, { input: { firmSlug: firm.slug, email, password: TEST_PASSWORD } });
  });

  it('refuses a token whose secret was altered, and the genuine token still works', async () => {
    const email = newEmail();
    const { token } = await invite(email);
    const forged = tamper(token);
    expect(forged).not.toBe(token);
    expect(forged).toMatch(TOKEN_FORMAT);

    const result = await accept(forged);
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(await usersWithEmail(email)).toBe(0);

    await api.ok(ACCEPT, { input: { token, password: TEST_PASSWORD } });
    expect(await usersWithEmail(email)).toBe(1);
  });

  it('re-inviting the same email supersedes the first invitation', async () => {
    const email = newEmail();
    const first = await invite(email, 'COACH');
    const second = await invite(email.toUpperCase(), 'CLIENT');
    expect(second.invitation.email).toBe(email);
    expect((await listed(first.invitation.id))?.status).toBe('REVOKED');
    expect((await listed(second.invitation.id))?.status).toBe('PENDING');

    expect(errorCode(await accept(first.token))).toBe('UNAUTHENTICATED');
    expect(await usersWithEmail(email)).toBe(0);

    const accepted = await api.ok<{ acceptInvitation: AcceptedSession }>(ACCEPT, {
      input: { token: second.token, password: TEST_PASSWORD },
    });
    expect(accepted.acceptInvitation.user).toMatchObject({ email, role: 'CLIENT' });
    expect(await usersWithEmail(email)).toBe(1);
  });

  it('revokeInvitation makes the token unusable', async () => {
    const email = newEmail();
    const created = await invite(email);
    const revoked = await api.ok<{ revokeInvitation: { id: string; status: string } }>(
      REVOKE,
      { id: created.invitation.id },
      { token: firm.admin.accessToken },
    );
    expect(revoked.revokeInvitation).toEqual({ id: created.invitation.id, status: 'REVOKED' });

    expect(errorCode(await accept(created.token))).toBe('UNAUTHENTICATED');
    expect(await usersWithEmail(email)).toBe(0);
    expect((await listed(created.invitation.id))?.status).toBe('REVOKED');
  });

  it('refuses an expired invitation', async () => {
    const email = newEmail();
    const created = await invite(email);
    await api.dataSource.query(
      `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [created.invitation.id],
    );
    expect((await listed(created.invitation.id))?.status).toBe('EXPIRED');

    const result = await accept(created.token);
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(await usersWithEmail(email)).toBe(0);
    const [row] = await api.dataSource.query(`SELECT accepted_at FROM invitations WHERE id = $1`, [
      created.invitation.id,
    ]);
    expect(row.accepted_at).toBeNull();
  });

  it('gives unknown, altered, used, revoked and expired tokens one identical answer', async () => {
    const used = await invite(newEmail());
    await api.ok(ACCEPT, { input: { token: used.token, password: TEST_PASSWORD } });
    const revoked = await invite(newEmail());
    await api.ok(REVOKE, { id: revoked.invitation.id }, { token: firm.admin.accessToken });
    const expired = await invite(newEmail());
    await api.dataSource.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      expired.invitation.id,
    ]);
    const live = await invite(newEmail());
    const unknown = `inv_${randomUUID()}_${'A'.repeat(43)}`;
    const answers = [];
    for (const token of [unknown, tamper(live.token), used.token, revoked.token, expired.token]) {
      const result = await accept(token, OTHER_PASSWORD);
      answers.push({ status: result.status, data: result.data ?? null, errors: result.errors });
    }
    expect(answers[0].errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    // The live invitation was not spent by the altered attempt.
    await api.ok(ACCEPT, { input: { token: live.token, password: TEST_PASSWORD } });
  });

  it('refuses to invite an email that already belongs to a user with CONFLICT, writing nothing', async () => {
    const before = await countRows('invitations');
    for (const email of [coach.user.email, firm.admin.user.email.toUpperCase()]) {
      const result = await api.gql(
        INVITE,
        { input: { email, displayName: 'Twin', role: 'CLIENT' } },
        {
          token: firm.admin.accessToken,
        },
      );
      expect(errorCode(result)).toBe('CONFLICT');
    }
    expect(await countRows('invitations')).toBe(before);
  });

  it('acceptInvitation with a short password is BAD_USER_INPUT naming password; the invitation stays PENDING', async () => {
    const email = newEmail();
    const created = await invite(email);

    const result = await accept(created.token, 'short');
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toContain('password');
    expect(await usersWithEmail(email)).toBe(0);
    expect((await listed(created.invitation.id))?.status).toBe('PENDING');

    // Still usable with a proper password.
    await api.ok(ACCEPT, { input: { token: created.token, password: TEST_PASSWORD } });
    expect(await usersWithEmail(email)).toBe(1);
  });

  it('lists invitations with their status and who invited', async () => {
    const email = newEmail();
    const created = await invite(email, 'CLIENT');
    expect(await listed(created.invitation.id)).toEqual({
      id: created.invitation.id,
      email,
      role: 'CLIENT',
      status: 'PENDING',
      invitedBy: { email: firm.admin.user.email },
    });
    // Another firm's admin does not see it.
    expect(await listed(created.invitation.id, other)).toBeUndefined();
  });

  it('a COACH cannot invite (FORBIDDEN), and nothing is written', async () => {
    const before = await countRows('invitations');
    const result = await api.gql(
      INVITE,
      { input: { email: newEmail(), displayName: 'Sneaky', role: 'ADMIN' } },
      {
        token: coach.accessToken,
      },
    );
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(await countRows('invitations')).toBe(before);
  });

  it('another firm’s admin cannot revoke this firm’s invitation (NOT_FOUND), and it stays usable', async () => {
    const email = newEmail();
    const created = await invite(email);

    const result = await api.gql(REVOKE, { id: created.invitation.id }, { token: other.admin.accessToken });
    expect(errorCode(result)).toBe('NOT_FOUND');
    const [row] = await api.dataSource.query(`SELECT revoked_at FROM invitations WHERE id = $1`, [
      created.invitation.id,
    ]);
    expect(row.revoked_at).toBeNull();
    expect((await listed(created.invitation.id))?.status).toBe('PENDING');

    await api.ok(ACCEPT, { input: { token: created.token, password: TEST_PASSWORD } });
    expect(await usersWithEmail(email)).toBe(1);
  });
});

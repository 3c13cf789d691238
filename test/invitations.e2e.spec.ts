import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { ApiModule } from '#cairn-app/api';
import { EmailDeliverer } from '#cairn/messaging';
import {
  addUser,
  createClient,
  errorCode,
  FirmFixture,
  GqlResult,
  Session,
  type SmtpSink,
  signUpFirm,
  startSmtpSink,
  TEST_PASSWORD,
  testConfig,
} from '#cairn/shared/testing';
import { sendDueEmails, TestApi } from './support/index.js';

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

describe('invitation emails', () => {
  const PATTERN = 'https://{firmSlug}.app.example.test/join?token={token}';
  const MESSAGES = `query ($kind: MessageKind) { messages(kind: $kind, first: 100) { edges { node {
    id kind subject textBody recipientUserId recipientEmail deliveries { channel status lastError } } } } }`;
  let api: TestApi;
  let sink: SmtpSink;
  let deliverer: EmailDeliverer;
  let firm: FirmFixture;
  let other: FirmFixture;
  let coach: Session;

  beforeAll(async () => {
    sink = await startSmtpSink();
    api = await TestApi.start(ApiModule.forRoot(testConfig({ SMTP_URL: sink.url, INVITE_URL_PATTERN: PATTERN })));
    deliverer = api.app.get(EmailDeliverer, { strict: false });
    firm = await signUpFirm(api, 'Summit & <Sons>');
    other = await signUpFirm(api, 'Other Coaching');
    coach = await addUser(api, firm, 'COACH');
    // The coach was invited (and emailed) to join: that email is out of the way before the tests count theirs.
    await sendDue();
  });
  afterAll(async () => {
    await api?.close();
    await sink?.stop();
  });

  const newEmail = () => `invitee-${randomUUID().slice(0, 8)}@${firm.slug}.test`;
  const mailTo = (address: string) => sink.received.filter((m) => JSON.stringify(m.to ?? '').includes(address));
  const linkIn = (text: string) => new RegExp(`https://${firm.slug}\\.app\\.example\\.test/join\\?token=(\\S+)`).exec(text);
  /** The deliveries of this firm due now, each attempted (what the worker's send job does). */
  const sendDue = (tenantId = firm.tenantId) => sendDueEmails(deliverer, tenantId);
  const inviteAs = (session: Session, input: Record<string, unknown>) => api.gql<{ inviteUser: { token: string; invitation: { id: string } } }>(INVITE, { input }, { token: session.accessToken });
  const invitationMessages = async (email: string) =>
    api.dataSource.query(`SELECT id FROM messages WHERE tenant_id = $1 AND recipient_email = $2`, [firm.tenantId, email]);

  it('inviteUser emails the accept link; the token in it is the one returned, and accepting with it works', async () => {
    const email = newEmail();
    const created = (await inviteAs(firm.admin, { email, displayName: `Zoë <b>O'Brien</b> & Co`, role: 'COACH' })).data!.inviteUser;
    expect(await sendDue()).toEqual(['sent']);

    const [mail] = mailTo(email);
    expect(mail.subject).toMatch(/ invited you to join Summit & <Sons>$/);
    const link = linkIn(mail.text ?? '');
    expect(link).not.toBeNull();
    const token = decodeURIComponent(link![1]);
    expect(token).toBe(created.token);
    expect(mail.html).toContain(`href="https://${firm.slug}.app.example.test/join?token=${link![1]}"`);
    // Names are user text: escaped in the HTML, as written in the text.
    expect(mail.html).toContain('Zoë &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; Co');
    expect(mail.html).not.toContain('<b>O');
    expect(mail.text).toContain(`Hi Zoë <b>O'Brien</b> & Co,`);
    expect(mail.text).toContain('as a coach');

    const accepted = await api.ok<{ acceptInvitation: AcceptedSession }>(ACCEPT, { input: { token, password: TEST_PASSWORD } });
    expect(accepted.acceptInvitation.user).toMatchObject({ email, role: 'COACH' });

    // In the delivery log as an email-only INVITATION to the address; other firms do not see it.
    const messages = (await api.ok<{ messages: { edges: { node: { kind: string; recipientUserId: string | null; recipientEmail: string | null; deliveries: { channel: string; status: string }[] } }[] } }>(
      MESSAGES,
      { kind: 'INVITATION' },
      { token: firm.admin.accessToken },
    )).messages.edges.map((e) => e.node);
    const message = messages.find((m) => m.recipientEmail === email)!;
    expect(message).toMatchObject({ kind: 'INVITATION', recipientUserId: null });
    expect(Object.fromEntries(message.deliveries.map((d) => [d.channel, d.status]))).toEqual({ EMAIL: 'SENT', IN_APP: 'SKIPPED', WEBHOOK: 'SKIPPED' });
    const theirs = await api.ok<{ messages: { edges: { node: { recipientEmail: string | null } }[] } }>(MESSAGES, { kind: 'INVITATION' }, { token: other.admin.accessToken });
    expect(theirs.messages.edges.map((e) => e.node.recipientEmail)).not.toContain(email);
  });

  it('each invitation is emailed once, however often delivery runs; a re-invite emails a new link and the old one is dead', async () => {
    const email = newEmail();
    const first = (await inviteAs(firm.admin, { email, displayName: 'Invited Person', role: 'CLIENT' })).data!.inviteUser;
    const [due] = (await deliverer.dueDeliveries(100_000, 0)).filter((d) => d.tenantId === firm.tenantId);
    // The same attempt twice at once (a duplicated job), then the sweep again: one email.
    expect((await Promise.all([deliverer.attempt(due), deliverer.attempt(due)])).sort()).toEqual(['sent', 'skipped']);
    expect(await sendDue()).toEqual([]);
    expect(mailTo(email)).toHaveLength(1);

    const second = (await inviteAs(firm.admin, { email, displayName: 'Invited Person', role: 'CLIENT' })).data!.inviteUser;
    expect(await sendDue()).toEqual(['sent']);
    const tokens = mailTo(email).map((m) => decodeURIComponent(linkIn(m.text ?? '')![1]));
    expect(tokens).toEqual([first.token, second.token]);
    expect(errorCode(await api.gql(ACCEPT, { input: { token: tokens[0], password: TEST_PASSWORD } }))).toBe('UNAUTHENTICATED');
    await api.ok(ACCEPT, { input: { token: tokens[1], password: TEST_PASSWORD } });
  });

  it('a coach inviting their client (inviteClient) emails the client too', async () => {
    const email = newEmail();
    const client = await createClient(api, coach, { email, displayName: 'Casey Client' });
    const invited = await api.ok<{ inviteClient: { token: string } }>(`mutation ($id: ID!) { inviteClient(id: $id) { token } }`, { id: client.id }, { token: coach.accessToken });
    expect(await sendDue()).toEqual(['sent']);
    const [mail] = mailTo(email);
    expect(decodeURIComponent(linkIn(mail.text ?? '')![1])).toBe(invited.inviteClient.token);
    expect(mail.text).toContain('as a client');
  });

  it('a coach cannot invite (FORBIDDEN) and a bad address is BAD_USER_INPUT naming email: nothing is written or sent', async () => {
    const email = newEmail();
    expect(errorCode(await inviteAs(coach, { email, displayName: 'Sneaky', role: 'ADMIN' }))).toBe('FORBIDDEN');
    const bad = await inviteAs(firm.admin, { email: 'not-an-address', displayName: 'Bad', role: 'COACH' });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toEqual(['email']);
    expect(await invitationMessages(email)).toEqual([]);
    expect(await invitationMessages('not-an-address')).toEqual([]);
    expect(await sendDue()).toEqual([]);
    expect(mailTo(email)).toHaveLength(0);
  });

  it('nothing is sent when the transaction fails at commit, after the message was written', async () => {
    const email = newEmail();
    // Fails this one invitation's transaction at COMMIT, when its message and deliveries are already written.
    const fn = `fail_${randomUUID().replace(/-/g, '')}`;
    await api.dataSource.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'commit refused'; END $$`);
    await api.dataSource.query(
      `CREATE CONSTRAINT TRIGGER ${fn} AFTER INSERT ON messages DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
         WHEN (NEW.recipient_email = '${email}') EXECUTE FUNCTION ${fn}()`,
    );
    try {
      const result = await inviteAs(firm.admin, { email, displayName: 'Doomed', role: 'COACH' });
      expect(result.errors).toBeDefined();
      expect(result.data ?? null).toBeNull();
    } finally {
      await api.dataSource.query(`DROP TRIGGER ${fn} ON messages`);
      await api.dataSource.query(`DROP FUNCTION ${fn}()`);
    }
    expect(await countOf('invitations', email)).toBe(0);
    expect(await invitationMessages(email)).toEqual([]);
    expect(await sendDue()).toEqual([]);
    expect(mailTo(email)).toHaveLength(0);
  });

  const countOf = async (table: string, email: string) =>
    Number((await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1 AND email = $2`, [firm.tenantId, email]))[0].n);
});

describe('invitations without INVITE_URL_PATTERN', () => {
  it('send no email: the token is returned for the integrator to deliver, as before', async () => {
    const sink = await startSmtpSink();
    const api = await TestApi.start(ApiModule.forRoot(testConfig({ SMTP_URL: sink.url })));
    try {
      const firm = await signUpFirm(api);
      const email = `invitee-${randomUUID().slice(0, 8)}@${firm.slug}.test`;
      const created = await api.ok<{ inviteUser: { token: string } }>(INVITE, { input: { email, displayName: 'Invited', role: 'COACH' } }, { token: firm.admin.accessToken });
      expect(created.inviteUser.token).toMatch(TOKEN_FORMAT);
      expect(await api.dataSource.query(`SELECT id FROM messages WHERE tenant_id = $1`, [firm.tenantId])).toEqual([]);
    } finally {
      await api.close();
      await sink.stop();
    }
  });
});

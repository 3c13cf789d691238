import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ApiModule } from '#cairn-app/api';
import { authorize, declaredOperations, type Principal } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import {
  addUser,
  coachingFirm,
  createApiKey,
  errorCode,
  type GqlResult,
  type Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { operationText, plausibleArguments, TestApi } from './support/index.js';

const SUPPORTER = 'id clientId email displayName relationship consentNote revokedAt sharedGoalIds';
const INVITE = `mutation ($input: InviteSupporterInput!) { inviteSupporter(input: $input) { token expiresAt supporter { ${SUPPORTER} } } }`;
const EXCHANGE = `mutation ($token: String!) { exchangeSupporterLink(input: { token: $token }) { accessToken refreshToken } }`;
const REFRESH = `mutation ($token: String!) { refreshSupporterSession(input: { token: $token }) { accessToken refreshToken } }`;
const SHARE = `mutation ($input: GoalShareInput!) { shareGoalWithSupporter(input: $input) { sharedGoalIds } }`;
const UNSHARE = `mutation ($input: GoalShareInput!) { unshareGoalWithSupporter(input: $input) { sharedGoalIds } }`;
const REVOKE = `mutation ($id: ID!) { revokeSupporter(id: $id) { revokedAt } }`;
const HOME = `{ supporterHome { supporterId displayName clientName encouragementsLeftToday
  goals { id title status progress measures { title kind done currentValue } tasks { title streak { current } } }
  requests { id question status developmentItemId } } }`;
const ENCOURAGE = `mutation ($input: SendEncouragementInput!) { sendEncouragement(input: $input) { id message goalId } }`;
const ASK = `mutation ($input: AskSupporterInput!) { askSupporter(input: $input) { id status } }`;
const ANSWER = `mutation ($input: AnswerSupporterRequestInput!) { answerSupporterRequest(input: $input) { id status developmentItemId } }`;
const POLICY = `mutation ($enabled: Boolean!) { updateSupporterPolicy(enabled: $enabled) { enabled } }`;

interface Home {
  supporterHome: {
    supporterId: string;
    clientName: string;
    encouragementsLeftToday: number;
    goals: Array<{
      id: string;
      title: string;
      progress: number | null;
      measures: Array<{ title: string; done: boolean }>;
    }>;
    requests: Array<{ id: string; question: string; status: string; developmentItemId: string | null }>;
  };
}

describe('supporters', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start(
      ApiModule.forRoot(
        testConfig({ INVITE_URL_PATTERN: 'https://app.example.test/support?token={token}&firm={firmSlug}' }),
      ),
    );
  });
  afterAll(() => api.close());

  const goalOf = async (client: Session, title: string) =>
    (
      await api.ok<{ createGoal: { id: string } }>(
        `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id } }`,
        { input: { clientId: client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title } },
        { token: client.accessToken },
      )
    ).createGoal.id;

  const invite = async (by: Session, clientId: string, extra: Record<string, unknown> = {}) =>
    (
      await api.ok<{ inviteSupporter: { token: string; supporter: { id: string } } }>(
        INVITE,
        {
          input: {
            clientId,
            email: `sup-${Math.random().toString(36).slice(2, 8)}@example.test`,
            displayName: 'Bea Boss',
            relationship: 'BOSS',
            ...extra,
          },
        },
        { token: by.accessToken },
      )
    ).inviteSupporter;

  const signIn = async (token: string) =>
    (
      await api.ok<{ exchangeSupporterLink: { accessToken: string; refreshToken: string } }>(EXCHANGE, {
        token,
      })
    ).exchangeSupporterLink;

  /** A client with two goals, one shared with a signed-in supporter. */
  async function circle() {
    const cast = await coachingFirm(api);
    const shared = await goalOf(cast.client, 'Present the quarterly sales report to the board');
    const unshared = await goalOf(cast.client, 'Negotiate a four day week with my manager');
    await api.ok(
      `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
      { input: { goalId: shared, expectedVersion: 1, kind: 'MILESTONE', title: 'First draft reviewed' } },
      { token: cast.client.accessToken },
    );
    const invited = await invite(cast.client, cast.client.user.id);
    await api.ok(
      SHARE,
      { input: { supporterId: invited.supporter.id, goalId: shared } },
      { token: cast.client.accessToken },
    );
    const session = await signIn(invited.token);
    return { ...cast, shared, unshared, supporterId: invited.supporter.id, link: invited.token, session };
  }

  it('invite → link → supporter session → sees only the shared goal, with its measures', async () => {
    const { session, shared, supporterId } = await circle();
    const home = (await api.ok<Home>(HOME, {}, { token: session.accessToken })).supporterHome;
    expect(home.supporterId).toBe(supporterId);
    expect(home.goals.map((g) => g.id)).toEqual([shared]);
    expect(home.goals[0].measures).toEqual([
      expect.objectContaining({ title: 'First draft reviewed', done: false }),
    ]);
    expect(home.encouragementsLeftToday).toBe(10);
  });

  it('the link is emailed to the supporter through the message pipeline, once per link', async () => {
    const c = await coachingFirm(api);
    const email = `linked-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const first = await invite(c.client, c.client.user.id, { email });
    const again = await api.ok<{ resendSupporterLink: { token: string } }>(
      `mutation ($id: ID!) { resendSupporterLink(id: $id) { token } }`,
      { id: first.supporter.id },
      { token: c.client.accessToken },
    );
    const rows: Array<{
      kind: string;
      subject: string;
      text_body: string;
      recipient_user_id: string | null;
    }> = await api.dataSource.query(
      `SELECT kind, subject, text_body, recipient_user_id FROM messages WHERE recipient_email = $1 ORDER BY created_at`,
      [email],
    );
    expect(rows.map((r) => [r.kind, r.subject, r.recipient_user_id])).toEqual([
      ['INVITATION', 'CLIENT person asked you to support their goals', null],
      ['INVITATION', 'CLIENT person asked you to support their goals', null],
    ]);
    expect(rows[0].text_body).toContain(
      `https://app.example.test/support?token=${encodeURIComponent(first.token)}&firm=${c.firm.slug}`,
    );
    expect(rows[1].text_body).toContain(encodeURIComponent(again.resendSupporterLink.token));
    // The first link was voided by the second.
    expect(errorCode(await api.gql(EXCHANGE, { token: first.token }))).toBe('UNAUTHENTICATED');
    await signIn(again.resendSupporterLink.token);
  });

  it('the supporter sees progress as it is recorded: a milestone done, a habit’s streak', async () => {
    const c = await circle();
    const measure = await api.ok<{ goal: { measures: Array<{ id: string }> } }>(
      `query ($id: ID!) { goal(id: $id) { measures { id } } }`,
      { id: c.shared },
      { token: c.client.accessToken },
    );
    await api.ok(
      `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { goal { progress } } }`,
      { input: { measureId: measure.goal.measures[0].id, value: 1 } },
      { token: c.client.accessToken },
    );
    const task = await api.ok<{ createActionTask: { id: string } }>(
      `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
      { input: { goalId: c.shared, title: 'Practise the pitch', recurrence: 'FREQ=DAILY' } },
      { token: c.client.accessToken },
    );
    await api.ok(
      `mutation ($input: LogTaskCompletionInput!) { logTaskCompletion(input: $input) { completion { id } } }`,
      { input: { taskId: task.createActionTask.id, occurrenceOn: todayIn('Europe/London') } },
      { token: c.client.accessToken },
    );
    const [goal] = (await api.ok<Home>(HOME, {}, { token: c.session.accessToken })).supporterHome
      .goals as Array<
      Home['supporterHome']['goals'][number] & {
        tasks: Array<{ title: string; streak: { current: number } | null }>;
      }
    >;
    expect(goal.progress).toBe(100);
    expect(goal.measures).toEqual([expect.objectContaining({ done: true })]);
    expect(goal.tasks).toEqual([{ title: 'Practise the pitch', streak: { current: 1 } }]);
  });

  it('unsharing hides the goal at once; sharing a goal of another client is NOT_FOUND', async () => {
    const c = await circle();
    const other = await circle();
    const notMine = await api.gql(
      SHARE,
      { input: { supporterId: c.supporterId, goalId: other.shared } },
      { token: c.client.accessToken },
    );
    expect(errorCode(notMine)).toBe('NOT_FOUND');
    const othersSupporter = await api.gql(
      SHARE,
      { input: { supporterId: other.supporterId, goalId: c.shared } },
      { token: c.client.accessToken },
    );
    expect(errorCode(othersSupporter)).toBe('NOT_FOUND');
    await api.ok(
      UNSHARE,
      { input: { supporterId: c.supporterId, goalId: c.shared } },
      { token: c.client.accessToken },
    );
    expect((await api.ok<Home>(HOME, {}, { token: c.session.accessToken })).supporterHome.goals).toEqual([]);
    // The other client's supporter still sees only their own client's shared goal.
    const theirs = (await api.ok<Home>(HOME, {}, { token: other.session.accessToken })).supporterHome.goals;
    expect(theirs.map((g) => g.id)).toEqual([other.shared]);
  });

  it('a link works once, and not after it expired', async () => {
    const c = await coachingFirm(api);
    const first = await invite(c.client, c.client.user.id);
    await signIn(first.token);
    expect(errorCode(await api.gql(EXCHANGE, { token: first.token }))).toBe('UNAUTHENTICATED');
    const resent = await api.ok<{ resendSupporterLink: { token: string } }>(
      `mutation ($id: ID!) { resendSupporterLink(id: $id) { token } }`,
      { id: first.supporter.id },
      { token: c.client.accessToken },
    );
    await api.dataSource.query(
      `UPDATE supporter_links SET expires_at = now() - interval '1 second' WHERE supporter_id = $1`,
      [first.supporter.id],
    );
    expect(errorCode(await api.gql(EXCHANGE, { token: resent.resendSupporterLink.token }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await api.gql(EXCHANGE, { token: 'spl_not-a-token' }))).toBe('UNAUTHENTICATED');
  });

  it('the same link exchanged twice at once: exactly one session', async () => {
    const c = await coachingFirm(api);
    const { token } = await invite(c.client, c.client.user.id);
    const results = await Promise.all([api.gql(EXCHANGE, { token }), api.gql(EXCHANGE, { token })]);
    expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['OK', 'UNAUTHENTICATED']);
  });

  it('row-level security: with no filter in the query, a firm reads only its own supporter rows', async () => {
    const a = await circle();
    const b = await circle();
    await api.ok(ENCOURAGE, { input: { message: 'Hi' } }, { token: b.session.accessToken });
    await api.ok(ENCOURAGE, { input: { message: 'Hi' } }, { token: a.session.accessToken });
    const tenantDb = api.app.get(TenantDatabase);
    for (const table of [
      'supporters',
      'supporter_links',
      'supporter_sessions',
      'goal_supporter_shares',
      'supporter_encouragements',
    ]) {
      const seen: Array<{ tenant_id: string }> = await RequestContext.runAs(
        { tenantId: a.firm.tenantId },
        () => tenantDb.transaction((tx) => tx.manager.query(`SELECT tenant_id FROM ${table}`)),
      );
      expect({ table, rows: seen.length > 0 }).toEqual({ table, rows: true });
      expect({ table, tenants: [...new Set(seen.map((r) => r.tenant_id))] }).toEqual({
        table,
        tenants: [a.firm.tenantId],
      });
    }
  });

  it('a refresh token works once; presenting it again ends the session', async () => {
    const { session } = await circle();
    const next = (
      await api.ok<{ refreshSupporterSession: { accessToken: string } }>(REFRESH, {
        token: session.refreshToken,
      })
    ).refreshSupporterSession;
    await api.ok(HOME, {}, { token: next.accessToken });
    expect(errorCode(await api.gql(REFRESH, { token: session.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(HOME, {}, { token: next.accessToken }))).toBe('UNAUTHENTICATED');
  });

  it('revoking a supporter ends their session on the next request', async () => {
    const c = await circle();
    await api.ok(HOME, {}, { token: c.session.accessToken });
    await api.ok(REVOKE, { id: c.supporterId }, { token: c.client.accessToken });
    expect(errorCode(await api.gql(HOME, {}, { token: c.session.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(REFRESH, { token: c.session.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('the firm turning supporters off ends every session and refuses invitations', async () => {
    const c = await circle();
    await api.ok(POLICY, { enabled: false }, { token: c.firm.admin.accessToken });
    expect(errorCode(await api.gql(HOME, {}, { token: c.session.accessToken }))).toBe('UNAUTHENTICATED');
    const refused = await api.gql(
      INVITE,
      {
        input: {
          clientId: c.client.user.id,
          email: 'x@example.test',
          displayName: 'X',
          relationship: 'FRIEND',
        },
      },
      { token: c.client.accessToken },
    );
    expect(errorCode(refused)).toBe('FORBIDDEN');
    await api.ok(POLICY, { enabled: true }, { token: c.firm.admin.accessToken });
    // Back on, the old session stays ended: a new link is needed.
    expect(errorCode(await api.gql(HOME, {}, { token: c.session.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(POLICY, { enabled: false }, { token: c.client.accessToken }))).toBe(
      'FORBIDDEN',
    );
  });

  it('encouragement reaches the client’s feed and the outbox as supporter.encouraged; not about an unshared goal', async () => {
    const c = await circle();
    const sent = await api.ok<{ sendEncouragement: { id: string } }>(
      ENCOURAGE,
      { input: { message: '  You have got this!  ', goalId: c.shared } },
      { token: c.session.accessToken },
    );
    const feed = await api.ok<{
      notifications: { edges: Array<{ node: { kind: string; title: string; body: string } }> };
    }>(
      `{ notifications(first: 10) { edges { node { kind title body } } } }`,
      {},
      { token: c.client.accessToken },
    );
    expect(feed.notifications.edges.map((e) => e.node)).toContainEqual({
      kind: 'SUPPORTER_ENCOURAGEMENT',
      title: 'Bea Boss sent you encouragement',
      body: 'You have got this!',
    });
    const [event] = await api.dataSource.query(
      `SELECT payload FROM domain_events WHERE type = 'supporter.encouraged' AND payload->>'encouragementId' = $1`,
      [sent.sendEncouragement.id],
    );
    expect(event.payload).toEqual({
      encouragementId: sent.sendEncouragement.id,
      supporterId: c.supporterId,
      clientId: c.client.user.id,
      goalId: c.shared,
    });
    const unshared = await api.gql(
      ENCOURAGE,
      { input: { message: 'Hi', goalId: c.unshared } },
      { token: c.session.accessToken },
    );
    expect(errorCode(unshared)).toBe('NOT_FOUND');
  });

  it('supporter.encouraged reaches the webhook endpoints subscribed to it, and only those', async () => {
    const c = await circle();
    const endpoint = (eventTypes: string[]) =>
      api.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
        { input: { url: 'https://93.184.215.14/hook', eventTypes } },
        { token: c.firm.admin.accessToken },
      );
    const subscribed = (await endpoint(['SUPPORTER_ENCOURAGED'])).createWebhookEndpoint.endpoint.id;
    await endpoint(['GOAL_ACHIEVED']);
    const sent = await api.ok<{ sendEncouragement: { id: string } }>(
      ENCOURAGE,
      { input: { message: 'Go!' } },
      { token: c.session.accessToken },
    );
    const deliveries: Array<{ endpoint_id: string }> = await api.dataSource.query(
      `SELECT d.endpoint_id FROM webhook_deliveries d JOIN domain_events e ON e.id = d.event_id
        WHERE e.type = 'supporter.encouraged' AND e.payload->>'encouragementId' = $1`,
      [sent.sendEncouragement.id],
    );
    expect(deliveries).toEqual([{ endpoint_id: subscribed }]);
  });

  it('encouragement input: blank, too long and past the daily cap are refused with the field named', async () => {
    const c = await circle();
    const blank = await api.gql(ENCOURAGE, { input: { message: '   ' } }, { token: c.session.accessToken });
    expect(errorCode(blank)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(blank.errors)).toContain('message');
    const long = await api.gql(
      ENCOURAGE,
      { input: { message: 'x'.repeat(1001) } },
      { token: c.session.accessToken },
    );
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
    const nul = await api.gql(
      ENCOURAGE,
      { input: { message: 'a\u0000b' } },
      { token: c.session.accessToken },
    );
    expect(errorCode(nul)).toBe('BAD_USER_INPUT');
    for (let i = 0; i < 10; i += 1)
      await api.ok(ENCOURAGE, { input: { message: `Go ${i}` } }, { token: c.session.accessToken });
    const capped = await api.gql(
      ENCOURAGE,
      { input: { message: 'One more' } },
      { token: c.session.accessToken },
    );
    expect(errorCode(capped)).toBe('RATE_LIMITED');
    expect(capped.errors?.[0].extensions?.retryAfterSeconds).toEqual(expect.any(Number));
  });

  it('the daily cap holds under concurrent sends: exactly 10 of 12 at once go through', async () => {
    const c = await circle();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.gql(ENCOURAGE, { input: { message: `Go ${i}` } }, { token: c.session.accessToken }),
      ),
    );
    const codes = results.map((r) => errorCode(r) ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(10);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(2);
  });

  it('fact-finding: the client asks, the supporter answers once, the answer lands in the development list', async () => {
    const c = await circle();
    const asked = await api.ok<{ askSupporter: { id: string } }>(
      ASK,
      { input: { supporterId: c.supporterId, question: 'What should I develop to become Sales Manager?' } },
      { token: c.client.accessToken },
    );
    const home = (await api.ok<Home>(HOME, {}, { token: c.session.accessToken })).supporterHome;
    expect(home.requests).toEqual([expect.objectContaining({ id: asked.askSupporter.id, status: 'OPEN' })]);
    const answer = {
      requestId: asked.askSupporter.id,
      category: 'SKILL',
      title: 'Coaching your reps one to one',
    };
    const answered = await api.ok<{ answerSupporterRequest: { developmentItemId: string } }>(
      ANSWER,
      { input: answer },
      { token: c.session.accessToken },
    );
    const item = await api.ok<{ developmentItem: { source: string; title: string; clientId: string } }>(
      `query ($id: ID!) { developmentItem(id: $id) { source title clientId } }`,
      { id: answered.answerSupporterRequest.developmentItemId },
      { token: c.client.accessToken },
    );
    expect(item.developmentItem).toEqual({
      source: 'BOSS',
      title: 'Coaching your reps one to one',
      clientId: c.client.user.id,
    });
    expect(errorCode(await api.gql(ANSWER, { input: answer }, { token: c.session.accessToken }))).toBe(
      'CONFLICT',
    );
    // Another client's supporter cannot answer it.
    const other = await circle();
    expect(errorCode(await api.gql(ANSWER, { input: answer }, { token: other.session.accessToken }))).toBe(
      'NOT_FOUND',
    );
  });

  it('who may invite: the client, their coach only with consent; not another coach, not an API key', async () => {
    const c = await coachingFirm(api);
    const noConsent = await api.gql(
      INVITE,
      {
        input: {
          clientId: c.client.user.id,
          email: 'm@example.test',
          displayName: 'Mo',
          relationship: 'MENTOR',
        },
      },
      { token: c.coach.accessToken },
    );
    expect(errorCode(noConsent)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(noConsent.errors)).toContain('clientConsent');
    const byCoach = await invite(c.coach, c.client.user.id, {
      email: 'm@example.test',
      clientConsent: true,
      consentNote: 'Agreed in session 2',
    });
    expect(byCoach.supporter).toEqual(expect.objectContaining({ consentNote: 'Agreed in session 2' }));
    const stranger = await api.gql(
      INVITE,
      {
        input: {
          clientId: c.client.user.id,
          email: 'n@example.test',
          displayName: 'N',
          relationship: 'FRIEND',
          clientConsent: true,
          consentNote: 'yes',
        },
      },
      { token: c.otherCoach.accessToken },
    );
    expect(errorCode(stranger)).toBe('NOT_FOUND');
    const key = await createApiKey(api, c.firm, ['CLIENTS_ACT', 'GOALS_WRITE', 'CLIENTS_WRITE']);
    const byKey = await api.gql(
      INVITE,
      {
        input: {
          clientId: c.client.user.id,
          email: 'k@example.test',
          displayName: 'K',
          relationship: 'FRIEND',
        },
      },
      { apiKey: key.secret },
    );
    expect(errorCode(byKey)).toBe('FORBIDDEN');
    const bad = await api.gql(
      INVITE,
      {
        input: { clientId: c.client.user.id, email: 'not-an-email', displayName: '', relationship: 'UNCLE' },
      },
      { token: c.client.accessToken },
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const badZone = await api.gql(
      INVITE,
      {
        input: {
          clientId: c.client.user.id,
          email: 'z@example.test',
          displayName: 'Z',
          relationship: 'FAMILY',
          timezone: 'Mars/Olympus',
        },
      },
      { token: c.client.accessToken },
    );
    expect(errorCode(badZone)).toBe('BAD_USER_INPUT');
    const again = await api.gql(
      INVITE,
      {
        input: {
          clientId: c.client.user.id,
          email: 'M@example.test',
          displayName: 'Mo',
          relationship: 'MENTOR',
          clientConsent: true,
          consentNote: 'ok',
        },
      },
      { token: c.coach.accessToken },
    );
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('a partner frontend acting as the client manages supporters with SUPPORTERS_READ / SUPPORTERS_WRITE; a bare key never', async () => {
    const c = await coachingFirm(api);
    const goal = await goalOf(c.client, 'Chair the quarterly review');
    const actAs = async (scopes: string[]) => {
      const key = await createApiKey(api, c.firm, ['CLIENTS_ACT', ...scopes]);
      const minted = await api.ok<{ actAsClient: { accessToken: string } }>(
        `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`,
        { clientId: c.client.user.id },
        { apiKey: key.secret },
      );
      return { token: minted.actAsClient.accessToken, key: key.secret };
    };
    const inviteInput = (email: string) => ({
      input: { clientId: c.client.user.id, email, displayName: 'Pat', relationship: 'COLLEAGUE' },
    });
    const LIST = `query ($clientId: ID!) { supporters(clientId: $clientId) { id sharedGoalIds } }`;

    const writer = await actAs(['SUPPORTERS_READ', 'SUPPORTERS_WRITE']);
    const invited = await api.ok<{ inviteSupporter: { supporter: { id: string } } }>(
      INVITE,
      inviteInput('pat@example.test'),
      { token: writer.token },
    );
    const supporterId = invited.inviteSupporter.supporter.id;
    await api.ok(SHARE, { input: { supporterId, goalId: goal } }, { token: writer.token });
    const listed = await api.ok<{ supporters: { id: string; sharedGoalIds: string[] }[] }>(
      LIST,
      { clientId: c.client.user.id },
      { token: writer.token },
    );
    expect(listed.supporters).toEqual([{ id: supporterId, sharedGoalIds: [goal] }]);

    // Without the scope: refused, naming it.
    const reader = await actAs(['SUPPORTERS_READ']);
    expect(
      (await api.ok<{ supporters: unknown[] }>(LIST, { clientId: c.client.user.id }, { token: reader.token }))
        .supporters,
    ).toHaveLength(1);
    const refused = await api.gql(INVITE, inviteInput('quinn@example.test'), { token: reader.token });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toBe('Missing scope: SUPPORTERS_WRITE');
    const unscoped = await actAs(['GOALS_READ']);
    expect(
      (await api.gql(LIST, { clientId: c.client.user.id }, { token: unscoped.token })).errors?.[0].message,
    ).toBe('Missing scope: SUPPORTERS_READ');
    // The key itself, with both scopes, is no person: refused.
    expect(errorCode(await api.gql(INVITE, inviteInput('rae@example.test'), { apiKey: writer.key }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await api.gql(LIST, { clientId: c.client.user.id }, { apiKey: writer.key }))).toBe(
      'FORBIDDEN',
    );
    // A token acting as another client of the firm reaches none of this client's supporters.
    const other = await addUser(api, c.firm, 'CLIENT');
    const otherKey = await createApiKey(api, c.firm, ['CLIENTS_ACT', 'SUPPORTERS_READ', 'SUPPORTERS_WRITE']);
    const otherToken = (
      await api.ok<{ actAsClient: { accessToken: string } }>(
        `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`,
        { clientId: other.user.id },
        { apiKey: otherKey.secret },
      )
    ).actAsClient.accessToken;
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(
      errorCode(await api.gql(LIST, { clientId: c.client.user.id }, { token: otherToken })),
    );
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(
      errorCode(await api.gql(SHARE, { input: { supporterId, goalId: goal } }, { token: otherToken })),
    );
  });

  it('another firm sees none of it: its admin, its clients and its supporters', async () => {
    const c = await circle();
    const firm2 = await signUpFirm(api);
    const client2 = await addUser(api, firm2, 'CLIENT');
    expect(errorCode(await api.gql(REVOKE, { id: c.supporterId }, { token: firm2.admin.accessToken }))).toBe(
      'NOT_FOUND',
    );
    const list = await api.gql(
      `query ($id: ID!) { supporters(clientId: $id) { id } }`,
      { id: c.client.user.id },
      { token: firm2.admin.accessToken },
    );
    expect(errorCode(list)).toBe('NOT_FOUND');
    const share = await api.gql(
      SHARE,
      { input: { supporterId: c.supporterId, goalId: c.shared } },
      { token: client2.accessToken },
    );
    expect(errorCode(share)).toBe('NOT_FOUND');
    // Firm 1 turning supporters off does not touch firm 2's supporters.
    const d = await circle();
    await api.ok(POLICY, { enabled: false }, { token: c.firm.admin.accessToken });
    await api.ok(HOME, {}, { token: d.session.accessToken });
  });

  it('a supporter token is refused on every other operation of the schema (FORBIDDEN), and is no person', async () => {
    const c = await circle();
    const schema = api.app.get(GraphQLSchemaHost).schema;
    const supporter: Principal = {
      kind: 'supporter',
      tenantId: c.firm.tenantId,
      supporterId: c.supporterId,
      clientId: c.client.user.id,
      scopes: null,
    };
    const admitted = declaredOperations()
      .filter((op) => {
        try {
          authorize(supporter, op.policy);
          return true;
        } catch {
          return false;
        }
      })
      .map((op) => op.name)
      .sort();
    const public_ = declaredOperations().filter((op) => op.policy?.public).length;
    expect(
      Object.keys(schema.getQueryType()!.getFields()).length +
        Object.keys(schema.getMutationType()!.getFields()).length,
    ).toBeGreaterThan(public_ + 100);
    expect(admitted).toEqual(['answerSupporterRequest', 'sendEncouragement', 'supporterHome']);
    // Over HTTP, every query and mutation of the served schema with plausible arguments, as a frontend would try.
    const publicOps = new Set(
      declaredOperations()
        .filter((op) => op.policy?.public)
        .map((op) => op.name),
    );
    const ids = { clientId: c.client.user.id, id: c.shared, goalId: c.unshared, supporterId: c.supporterId };
    const answers: Record<string, unknown> = {};
    for (const [kind, root] of [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const) {
      for (const field of Object.values(root.getFields())) {
        if (publicOps.has(field.name) || admitted.includes(field.name)) continue;
        const result = await api.gql(operationText(kind, field), plausibleArguments(field, ids), {
          token: c.session.accessToken,
        });
        answers[field.name] = errorCode(result);
      }
    }
    expect(Object.keys(answers).length).toBeGreaterThan(100);
    expect(Object.entries(answers).filter(([, code]) => code !== 'FORBIDDEN')).toEqual([]);
    // A few by hand, with real selections.
    const token = { token: c.session.accessToken };
    const refused = (result: GqlResult) => errorCode(result);
    expect(refused(await api.gql(`{ goals(first: 5) { edges { node { id } } } }`, {}, token))).toBe(
      'FORBIDDEN',
    );
    expect(
      refused(await api.gql(`query ($id: ID!) { goal(id: $id) { title } }`, { id: c.unshared }, token)),
    ).toBe('FORBIDDEN');
    expect(refused(await api.gql(`{ me { id } }`, {}, token))).toBe('FORBIDDEN');
    expect(refused(await api.gql(`{ notifications(first: 5) { edges { node { id } } } }`, {}, token))).toBe(
      'FORBIDDEN',
    );
    expect(
      refused(
        await api.gql(
          `query ($id: ID!) { supporters(clientId: $id) { id } }`,
          { id: c.client.user.id },
          token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(refused(await api.gql(ASK, { input: { supporterId: c.supporterId, question: 'q' } }, token))).toBe(
      'FORBIDDEN',
    );
    // And people cannot call the supporter operations.
    expect(refused(await api.gql(HOME, {}, { token: c.client.accessToken }))).toBe('FORBIDDEN');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import {
  addUser,
  coachingFirm,
  createApiKey,
  createClient,
  errorCode,
  TEST_PASSWORD,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const CLIENT_FIELDS = `id email displayName timezone effectiveTimezone jobTitle organization archivedAt archiveReason version
  engagements(includeEnded: true) { id isPrimary status startsOn endsOn coach { id } }`;
const CREATE = `mutation ($input: CreateClientInput!) { createClient(input: $input) { ${CLIENT_FIELDS} } }`;
const UPDATE = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { ${CLIENT_FIELDS} } }`;
const GET = `query ($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`;
const LIST = `query ($includeArchived: Boolean, $coachId: ID) {
  clients(first: 100, includeArchived: $includeArchived, coachId: $coachId) { edges { node { id archivedAt } } }
}`;
const ARCHIVE = `mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id archivedAt archiveReason } }`;
const RESTORE = `mutation ($id: ID!) { restoreClient(id: $id) { id archivedAt } }`;
const START = `mutation ($input: StartEngagementInput!) {
  startEngagement(input: $input) { id isPrimary status startsOn client { id } coach { id } }
}`;
const UPDATE_ENGAGEMENT = `mutation ($input: UpdateEngagementInput!) {
  updateEngagement(input: $input) { id status isPrimary endsOn }
}`;

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

const ids = (data: { clients: { edges: { node: { id: string } }[] } }) => data.clients.edges.map((e) => e.node.id);

async function countUsers(tenantId: string): Promise<number> {
  const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1`, [tenantId]);
  return row.n;
}

describe('creating clients', () => {
  it('a coach creates a client with a profile and becomes their primary coach', async () => {
    const { coach } = await coachingFirm(api);
    const data = await api.ok<{ createClient: Record<string, unknown> & { engagements: Record<string, unknown>[] } }>(
      CREATE,
      {
        input: {
          email: 'Riley.Rep@Example.test',
          displayName: 'Riley Rep',
          timezone: 'America/Toronto',
          jobTitle: 'Sales Representative',
          organization: 'Acme Sales',
        },
      },
      { token: coach.accessToken },
    );
    expect(data.createClient).toMatchObject({
      email: 'riley.rep@example.test',
      displayName: 'Riley Rep',
      timezone: 'America/Toronto',
      effectiveTimezone: 'America/Toronto',
      jobTitle: 'Sales Representative',
      organization: 'Acme Sales',
      archivedAt: null,
    });
    expect(data.createClient.engagements).toEqual([
      expect.objectContaining({ isPrimary: true, status: 'ACTIVE', endsOn: null, coach: { id: coach.user.id } }),
    ]);
  });

  it('falls back to the firm time zone', async () => {
    const { coach } = await coachingFirm(api);
    const client = await createClient(api, coach);
    expect(client.effectiveTimezone).toBe('Europe/London');
  });

  it('an admin must name the primary coach, who must be a coach of the firm', async () => {
    const { firm, client } = await coachingFirm(api);
    const input = { email: 'x@example.test', displayName: 'X' };
    const missing = await api.gql(CREATE, { input }, { token: firm.admin.accessToken });
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    const notACoach = await api.gql(CREATE, { input: { ...input, coachId: client.user.id } }, { token: firm.admin.accessToken });
    expect(errorCode(notACoach)).toBe('NOT_FOUND');
    const other = await coachingFirm(api);
    const foreignCoach = await api.gql(
      CREATE,
      { input: { ...input, coachId: other.coach.user.id } },
      { token: firm.admin.accessToken },
    );
    expect(errorCode(foreignCoach)).toBe('NOT_FOUND');
    expect(await countUsers(firm.tenantId)).toBe(4);
  });

  it('rejects bad input without writing anything', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const before = await countUsers(firm.tenantId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ email: 'not-an-email', displayName: 'A' }, 'email'],
      [{ email: 'a@example.test', displayName: 'x'.repeat(121) }, 'displayName'],
      [{ email: 'a@example.test', displayName: 'A', jobTitle: 'x'.repeat(121) }, 'jobTitle'],
      [{ email: 'a@example.test', displayName: 'A', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ email: 'a@example.test', displayName: 'A', startsOn: '2026-02-30' }, 'startsOn'],
    ];
    for (const [input, field] of cases) {
      const result = await api.gql(CREATE, { input }, { token: coach.accessToken });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(result.errors)).toContain(field);
    }
    const duplicate = await api.gql(
      CREATE,
      { input: { email: client.user.email, displayName: 'Again' } },
      { token: coach.accessToken },
    );
    expect(errorCode(duplicate)).toBe('CONFLICT');
    expect(await countUsers(firm.tenantId)).toBe(before);
  });

  it('clients cannot create clients, and a coach cannot assign another coach', async () => {
    const { client, coach, otherCoach } = await coachingFirm(api);
    const byClient = await api.gql(CREATE, { input: { email: 'c@example.test', displayName: 'C' } }, { token: client.accessToken });
    expect(errorCode(byClient)).toBe('FORBIDDEN');
    const assigning = await api.gql(
      CREATE,
      { input: { email: 'd@example.test', displayName: 'D', coachId: otherCoach.user.id } },
      { token: coach.accessToken },
    );
    expect(errorCode(assigning)).toBe('FORBIDDEN');
  });
});

describe('who sees which clients', () => {
  it('coaches see their caseload, clients themselves, admins the firm; the rest is NOT_FOUND', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const second = await createClient(api, otherCoach);

    expect(ids(await api.ok(LIST, {}, { token: coach.accessToken }))).toEqual([client.user.id]);
    expect(ids(await api.ok(LIST, {}, { token: otherCoach.accessToken }))).toEqual([second.id]);
    expect(ids(await api.ok(LIST, {}, { token: client.accessToken }))).toEqual([client.user.id]);
    expect(ids(await api.ok(LIST, {}, { token: firm.admin.accessToken })).sort()).toEqual([client.user.id, second.id].sort());
    expect(ids(await api.ok(LIST, { coachId: otherCoach.user.id }, { token: firm.admin.accessToken }))).toEqual([second.id]);

    expect(errorCode(await api.gql(GET, { id: client.user.id }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(GET, { id: second.id }, { token: client.accessToken }))).toBe('NOT_FOUND');
    // Users who are not clients are not clients either.
    expect(errorCode(await api.gql(GET, { id: coach.user.id }, { token: firm.admin.accessToken }))).toBe('NOT_FOUND');

    const other = await signUpFirm(api);
    expect(errorCode(await api.gql(GET, { id: client.user.id }, { token: other.admin.accessToken }))).toBe('NOT_FOUND');
    expect(ids(await api.ok(LIST, {}, { token: other.admin.accessToken }))).toEqual([]);
  });

  it('API keys need the clients scopes', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const reader = await createApiKey(api, firm, ['CLIENTS_READ']);
    const goalsOnly = await createApiKey(api, firm, ['GOALS_READ']);
    const writer = await createApiKey(api, firm, ['CLIENTS_WRITE', 'CLIENTS_READ']);
    expect(ids(await api.ok(LIST, {}, { apiKey: reader.secret }))).toEqual([client.user.id]);
    expect(errorCode(await api.gql(LIST, {}, { apiKey: goalsOnly.secret }))).toBe('FORBIDDEN');
    const input = { email: 'from-crm@example.test', displayName: 'From CRM', coachId: coach.user.id };
    expect(errorCode(await api.gql(CREATE, { input }, { apiKey: reader.secret }))).toBe('FORBIDDEN');
    const created = await api.ok<{ createClient: { id: string } }>(CREATE, { input }, { apiKey: writer.secret });
    expect(ids(await api.ok(LIST, {}, { token: coach.accessToken }))).toContain(created.createClient.id);
  });
});

describe('editing profiles', () => {
  it('coach and client edit the profile; stale versions are CONFLICT; outsiders get NOT_FOUND', async () => {
    const { coach, otherCoach, client } = await coachingFirm(api);
    const first = await api.ok<{ updateClient: { version: number; jobTitle: string } }>(
      UPDATE,
      { input: { id: client.user.id, jobTitle: 'Sales Representative', expectedVersion: 0 } },
      { token: coach.accessToken },
    );
    expect(first.updateClient).toMatchObject({ jobTitle: 'Sales Representative', version: 1 });

    const stale = await api.gql(
      UPDATE,
      { input: { id: client.user.id, organization: 'Acme', expectedVersion: 0 } },
      { token: client.accessToken },
    );
    expect(errorCode(stale)).toBe('CONFLICT');

    const own = await api.ok<{ updateClient: Record<string, unknown> }>(
      UPDATE,
      { input: { id: client.user.id, organization: 'Acme', timezone: 'Asia/Tokyo', expectedVersion: 1 } },
      { token: client.accessToken },
    );
    expect(own.updateClient).toMatchObject({ organization: 'Acme', jobTitle: 'Sales Representative', timezone: 'Asia/Tokyo', version: 2 });

    const outsider = await api.gql(UPDATE, { input: { id: client.user.id, jobTitle: 'Hacked' } }, { token: otherCoach.accessToken });
    expect(errorCode(outsider)).toBe('NOT_FOUND');
    const badZone = await api.gql(UPDATE, { input: { id: client.user.id, timezone: 'Nowhere/Else' } }, { token: coach.accessToken });
    expect(errorCode(badZone)).toBe('BAD_USER_INPUT');
    const after = await api.ok<{ client: Record<string, unknown> }>(GET, { id: client.user.id }, { token: coach.accessToken });
    expect(after.client).toMatchObject({ jobTitle: 'Sales Representative', timezone: 'Asia/Tokyo', version: 2 });
  });

  it('anyone edits their own profile, which shows on their user', async () => {
    const { coach } = await coachingFirm(api);
    await api.ok(
      `mutation { updateMyProfile(input: { jobTitle: "Executive Coach", organization: "Cairn Coaching" }) { id } }`,
      {},
      { token: coach.accessToken },
    );
    const me = await api.ok<{ me: Record<string, unknown> }>(`{ me { jobTitle organization } }`, {}, { token: coach.accessToken });
    expect(me.me).toEqual({ jobTitle: 'Executive Coach', organization: 'Cairn Coaching' });
  });
});

describe('archiving', () => {
  it('hides the client from default lists and freezes the record, keeping its history', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const archived = await api.ok<{ archiveClient: { archivedAt: string; archiveReason: string } }>(
      ARCHIVE,
      { input: { id: client.user.id, reason: 'Engagement completed' } },
      { token: coach.accessToken },
    );
    expect(archived.archiveClient.archivedAt).toEqual(expect.any(String));
    expect(archived.archiveClient.archiveReason).toBe('Engagement completed');

    expect(ids(await api.ok(LIST, {}, { token: coach.accessToken }))).toEqual([]);
    expect(ids(await api.ok(LIST, { includeArchived: true }, { token: coach.accessToken }))).toEqual([client.user.id]);
    const still = await api.ok<{ client: { engagements: unknown[] } }>(GET, { id: client.user.id }, { token: coach.accessToken });
    expect(still.client.engagements).toHaveLength(1);

    const frozen = await api.gql(UPDATE, { input: { id: client.user.id, jobTitle: 'X' } }, { token: coach.accessToken });
    expect(errorCode(frozen)).toBe('CONFLICT');
    const byClient = await api.gql(ARCHIVE, { input: { id: client.user.id } }, { token: client.accessToken });
    expect(errorCode(byClient)).toBe('FORBIDDEN');

    await api.ok(RESTORE, { id: client.user.id }, { token: firm.admin.accessToken });
    expect(ids(await api.ok(LIST, {}, { token: coach.accessToken }))).toEqual([client.user.id]);
    await api.ok(UPDATE, { input: { id: client.user.id, jobTitle: 'Sales Manager' } }, { token: coach.accessToken });
  });
});

describe('engagements', () => {
  it('the primary coach brings in a co-coach; other coaches may not', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const third = await addUser(api, firm, 'COACH');
    const notPrimary = await api.gql(
      START,
      { input: { clientId: client.user.id, coachId: third.user.id } },
      { token: otherCoach.accessToken },
    );
    expect(errorCode(notPrimary)).toBe('NOT_FOUND');
    const started = await api.ok<{ startEngagement: Record<string, unknown> }>(
      START,
      { input: { clientId: client.user.id, coachId: otherCoach.user.id } },
      { token: coach.accessToken },
    );
    expect(started.startEngagement).toMatchObject({ isPrimary: false, status: 'ACTIVE', coach: { id: otherCoach.user.id } });
    expect(ids(await api.ok(LIST, {}, { token: otherCoach.accessToken }))).toEqual([client.user.id]);

    const coCoachAdds = await api.gql(
      START,
      { input: { clientId: client.user.id, coachId: third.user.id } },
      { token: otherCoach.accessToken },
    );
    expect(errorCode(coCoachAdds)).toBe('FORBIDDEN');
  });

  it('rejects a second open engagement and a second primary coach', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const again = await api.gql(
      START,
      { input: { clientId: client.user.id, coachId: coach.user.id } },
      { token: firm.admin.accessToken },
    );
    expect(errorCode(again)).toBe('CONFLICT');
    const secondPrimary = await api.gql(
      START,
      { input: { clientId: client.user.id, coachId: otherCoach.user.id, isPrimary: true } },
      { token: firm.admin.accessToken },
    );
    expect(errorCode(secondPrimary)).toBe('CONFLICT');
    const [row] = await api.dataSource.query(`SELECT count(*)::int AS n FROM engagements WHERE tenant_id = $1`, [firm.tenantId]);
    expect(row.n).toBe(1);
  });

  it('pausing keeps access; ending removes it and is final', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const engagementId = (
      await api.ok<{ client: { engagements: { id: string }[] } }>(GET, { id: client.user.id }, { token: coach.accessToken })
    ).client.engagements[0].id;

    await api.ok(UPDATE_ENGAGEMENT, { input: { id: engagementId, status: 'PAUSED' } }, { token: coach.accessToken });
    expect(ids(await api.ok(LIST, {}, { token: coach.accessToken }))).toEqual([client.user.id]);

    const endsTooEarly = await api.gql(
      UPDATE_ENGAGEMENT,
      { input: { id: engagementId, status: 'ENDED', endsOn: '2000-01-01' } },
      { token: coach.accessToken },
    );
    expect(errorCode(endsTooEarly)).toBe('BAD_USER_INPUT');

    const ended = await api.ok<{ updateEngagement: { status: string; endsOn: string } }>(
      UPDATE_ENGAGEMENT,
      { input: { id: engagementId, status: 'ENDED' } },
      { token: coach.accessToken },
    );
    expect(ended.updateEngagement.status).toBe('ENDED');
    expect(ended.updateEngagement.endsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(errorCode(await api.gql(GET, { id: client.user.id }, { token: coach.accessToken }))).toBe('NOT_FOUND');

    const reopen = await api.gql(UPDATE_ENGAGEMENT, { input: { id: engagementId, status: 'ACTIVE' } }, { token: firm.admin.accessToken });
    expect(errorCode(reopen)).toBe('CONFLICT');
    // The admin still sees the history.
    const history = await api.ok<{ client: { engagements: { status: string }[] } }>(
      GET,
      { id: client.user.id },
      { token: firm.admin.accessToken },
    );
    expect(history.client.engagements.map((e) => e.status)).toEqual(['ENDED']);
  });

  it('engagements of another firm are NOT_FOUND', async () => {
    const { coach, client } = await coachingFirm(api);
    const engagementId = (
      await api.ok<{ client: { engagements: { id: string }[] } }>(GET, { id: client.user.id }, { token: coach.accessToken })
    ).client.engagements[0].id;
    const other = await signUpFirm(api);
    const result = await api.gql(UPDATE_ENGAGEMENT, { input: { id: engagementId, status: 'PAUSED' } }, { token: other.admin.accessToken });
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});

describe('giving a created client a login', () => {
  const INVITE_CLIENT = `mutation ($id: ID!) { inviteClient(id: $id) { token invitation { email role } } }`;
  const ACCEPT = `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken user { id role } } }`;

  it('the coach invites the client, who sets a password and signs in as the same person', async () => {
    const { firm, coach, otherCoach } = await coachingFirm(api);
    const created = await createClient(api, coach, { email: 'sam.sales@example.test' });
    expect(errorCode(await api.gql(INVITE_CLIENT, { id: created.id }, { token: otherCoach.accessToken }))).toBe('NOT_FOUND');

    const invited = await api.ok<{ inviteClient: { token: string; invitation: { email: string; role: string } } }>(
      INVITE_CLIENT,
      { id: created.id },
      { token: coach.accessToken },
    );
    expect(invited.inviteClient.invitation).toEqual({ email: 'sam.sales@example.test', role: 'CLIENT' });
    const accepted = await api.ok<{ acceptInvitation: { accessToken: string; user: { id: string; role: string } } }>(
      ACCEPT,
      { input: { token: invited.inviteClient.token, password: TEST_PASSWORD } },
    );
    expect(accepted.acceptInvitation.user).toEqual({ id: created.id, role: 'CLIENT' });
    const own = await api.ok(LIST, {}, { token: accepted.acceptInvitation.accessToken });
    expect(ids(own as never)).toEqual([created.id]);

    // Once the client has a login, neither a second invitation nor an admin invite for that email is accepted.
    expect(errorCode(await api.gql(INVITE_CLIENT, { id: created.id }, { token: coach.accessToken }))).toBe('CONFLICT');
    const adminInvite = await api.gql(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email: 'sam.sales@example.test', displayName: 'Sam', role: 'CLIENT' } },
      { token: firm.admin.accessToken },
    );
    expect(errorCode(adminInvite)).toBe('CONFLICT');
  });

  it('an invitation for a passwordless client cannot turn them into a coach', async () => {
    const { firm, coach } = await coachingFirm(api);
    const created = await createClient(api, coach, { email: 'no-promotion@example.test' });
    const asCoach = await api.gql(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email: 'no-promotion@example.test', displayName: 'X', role: 'COACH' } },
      { token: firm.admin.accessToken },
    );
    expect(errorCode(asCoach)).toBe('CONFLICT');
    expect(created.id).toBeTruthy();
  });
});

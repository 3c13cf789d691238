import { randomUUID } from 'node:crypto';
import { todayIn } from '#cairn/shared/calendar';
import { type GraphqlApi, uniqueSlug } from './graphql-client.js';

export const TEST_PASSWORD = 'a-long-enough-password';

const SESSION = 'accessToken refreshToken user { id email role }';

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; role: string };
}

export interface FirmFixture {
  slug: string;
  tenantId: string;
  admin: Session;
}

/** A fresh firm (tenant) per test or file, so tests never see each other's rows. */
export async function signUpFirm(api: GraphqlApi, name = 'Test Coaching'): Promise<FirmFixture> {
  const slug = uniqueSlug();
  const data = await api.ok<{ signUpFirm: Session }>(
    `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { ${SESSION} } }`,
    {
      input: {
        firmName: name,
        firmSlug: slug,
        timezone: 'Europe/London',
        adminName: 'Ada Admin',
        adminEmail: `admin@${slug}.test`,
        adminPassword: TEST_PASSWORD,
      },
    },
  );
  const firm = await api.ok<{ firm: { id: string } }>(`{ firm { id } }`, {}, { token: data.signUpFirm.accessToken });
  return { slug, tenantId: firm.firm.id, admin: data.signUpFirm };
}

/** Invites a user with the given role and accepts the invitation; returns their session. */
export async function addUser(api: GraphqlApi, firm: FirmFixture, role: 'ADMIN' | 'COACH' | 'CLIENT'): Promise<Session> {
  const email = `${role.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@${firm.slug}.test`;
  const invited = await api.ok<{ inviteUser: { token: string } }>(
    `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
    { input: { email, displayName: `${role} person`, role } },
    { token: firm.admin.accessToken },
  );
  const accepted = await api.ok<{ acceptInvitation: Session }>(
    `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${SESSION} } }`,
    { input: { token: invited.inviteUser.token, password: TEST_PASSWORD } },
  );
  return accepted.acceptInvitation;
}

export async function createApiKey(api: GraphqlApi, firm: FirmFixture, scopes: string[]): Promise<{ id: string; secret: string }> {
  const data = await api.ok<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
    { input: { name: 'Partner backend', scopes } },
    { token: firm.admin.accessToken },
  );
  return { id: data.createApiKey.apiKey.id, secret: data.createApiKey.secret };
}

/** A client created by a coach (who becomes their primary coach); the client has no login. */
export async function createClient(
  api: GraphqlApi,
  coach: Session,
  input: Record<string, unknown> = {},
): Promise<{ id: string; effectiveTimezone: string }> {
  const data = await api.ok<{ createClient: { id: string; effectiveTimezone: string } }>(
    `mutation ($input: CreateClientInput!) { createClient(input: $input) { id effectiveTimezone } }`,
    { input: { email: `client-${randomUUID().slice(0, 8)}@example.test`, displayName: 'Casey Client', ...input } },
    { token: coach.accessToken },
  );
  return data.createClient;
}

/** Gives `coachId` an open engagement with `clientId` (as the firm's admin). */
export async function engage(api: GraphqlApi, firm: FirmFixture, clientId: string, coachId: string, isPrimary = true) {
  await api.ok(
    `mutation ($input: StartEngagementInput!) { startEngagement(input: $input) { id } }`,
    { input: { clientId, coachId, isPrimary } },
    { token: firm.admin.accessToken },
  );
}

/**
 * A firm with a coach, a client who can sign in and is coached by that coach, and a second coach who does
 * not coach them: the usual cast for access tests.
 */
export async function coachingFirm(api: GraphqlApi) {
  const firm = await signUpFirm(api);
  const coach = await addUser(api, firm, 'COACH');
  const otherCoach = await addUser(api, firm, 'COACH');
  const client = await addUser(api, firm, 'CLIENT');
  await engage(api, firm, client.user.id, coach.user.id);
  return { firm, coach, otherCoach, client };
}

/**
 * A daily check-in for `clientId` (whose zone is `zone`, the fixtures' firm default), assigned by `coach`, from
 * today: today's opened at midnight and stays open all day, answerable with `checkInAnswers` (with the default
 * prompts), and the worker's sweep announces it.
 */
export async function assignOpenCheckIn(
  api: GraphqlApi,
  coach: Session,
  clientId: string,
  zone = 'Europe/London',
  prompts: Record<string, unknown>[] = [{ key: 'energy', label: 'Energy?', type: 'SCALE' }],
): Promise<void> {
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    { input: { name: 'Daily pulse', prompts } },
    { token: coach.accessToken },
  );
  await api.ok(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${todayIn(zone)}T00:00`,
        windowMinutes: 1440,
      },
    },
    { token: coach.accessToken },
  );
}

/** Answers to the check-ins of {@link assignOpenCheckIn}. */
export const checkInAnswers = [{ key: 'energy', scale: 7 }];

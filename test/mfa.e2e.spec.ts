import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { ApiModule } from '#cairn-app/api';
import { PurgeExpiredCredentialsJob } from '#cairn/identity';
import { SystemDatabase } from '#cairn/shared/database';
import {
  addUser,
  createApiKey,
  errorCode,
  errorFields,
  type FirmFixture,
  type GqlResult,
  type Session,
  signUpFirm,
  TEST_PASSWORD,
  testConfig,
} from '#cairn/shared/testing';
import { auditEntries, TestApi } from './support/index.js';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) {
  accessToken refreshToken mfaRequired mfaEnrolmentRequired mfaChallengeToken mfaChallengeExpiresAt user { id } } }`;
const BEGIN = `mutation { beginMfaEnrolment { provisioningUri secret } }`;
const CONFIRM = `mutation ($code: String!) { confirmMfaEnrolment(input: { code: $code }) { recoveryCodes } }`;
const COMPLETE = `mutation ($input: CompleteMfaLoginInput!) { completeMfaLogin(input: $input) {
  accessToken refreshToken recoveryCodes user { id } } }`;
const DISABLE = `mutation ($input: MfaCodeInput!) { disableMfa(input: $input) { enabled } }`;
const REGENERATE = `mutation ($code: String!) { regenerateRecoveryCodes(input: { code: $code }) { recoveryCodes } }`;
const STATUS = `{ mfaStatus { enabled required recoveryCodesLeft } }`;
const SET_POLICY = `mutation ($roles: [Role!]!) { updateMfaPolicy(input: { requiredFor: $roles }) { requiredFor } }`;

interface Login {
  accessToken: string | null;
  refreshToken: string | null;
  mfaRequired: boolean;
  mfaEnrolmentRequired: boolean;
  mfaChallengeToken: string | null;
  mfaChallengeExpiresAt: string | null;
  user: { id: string } | null;
}

const PERIOD_MS = 30_000;

/**
 * TOTP codes as the person's app would show them, computed with the library at the real clock. The server
 * accepts one step either side and each step once, so a person's codes go forward one step per use, starting
 * at the current one: at most two uses per person keep inside the server's window whatever the clock does.
 */
class Authenticator {
  private lastStep = -1;
  constructor(readonly secret: string) {}

  next(): string {
    const step = Math.max(this.lastStep + 1, Math.floor(Date.now() / PERIOD_MS));
    this.lastStep = step;
    return TOTP.generate({ secret: Secret.fromBase32(this.secret), timestamp: step * PERIOD_MS });
  }

  /** The last code again (a replay). */
  last(): string {
    return TOTP.generate({ secret: Secret.fromBase32(this.secret), timestamp: this.lastStep * PERIOD_MS });
  }

  /** Six digits no step near now accepts. */
  wrong(): string {
    const now = Math.floor(Date.now() / PERIOD_MS);
    const valid = new Set(
      [-2, -1, 0, 1, 2].map((d) =>
        TOTP.generate({ secret: Secret.fromBase32(this.secret), timestamp: (now + d) * PERIOD_MS }),
      ),
    );
    for (let n = 0; ; n++) {
      const code = String(n).padStart(6, '0');
      if (!valid.has(code)) return code;
    }
  }
}

describe('multi-factor authentication', () => {
  let api: TestApi;
  let firm: FirmFixture;

  beforeAll(async () => {
    // Small account limit so the throttle is reachable; each person here is its own account.
    api = await TestApi.start(ApiModule.forRoot(testConfig({ SIGN_IN_LIMIT_PER_ACCOUNT: '5' })));
    firm = await signUpFirm(api);
  });
  afterAll(() => api.close());

  const login = async (session: Session, f = firm) =>
    (
      await api.ok<{ login: Login }>(LOGIN, {
        input: { firmSlug: f.slug, email: session.user.email, password: TEST_PASSWORD },
      })
    ).login;

  /** Enrols `session`'s person (one code used) and returns their app and recovery codes. */
  async function enrol(session: Session) {
    const begun = await api.ok<{ beginMfaEnrolment: { provisioningUri: string; secret: string } }>(
      BEGIN,
      {},
      { token: session.accessToken },
    );
    const app = new Authenticator(begun.beginMfaEnrolment.secret);
    const confirmed = await api.ok<{ confirmMfaEnrolment: { recoveryCodes: string[] } }>(
      CONFIRM,
      { code: app.next() },
      { token: session.accessToken },
    );
    return {
      app,
      recoveryCodes: confirmed.confirmMfaEnrolment.recoveryCodes,
      provisioningUri: begun.beginMfaEnrolment.provisioningUri,
    };
  }

  const auditOf = (f: FirmFixture, filter: Record<string, unknown>) => auditEntries(api, f, filter);

  it('enrols with a provisioning URI, keeps the secret sealed and the recovery codes hashed, then signs in in two steps', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { app, recoveryCodes, provisioningUri } = await enrol(coach);
    expect(provisioningUri).toMatch(/^otpauth:\/\/totp\/Cairn:.+\?.*secret=[A-Z2-7]+/);
    expect(provisioningUri).toContain('issuer=Cairn');
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const [stored] = await api.dataSource.query(
      `SELECT secret_sealed, enabled_at FROM user_mfa WHERE user_id = $1`,
      [coach.user.id],
    );
    expect(stored.secret_sealed).toMatch(/^v2\.default\./);
    expect(stored.secret_sealed).not.toContain(app.secret);
    expect(stored.enabled_at).not.toBeNull();
    const hashes: { code_hash: string }[] = await api.dataSource.query(
      `SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1`,
      [coach.user.id],
    );
    expect(hashes).toHaveLength(10);
    for (const code of recoveryCodes) expect(hashes.map((h) => h.code_hash)).not.toContain(code);

    const first = await login(coach);
    expect(first).toMatchObject({
      mfaRequired: true,
      mfaEnrolmentRequired: false,
      accessToken: null,
      refreshToken: null,
      user: null,
    });
    expect(first.mfaChallengeToken).toMatch(/^cmc_/);
    const done = await api.ok<{
      completeMfaLogin: { accessToken: string; recoveryCodes: string[] | null; user: { id: string } };
    }>(COMPLETE, {
      input: { challengeToken: first.mfaChallengeToken, code: app.next() },
    });
    expect(done.completeMfaLogin.user.id).toBe(coach.user.id);
    expect(done.completeMfaLogin.recoveryCodes).toBeNull();
    const me = await api.ok<{ mfaStatus: { enabled: boolean; recoveryCodesLeft: number } }>(
      STATUS,
      {},
      { token: done.completeMfaLogin.accessToken },
    );
    expect(me.mfaStatus).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    // The same code again, on a fresh challenge: a replay, refused though it is inside its time window.
    const second = await login(coach);
    const replay = await api.gql(COMPLETE, {
      input: { challengeToken: second.mfaChallengeToken, code: app.last() },
    });
    expect(errorCode(replay)).toBe('BAD_USER_INPUT');
    expect(replay.errors?.[0].message).toMatch(/already used/);
    expect(errorFields(replay)).toEqual(['code']);

    const entries = await auditOf(firm, { actorId: coach.user.id });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['MFA_ENROLMENT_STARTED', 'MFA_ENABLED', 'SIGN_IN_SUCCEEDED']),
    );
    const signIn = entries.find((e) => e.action === 'SIGN_IN_SUCCEEDED');
    expect(signIn?.details).toEqual([{ name: 'mfa', values: ['TOTP'] }]);
    const failures = await auditOf(firm, { subjectId: coach.user.id, actions: ['SIGN_IN_FAILED'] });
    expect(failures[0]).toMatchObject({
      outcome: 'FAILURE',
      actorKind: 'ANONYMOUS',
      actorId: null,
      subjectType: 'USER',
    });
    expect(failures[0].details).toEqual(
      expect.arrayContaining([{ name: 'reason', values: ['REPLAYED_CODE'] }]),
    );
  });

  it('refuses a wrong code without using the challenge up, and records the failure', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { app } = await enrol(coach);
    const challenge = (await login(coach)).mfaChallengeToken;
    const wrong = await api.gql(COMPLETE, { input: { challengeToken: challenge, code: app.wrong() } });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(errorFields(wrong)).toEqual(['code']);
    const failures = await auditOf(firm, { subjectId: coach.user.id, actions: ['SIGN_IN_FAILED'] });
    expect(failures).toHaveLength(1);
    expect(failures[0].details).toEqual(
      expect.arrayContaining([
        { name: 'reason', values: ['WRONG_CODE'] },
        { name: 'stage', values: ['MFA'] },
      ]),
    );
    expect(await auditOf(firm, { actorId: coach.user.id, actions: ['SIGN_IN_SUCCEEDED'] })).toHaveLength(0);

    const right = await api.ok<{ completeMfaLogin: { user: { id: string } } }>(COMPLETE, {
      input: { challengeToken: challenge, code: app.next() },
    });
    expect(right.completeMfaLogin.user.id).toBe(coach.user.id);
  });

  it('uses each recovery code once and each challenge once; an expired challenge is refused', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { recoveryCodes } = await enrol(coach);
    const challenge = (await login(coach)).mfaChallengeToken;
    await api.ok(COMPLETE, {
      input: { challengeToken: challenge, recoveryCode: recoveryCodes[0].toUpperCase() },
    });

    const reusedChallenge = await api.gql(COMPLETE, {
      input: { challengeToken: challenge, recoveryCode: recoveryCodes[1] },
    });
    expect(errorCode(reusedChallenge)).toBe('UNAUTHENTICATED');

    const usedCode = await api.gql(COMPLETE, {
      input: { challengeToken: (await login(coach)).mfaChallengeToken, recoveryCode: recoveryCodes[0] },
    });
    expect(errorCode(usedCode)).toBe('BAD_USER_INPUT');
    expect(errorFields(usedCode)).toEqual(['recoveryCode']);

    const expiring = await login(coach);
    await api.dataSource.query(
      `UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [(expiring.mfaChallengeToken as string).slice(4, 40)],
    );
    const expired = await api.gql(COMPLETE, {
      input: { challengeToken: expiring.mfaChallengeToken, recoveryCode: recoveryCodes[1] },
    });
    expect(errorCode(expired)).toBe('UNAUTHENTICATED');

    const status = await api.ok<{ mfaStatus: { recoveryCodesLeft: number } }>(
      STATUS,
      {},
      { token: coach.accessToken },
    );
    expect(status.mfaStatus.recoveryCodesLeft).toBe(9);
    const used = await auditOf(firm, { actorId: coach.user.id, actions: ['MFA_RECOVERY_CODE_USED'] });
    expect(used).toHaveLength(1);
  });

  it('completes a challenge once when two requests race with two recovery codes', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { recoveryCodes } = await enrol(coach);
    const challenge = (await login(coach)).mfaChallengeToken;
    const results = await Promise.all(
      [recoveryCodes[0], recoveryCodes[1]].map((recoveryCode) =>
        api.gql(COMPLETE, { input: { challengeToken: challenge, recoveryCode } }),
      ),
    );
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.map(errorCode).filter(Boolean)).toEqual(['UNAUTHENTICATED']);
    const signIns = await auditOf(firm, { actorId: coach.user.id, actions: ['SIGN_IN_SUCCEEDED'] });
    expect(signIns).toHaveLength(1);
  });

  it('throttles second-factor guesses per person like login', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { app, recoveryCodes } = await enrol(coach);
    for (let i = 0; i < 5; i++) {
      // A fresh challenge each time: guesses count against the person, not the challenge.
      const challenge = (await login(coach)).mfaChallengeToken;
      expect(
        errorCode(await api.gql(COMPLETE, { input: { challengeToken: challenge, code: app.wrong() } })),
      ).toBe('BAD_USER_INPUT');
    }
    const limited = await api.gql(COMPLETE, {
      input: { challengeToken: (await login(coach)).mfaChallengeToken, recoveryCode: recoveryCodes[0] },
    });
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('disables with a recovery code and regenerates recovery codes with a code; old codes stop working', async () => {
    const admin = await addUser(api, firm, 'ADMIN');
    const { app, recoveryCodes } = await enrol(admin);
    const fresh = await api.ok<{ regenerateRecoveryCodes: { recoveryCodes: string[] } }>(
      REGENERATE,
      { code: app.next() },
      { token: admin.accessToken },
    );
    expect(fresh.regenerateRecoveryCodes.recoveryCodes).toHaveLength(10);
    const old = await api.gql(
      DISABLE,
      { input: { recoveryCode: recoveryCodes[0] } },
      { token: admin.accessToken },
    );
    expect(errorCode(old)).toBe('BAD_USER_INPUT');
    expect(errorFields(old)).toEqual(['recoveryCode']);

    const off = await api.ok<{ disableMfa: { enabled: boolean } }>(
      DISABLE,
      { input: { recoveryCode: fresh.regenerateRecoveryCodes.recoveryCodes[0] } },
      { token: admin.accessToken },
    );
    expect(off.disableMfa.enabled).toBe(false);
    const direct = await login(admin);
    expect(direct).toMatchObject({ mfaRequired: false, user: { id: admin.user.id } });
    expect(direct.accessToken).toEqual(expect.any(String));
    const actions = (await auditOf(firm, { actorId: admin.user.id })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['MFA_RECOVERY_CODES_REGENERATED', 'MFA_DISABLED', 'MFA_RECOVERY_CODE_USED']),
    );
  });

  it('refuses bad input naming the field', async () => {
    const coach = await addUser(api, firm, 'COACH');
    for (const code of ['12345', '1234567', 'abcdef']) {
      const result = await api.gql(CONFIRM, { code }, { token: coach.accessToken });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(['code']);
    }
    const notRecovery = await api.gql(COMPLETE, {
      input: { challengeToken: 'cmc_x', recoveryCode: 'not a code' },
    });
    expect(errorCode(notRecovery)).toBe('BAD_USER_INPUT');
    expect(errorFields(notRecovery)).toEqual(['recoveryCode']);
    const client = await api.gql(SET_POLICY, { roles: ['CLIENT'] }, { token: firm.admin.accessToken });
    expect(errorCode(client)).toBe('BAD_USER_INPUT');
    expect(errorFields(client)).toEqual(['requiredFor']);
    const bogus = await api.gql(COMPLETE, { input: { challengeToken: 'cmc_not-a-token', code: '123456' } });
    expect(errorCode(bogus)).toBe('UNAUTHENTICATED');
    // Enrolment needs to have begun, and both factors at once are refused.
    expect(errorCode(await api.gql(CONFIRM, { code: '123456' }, { token: coach.accessToken }))).toBe(
      'CONFLICT',
    );
    const { app } = await enrol(coach);
    const both = await api.gql(
      DISABLE,
      { input: { code: app.wrong(), recoveryCode: 'aaaa-bbbb-cccc-dddd' } },
      { token: coach.accessToken },
    );
    expect(errorCode(both)).toBe('BAD_USER_INPUT');
    expect(errorCode(await api.gql(BEGIN, {}, { token: coach.accessToken }))).toBe('CONFLICT');
  });

  it('keeps the policy to ADMINs, MFA to people, and each firm to itself', async () => {
    const coach = await addUser(api, firm, 'COACH');
    expect(errorCode(await api.gql(SET_POLICY, { roles: ['COACH'] }, { token: coach.accessToken }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await api.gql(`{ mfaPolicy { requiredFor } }`, {}, { token: coach.accessToken }))).toBe(
      'FORBIDDEN',
    );
    const key = await createApiKey(api, firm, ['USERS_READ']);
    expect(errorCode(await api.gql(BEGIN, {}, { apiKey: key.secret }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(SET_POLICY, { roles: ['COACH'] }, { apiKey: key.secret }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await api.gql(BEGIN))).toBe('UNAUTHENTICATED');

    // Another firm's policy does not reach this firm's coach, and its audit trail shows none of this firm's entries.
    const other = await signUpFirm(api);
    await api.ok(SET_POLICY, { roles: ['COACH'] }, { token: other.admin.accessToken });
    expect(await login(coach)).toMatchObject({ mfaRequired: false });
    const theirs = await auditOf(other, {});
    expect(theirs.map((e) => e.actorId)).not.toContain(coach.user.id);
    expect(theirs.map((e) => e.action)).toContain('MFA_POLICY_CHANGED');
    expect((await auditOf(firm, { actions: ['MFA_POLICY_CHANGED'] })).map((e) => e.subjectId)).not.toContain(
      other.tenantId,
    );
  });

  it('enforces the firm policy: a required person without MFA enrols at sign-in, and cannot turn it off', async () => {
    const own = await signUpFirm(api);
    const coach = await addUser(api, own, 'COACH');
    const client = await addUser(api, own, 'CLIENT');
    const set = await api.ok<{ updateMfaPolicy: { requiredFor: string[] } }>(
      SET_POLICY,
      { roles: ['COACH', 'ADMIN'] },
      { token: own.admin.accessToken },
    );
    expect(set.updateMfaPolicy.requiredFor).toEqual(['ADMIN', 'COACH']);

    // Sessions from before the policy: a required person's stops refreshing (and stays ended), a client's goes on.
    const REFRESH = `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) { accessToken refreshToken } }`;
    const stopped = await api.gql(REFRESH, { t: coach.refreshToken });
    expect(errorCode(stopped)).toBe('UNAUTHENTICATED');
    expect(stopped.errors?.[0]?.message).toMatch(/second factor/);
    await api.ok(REFRESH, { t: client.refreshToken });

    expect(await login(client, own)).toMatchObject({ mfaRequired: false });
    const gate = await login(coach, own);
    expect(gate).toMatchObject({ mfaRequired: true, mfaEnrolmentRequired: true, accessToken: null });
    // The enrolment challenge gives no session without enrolling.
    expect(
      errorCode(
        await api.gql(COMPLETE, {
          input: { challengeToken: gate.mfaChallengeToken, recoveryCode: 'aaaa-bbbb-cccc-dddd' },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    const begun = await api.ok<{ beginMfaEnrolmentAtSignIn: { secret: string } }>(
      `mutation ($t: String!) { beginMfaEnrolmentAtSignIn(input: { challengeToken: $t }) { secret } }`,
      { t: gate.mfaChallengeToken },
    );
    const app = new Authenticator(begun.beginMfaEnrolmentAtSignIn.secret);
    const done = await api.ok<{ completeMfaLogin: { accessToken: string; recoveryCodes: string[] } }>(
      COMPLETE,
      {
        input: { challengeToken: gate.mfaChallengeToken, code: app.next() },
      },
    );
    expect(done.completeMfaLogin.recoveryCodes).toHaveLength(10);
    const status = await api.ok<{ mfaStatus: { enabled: boolean; required: boolean } }>(
      STATUS,
      {},
      { token: done.completeMfaLogin.accessToken },
    );
    expect(status.mfaStatus).toEqual({ enabled: true, required: true, recoveryCodesLeft: 10 });
    const disable = await api.gql(
      DISABLE,
      { input: { recoveryCode: done.completeMfaLogin.recoveryCodes[0] } },
      { token: done.completeMfaLogin.accessToken },
    );
    expect(errorCode(disable)).toBe('FORBIDDEN');

    // A SIGN_IN challenge cannot start an enrolment.
    const next = await login(coach, own);
    expect(next).toMatchObject({ mfaRequired: true, mfaEnrolmentRequired: false });
    const again = await api.gql(
      `mutation ($t: String!) { beginMfaEnrolmentAtSignIn(input: { challengeToken: $t }) { secret } }`,
      {
        t: next.mfaChallengeToken,
      },
    );
    expect(errorCode(again)).toBe('UNAUTHENTICATED');

    const policy = await auditOf(own, { actions: ['MFA_POLICY_CHANGED'] });
    expect(policy).toEqual([
      expect.objectContaining({
        actorId: own.admin.user.id,
        subjectType: 'FIRM',
        subjectId: own.tenantId,
        details: [{ name: 'requiredFor', values: ['ADMIN', 'COACH'] }],
      }),
    ]);
    // The admin who set the policy has no second factor either: their session ends too, access token included.
    expect(errorCode(await api.gql(REFRESH, { t: own.admin.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(STATUS, {}, { token: own.admin.accessToken }))).toBe('UNAUTHENTICATED');
  });

  it('lets an ADMIN reset another person’s lost second factor, recorded; not their own, not across firms, not by others', async () => {
    const RESET = `mutation ($id: ID!) { resetUserMfa(id: $id) { enabled required recoveryCodesLeft } }`;
    const own = await signUpFirm(api);
    const coach = await addUser(api, own, 'COACH');
    const otherCoach = await addUser(api, own, 'COACH');
    const key = await createApiKey(api, own, ['USERS_READ']);
    await enrol(coach);
    const challenge = await login(coach, own);
    expect(challenge.mfaRequired).toBe(true);

    // Wrong role, an API key, another firm's admin, one's own account, a bad id: refused, MFA still on.
    expect(errorCode(await api.gql(RESET, { id: coach.user.id }, { token: otherCoach.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(RESET, { id: coach.user.id }, { token: coach.accessToken }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(RESET, { id: coach.user.id }, { apiKey: key.secret }))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(RESET, { id: coach.user.id }, { token: firm.admin.accessToken }))).toBe('NOT_FOUND');
    const self = await api.gql(RESET, { id: own.admin.user.id }, { token: own.admin.accessToken });
    expect(errorCode(self)).toBe('BAD_USER_INPUT');
    expect(errorFields(self)).toEqual(['id']);
    expect(errorFields(await api.gql(RESET, { id: 'nope' }, { token: own.admin.accessToken }))).toEqual(['id']);
    expect(await login(coach, own)).toMatchObject({ mfaRequired: true });

    const reset = await api.ok<{ resetUserMfa: { enabled: boolean; required: boolean } }>(
      RESET,
      { id: coach.user.id },
      { token: own.admin.accessToken },
    );
    expect(reset.resetUserMfa).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });
    // The challenge opened before the reset is gone; a password alone signs in now.
    expect(
      errorCode(await api.gql(COMPLETE, { input: { challengeToken: challenge.mfaChallengeToken, recoveryCode: 'aaaa-bbbb-cccc-dddd' } })),
    ).toBe('UNAUTHENTICATED');
    expect(await login(coach, own)).toMatchObject({ mfaRequired: false });
    const [entry] = await auditEntries(api, own, { actions: ['MFA_DISABLED'], subjectId: coach.user.id });
    expect(entry).toMatchObject({ actorKind: 'USER', actorId: own.admin.user.id });
    expect(entry.details).toEqual([{ name: 'by', values: ['ADMIN_RESET'] }]);
    // Nothing left to reset.
    expect(errorCode(await api.gql(RESET, { id: coach.user.id }, { token: own.admin.accessToken }))).toBe('CONFLICT');

    // Required by the firm: the next sign-in enrols them again.
    await enrol(otherCoach);
    await api.ok(SET_POLICY, { roles: ['COACH'] }, { token: own.admin.accessToken });
    const again = await api.ok<{ resetUserMfa: { required: boolean } }>(RESET, { id: otherCoach.user.id }, { token: own.admin.accessToken });
    expect(again.resetUserMfa.required).toBe(true);
    expect(await login(otherCoach, own)).toMatchObject({ mfaRequired: true, mfaEnrolmentRequired: true });
  });

  it('purges challenges a week past their expiry with the expired credentials', async () => {
    const coach = await addUser(api, firm, 'COACH');
    await enrol(coach);
    const [old, fresh] = [await login(coach), await login(coach)].map((l) =>
      (l.mfaChallengeToken as string).slice(4, 40),
    );
    await api.dataSource.query(
      `UPDATE mfa_challenges SET expires_at = now() - interval '8 days' WHERE id = $1`,
      [old],
    );
    await new PurgeExpiredCredentialsJob(api.app.get(SystemDatabase)).run();
    const left: { id: string }[] = await api.dataSource.query(
      `SELECT id FROM mfa_challenges WHERE id = ANY($1)`,
      [[old, fresh]],
    );
    expect(left.map((r) => r.id)).toEqual([fresh]);
  });

  it('accepts one code once when two sign-ins race with it', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { app } = await enrol(coach);
    const challenges = [(await login(coach)).mfaChallengeToken, (await login(coach)).mfaChallengeToken];
    const code = app.next();
    const results = await Promise.all(
      challenges.map((challengeToken) => api.gql(COMPLETE, { input: { challengeToken, code } })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const refused = results.find((r) => r.errors);
    expect(errorCode(refused as GqlResult)).toBe('BAD_USER_INPUT');
    expect(refused?.errors?.[0].message).toMatch(/already used/);
  });

  it('matches no code with a secret sealed under another key, and still takes a recovery code', async () => {
    const coach = await addUser(api, firm, 'COACH');
    const { app, recoveryCodes } = await enrol(coach);
    const foreign = `v1.${randomBytes(60).toString('base64url')}`;
    await api.dataSource.query(`UPDATE user_mfa SET secret_sealed = $1 WHERE user_id = $2`, [
      foreign,
      coach.user.id,
    ]);
    const challenge = (await login(coach)).mfaChallengeToken;
    const refused = await api.gql(COMPLETE, { input: { challengeToken: challenge, code: app.next() } });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(errorFields(refused)).toEqual(['code']);
    await api.ok(COMPLETE, { input: { challengeToken: challenge, recoveryCode: recoveryCodes[0] } });
  });
});

import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { AuditAction, AuditSubjectType, AuditTrail, userActor } from '#cairn/shared/audit';
import { hashSecret, parseOpaqueToken, Role, SecretBox, secretMatches } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { Firm } from '../firms/firm.entity.js';
import { IdentityErrors } from '../identity.errors.js';
import { SessionService } from '../sessions/session.service.js';
import { recordSignInFailure } from '../sessions/sign-in-audit.js';
import { User, UserStatus } from '../users/user.entity.js';
import {
  CompleteMfaLoginInput,
  MfaCodeInput,
  MfaEnrolment,
  MfaLoginPayload,
  MfaRecoveryCodes,
  MfaStatus,
} from './dto/mfa.inputs.js';
import { MFA_CHALLENGE_PREFIX, MfaChallenges } from './mfa-challenges.js';
import { mfaRequiredFor, mfaStateOf } from './mfa-policy.js';
import { newRecoveryCode, newTotpSecret, normalizedRecoveryCode, provisioningUri, totpStep } from './totp.js';

const RECOVERY_CODES = 10;

type Factor = 'TOTP' | 'RECOVERY_CODE';
/** A checked second factor, or the field whose value was wrong (and why). */
type FactorCheck = { ok: Factor } | { wrong: 'code' | 'recoveryCode'; replayed?: boolean };

@Injectable()
export class MfaService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly sessions: SessionService,
    private readonly challenges: MfaChallenges,
    private readonly secrets: SecretBox,
  ) {}

  status(userId: string, role: Role): Promise<MfaStatus> {
    return this.tenantDb.read(async (tx) => {
      const state = await mfaStateOf(tx, userId);
      const left = await tx.db
        .selectFrom('mfa_recovery_codes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      const required = (await mfaRequiredFor(tx)).includes(role);
      return { enabled: Boolean(state?.enabled_at), required, recoveryCodesLeft: Number(left.n) };
    });
  }

  /** A new secret to scan; replaces an enrolment not yet confirmed. Refused while MFA is on. */
  begin(userId: string): Promise<MfaEnrolment> {
    return this.tenantDb.transaction((tx) => this.beginIn(tx, userId));
  }

  /** The same, for a person the firm requires MFA of, holding the ENROL challenge `login` gave them. */
  async beginAtSignIn(challengeToken: string): Promise<MfaEnrolment> {
    return this.inChallengeTenant(challengeToken, async (tx) => {
      const challenge = await this.openChallenge(tx, challengeToken);
      if (challenge.purpose !== 'ENROL') throw IdentityErrors.invalidMfaChallenge();
      return this.beginIn(tx, challenge.user_id);
    });
  }

  /** Turns MFA on with a first code; returns the recovery codes, shown this once. */
  confirm(userId: string, code: string): Promise<MfaRecoveryCodes> {
    return this.tenantDb.transaction(async (tx) => ({
      recoveryCodes: (await this.confirmIn(tx, userId, code)) as string[],
    }));
  }

  /** Turns MFA off with a code or a recovery code; refused while the firm requires it for the person's role. */
  disable(userId: string, role: Role, input: MfaCodeInput): Promise<MfaStatus> {
    return this.tenantDb.transaction(async (tx) => {
      if ((await mfaRequiredFor(tx)).includes(role)) throw IdentityErrors.mfaRequiredByPolicy();
      await this.requireFactor(tx, userId, input);
      await tx.db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
      await tx.db.deleteFrom('user_mfa').where('user_id', '=', userId).execute();
      await this.audit(tx, AuditAction.MFA_DISABLED, userId);
      return { enabled: false, required: false, recoveryCodesLeft: 0 };
    });
  }

  /**
   * An ADMIN turns off another person's MFA when they lost both their authenticator and their recovery codes:
   * the secret, recovery codes and open challenges go. If the firm requires MFA of their role, their next
   * sign-in enrols them again. Not one's own (that needs a factor: disableMfa).
   */
  reset(userId: string, adminId: string): Promise<MfaStatus> {
    if (userId === adminId) throw IdentityErrors.cannotResetOwnMfa();
    return this.tenantDb.transaction(async (tx) => {
      const user = await tx.repo(User).findOne({ id: userId });
      if (!user) throw IdentityErrors.userNotFound();
      if (!(await mfaStateOf(tx, userId))?.enabled_at) throw IdentityErrors.mfaNotEnabled();
      await tx.db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
      await tx.db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
      await tx.db.deleteFrom('user_mfa').where('user_id', '=', userId).execute();
      await AuditTrail.record(tx, {
        action: AuditAction.MFA_DISABLED,
        actor: userActor(adminId),
        subject: { type: AuditSubjectType.USER, id: userId },
        details: { by: 'ADMIN_RESET' },
      });
      const required = (await mfaRequiredFor(tx)).includes(user.role);
      return { enabled: false, required, recoveryCodesLeft: 0 };
    });
  }

  /** New recovery codes (the old ones stop working), after a code from the app. */
  regenerateRecoveryCodes(userId: string, code: string): Promise<MfaRecoveryCodes> {
    return this.tenantDb.transaction(async (tx) => {
      await this.requireFactor(tx, userId, { code });
      const recoveryCodes = await this.replaceRecoveryCodes(tx, userId);
      await this.audit(tx, AuditAction.MFA_RECOVERY_CODES_REGENERATED, userId);
      return { recoveryCodes };
    });
  }

  /**
   * The second step of a sign-in: the challenge and a code (or a recovery code) give the usual session. A wrong
   * code is recorded as a failed sign-in and leaves the challenge usable (the sign-in limiter bounds guesses);
   * a right one uses the challenge up.
   */
  async completeLogin(input: CompleteMfaLoginInput): Promise<MfaLoginPayload> {
    const outcome = await this.inChallengeTenant(
      input.challengeToken,
      async (tx): Promise<{ wrong: FactorCheck } | { payload: MfaLoginPayload }> => {
        const challenge = await this.openChallenge(tx, input.challengeToken);
        const user = await tx.repo(User).findOne({ id: challenge.user_id });
        if (!user || user.status !== UserStatus.ACTIVE) throw IdentityErrors.invalidMfaChallenge();
        let recoveryCodes: string[] | undefined;
        let factor: Factor = 'TOTP';
        if (challenge.purpose === 'ENROL') {
          if (!input.code || input.recoveryCode) throw IdentityErrors.wrongMfaCode('code');
          recoveryCodes = await this.confirmIn(tx, user.id, input.code, false);
          if (!recoveryCodes) {
            await recordSignInFailure(tx, user.id, 'WRONG_CODE', 'MFA_ENROLMENT');
            return { wrong: { wrong: 'code' } };
          }
        } else {
          const check = await this.checkFactor(tx, user.id, input);
          if ('wrong' in check) {
            await recordSignInFailure(tx, user.id, check.replayed ? 'REPLAYED_CODE' : 'WRONG_CODE', 'MFA');
            return { wrong: check };
          }
          factor = check.ok;
        }
        const claimed = await tx.db
          .updateTable('mfa_challenges')
          .set({ used_at: new Date() })
          .where('id', '=', challenge.id)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        // Two completions of one challenge at once: one session only.
        if (claimed.numUpdatedRows === 0n) throw IdentityErrors.invalidMfaChallenge();
        const session = await this.sessions.signIn(tx, user, { mfa: factor });
        return { payload: { ...session, recoveryCodes } };
      },
    );
    if ('wrong' in outcome) throw factorError(outcome.wrong);
    return outcome.payload;
  }

  /** The person a challenge token belongs to, to count guesses per person whatever challenge they use. */
  async accountOf(challengeToken: string): Promise<string> {
    return (await this.challenges.ownerOf(challengeToken))?.userId ?? challengeToken;
  }

  private async beginIn(tx: TenantTransaction, userId: string): Promise<MfaEnrolment> {
    const state = await mfaStateOf(tx, userId);
    if (state?.enabled_at) throw IdentityErrors.mfaAlreadyEnabled();
    const user = await tx.repo(User).findOne({ id: userId });
    const firm = await tx.manager.findOne(Firm, { where: { id: tx.tenantId } });
    if (!user || !firm) throw IdentityErrors.userNotFound();
    const secret = newTotpSecret();
    const sealed = this.secrets.seal(secret);
    await tx.db
      .insertInto('user_mfa')
      .values({ user_id: userId, secret_sealed: sealed })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id']).doUpdateSet({ secret_sealed: sealed, updated_at: new Date() }),
      )
      .execute();
    await this.audit(tx, AuditAction.MFA_ENROLMENT_STARTED, userId);
    return { secret, provisioningUri: provisioningUri(secret, firm.slug, user.email) };
  }

  /** Confirms a pending enrolment; a wrong code throws, or with `orThrow` false answers undefined. */
  private async confirmIn(
    tx: TenantTransaction,
    userId: string,
    code: string,
    orThrow = true,
  ): Promise<string[] | undefined> {
    const state = await mfaStateOf(tx, userId);
    if (state?.enabled_at) throw IdentityErrors.mfaAlreadyEnabled();
    if (!state) throw IdentityErrors.mfaNotEnrolling();
    const step = this.stepOf(state.secret_sealed, code);
    if (step === null) {
      if (orThrow) throw IdentityErrors.wrongMfaCode('code');
      return undefined;
    }
    await tx.db
      .updateTable('user_mfa')
      .set({ enabled_at: new Date(), last_used_step: String(step), updated_at: new Date() })
      .where('user_id', '=', userId)
      .execute();
    const recoveryCodes = await this.replaceRecoveryCodes(tx, userId);
    await this.audit(tx, AuditAction.MFA_ENABLED, userId);
    return recoveryCodes;
  }

  private async requireFactor(tx: TenantTransaction, userId: string, input: MfaCodeInput): Promise<Factor> {
    const check = await this.checkFactor(tx, userId, input);
    if ('wrong' in check) throw factorError(check);
    return check.ok;
  }

  /**
   * Checks a TOTP code (once per time step: a step at or before the last accepted one is a replay) or uses up a
   * recovery code. Both claims are conditional updates, so two requests with one code cannot both pass.
   */
  private async checkFactor(
    tx: TenantTransaction,
    userId: string,
    input: MfaCodeInput,
  ): Promise<FactorCheck> {
    if (Boolean(input.code) === Boolean(input.recoveryCode)) throw IdentityErrors.mfaFactorMissing();
    const state = await mfaStateOf(tx, userId);
    if (!state?.enabled_at) throw IdentityErrors.mfaNotEnabled();
    if (input.code) {
      const step = this.stepOf(state.secret_sealed, input.code);
      if (step === null) return { wrong: 'code' };
      const claimed = await tx.db
        .updateTable('user_mfa')
        .set({ last_used_step: String(step), updated_at: new Date() })
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]))
        .executeTakeFirst();
      return claimed.numUpdatedRows === 0n ? { wrong: 'code', replayed: true } : { ok: 'TOTP' };
    }
    const used = await tx.db
      .updateTable('mfa_recovery_codes')
      .set({ used_at: new Date() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashSecret(normalizedRecoveryCode(input.recoveryCode as string)))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows === 0n) return { wrong: 'recoveryCode' };
    await this.audit(tx, AuditAction.MFA_RECOVERY_CODE_USED, userId);
    return { ok: 'RECOVERY_CODE' };
  }

  /**
   * The time step a code is good for, or null. A secret sealed under a lost DATA_ENCRYPTION_KEY cannot be
   * opened: no code matches it then (recovery codes still work), rather than an internal error.
   */
  private stepOf(sealed: string, code: string): number | null {
    let secret: string;
    try {
      secret = this.secrets.open(sealed);
    } catch {
      return null;
    }
    return totpStep(secret, code);
  }

  private async replaceRecoveryCodes(tx: TenantTransaction, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await tx.db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await tx.db
      .insertInto('mfa_recovery_codes')
      .values(codes.map((code) => ({ user_id: userId, code_hash: hashSecret(normalizedRecoveryCode(code)) })))
      .execute();
    return codes;
  }

  /** The challenge behind a token, unused and unexpired, or UNAUTHENTICATED (one answer for every reason). */
  private async openChallenge(tx: TenantTransaction, rawToken: string) {
    const parsed = parseOpaqueToken(MFA_CHALLENGE_PREFIX, rawToken);
    const row = parsed
      ? await tx.db
          .selectFrom('mfa_challenges')
          .select(['id', 'user_id', 'purpose', 'secret_hash', 'expires_at', 'used_at'])
          .where('id', '=', parsed.id)
          .where('expires_at', '>', sql<Date>`now()`)
          .executeTakeFirst()
      : undefined;
    const matches = secretMatches(parsed?.secret ?? '', row?.secret_hash);
    if (!row || !matches || row.used_at) throw IdentityErrors.invalidMfaChallenge();
    return row;
  }

  /** Runs `work` as the tenant the challenge token belongs to (looked up before any tenant is known). */
  private async inChallengeTenant<T>(
    rawToken: string,
    work: (tx: TenantTransaction) => Promise<T>,
  ): Promise<T> {
    const owner = await this.challenges.ownerOf(rawToken);
    if (!owner) throw IdentityErrors.invalidMfaChallenge();
    return RequestContext.runAs({ tenantId: owner.tenantId }, () => this.tenantDb.transaction(work));
  }

  private audit(tx: TenantTransaction, action: AuditAction, userId: string) {
    return AuditTrail.record(tx, {
      action,
      actor: userActor(userId),
      subject: { type: AuditSubjectType.USER, id: userId },
    });
  }
}

function factorError(check: FactorCheck) {
  if ('ok' in check) throw new Error('not a failed check');
  return check.replayed ? IdentityErrors.mfaCodeReplayed() : IdentityErrors.wrongMfaCode(check.wrong);
}

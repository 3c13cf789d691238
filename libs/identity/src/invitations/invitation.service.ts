import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { IsNull } from 'typeorm';
import { AuditAction, AuditSubjectType, AuditTrail, userActor } from '#cairn/shared/audit';
import { AppConfig } from '#cairn/shared/config';
import { formatOpaqueToken, hashSecret, newSecret, parseOpaqueToken, PasswordHasher, Role, secretMatches } from '#cairn/shared/auth';
import { isUniqueViolation, SystemDatabase, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { asNode, ConnectionArgs, ConnectionShape, paginate } from '#cairn/shared/graphql';
import { RequestContext } from '#cairn/shared/tenancy';
import { fillUrlPattern, safeText } from '#cairn/shared/templates';
import { IdentityErrors } from '../identity.errors.js';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { SessionService } from '../sessions/session.service.js';
import { User, UserStatus } from '../users/user.entity.js';
import { userWithPassword } from '../users/user-with-password.js';
import { AcceptInvitationInput, CreatedInvitation, InviteUserInput } from './dto/invite-user.input.js';
import { Invitation } from './invitation.entity.js';
import { InvitationMailer } from './invitation-mailer.js';
import { refusePasswordSignIn } from '../sso/sso-policy.js';
import { invitationHtml, invitationText, type InvitationEmailView } from './templates/invitation-email.template.js';

export const INVITATION_PREFIX = 'inv';

/** An invitation's columns as the API shows them (its status reads the three timestamps), no secret. */
const INVITATION_NODE = [
  'i.id',
  'i.email',
  'i.display_name as displayName',
  'i.role',
  'i.invited_by_user_id as invitedByUserId',
  'i.expires_at as expiresAt',
  'i.accepted_at as acceptedAt',
  'i.revoked_at as revokedAt',
  'i.created_at as createdAt',
] as const;

const ROLE_NAMES: Record<Role, string> = { [Role.ADMIN]: 'an admin', [Role.COACH]: 'a coach', [Role.CLIENT]: 'a client' };

/** Active users without a password were created for coaching (e.g. by a coach) and have never signed in. */
const canBeGivenALogin = (user: User) => user.passwordHash === null && user.status === UserStatus.ACTIVE;

@Injectable()
export class InvitationService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly config: AppConfig,
    private readonly mailer: InvitationMailer,
  ) {}

  /**
   * Re-inviting an address supersedes its open invitation, so the newest link is the only one that works. With
   * INVITE_URL_PATTERN set, the invitee is emailed the accept link in the same transaction (see InvitationMailer).
   */
  invite(input: InviteUserInput, invitedByUserId: string): Promise<CreatedInvitation> {
    const email = input.email.toLowerCase();
    return this.tenantDb.transaction(async (tx) => {
      const existing = await userWithPassword(tx, { email });
      // A person created without a login (a client a coach added) may be invited to set one up, in their role.
      if (existing && !(canBeGivenALogin(existing) && existing.role === input.role)) throw IdentityErrors.emailTaken(email);
      await tx
        .repo(Invitation)
        .update({ email, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
      const secret = newSecret();
      const invitation = await tx.repo(Invitation).insert({
        email,
        displayName: input.displayName.trim(),
        role: input.role,
        secretHash: hashSecret(secret),
        invitedByUserId,
        expiresAt: new Date(Date.now() + this.config.INVITATION_TTL_DAYS * 86_400_000),
      });
      const token = formatOpaqueToken(INVITATION_PREFIX, invitation.id, secret);
      await this.email(tx, invitation, token);
      await AuditTrail.record(tx, {
        action: AuditAction.INVITATION_CREATED,
        actor: userActor(invitedByUserId),
        subject: { type: AuditSubjectType.INVITATION, id: invitation.id },
        details: { role: invitation.role },
      });
      return { invitation, token };
    });
  }

  /** The invitation email with its accept link, when the firm's frontend link is configured. */
  private async email(tx: TenantTransaction, invitation: Invitation, token: string): Promise<void> {
    const pattern = this.config.INVITE_URL_PATTERN;
    if (!pattern) return;
    // The tenant layer narrows `tenants` to the caller's firm.
    const firm = await tx.db.selectFrom('tenants').select(['name', 'slug']).executeTakeFirstOrThrow();
    const inviter = await tx.repo(User).findOne({ id: invitation.invitedByUserId });
    const view: InvitationEmailView = {
      inviteeName: invitation.displayName,
      inviterName: inviter?.displayName ?? firm.name,
      firmName: firm.name,
      roleName: ROLE_NAMES[invitation.role],
      acceptUrl: fillUrlPattern(pattern, { token, firmSlug: firm.slug }),
      expiresAt: DateTime.fromJSDate(invitation.expiresAt, { zone: 'UTC' }).setLocale('en-GB').toFormat("ccc d LLL yyyy, HH:mm 'UTC'"),
    };
    const subject = safeText(`${view.inviterName} invited you to join ${view.firmName}`);
    await this.mailer.send(tx, {
      invitationId: invitation.id,
      to: { email: invitation.email, name: invitation.displayName },
      subject: subject.length > 300 ? `${subject.slice(0, 299)}…` : subject,
      text: invitationText(view),
      html: invitationHtml(view),
    });
  }

  revoke(id: string, revokedByUserId: string): Promise<Invitation> {
    return this.tenantDb.transaction(async (tx) => {
      const invitation = await tx.repo(Invitation).findOne({ id });
      if (!invitation) throw IdentityErrors.invitationNotFound();
      if (!invitation.acceptedAt && !invitation.revokedAt) {
        invitation.revokedAt = new Date();
        await tx.repo(Invitation).update({ id }, { revokedAt: invitation.revokedAt });
        await AuditTrail.record(tx, {
          action: AuditAction.INVITATION_REVOKED,
          actor: userActor(revokedByUserId),
          subject: { type: AuditSubjectType.INVITATION, id },
        });
      }
      return invitation;
    });
  }

  list(args: ConnectionArgs): Promise<ConnectionShape<Invitation>> {
    return this.tenantDb.transaction((tx) =>
      paginate(tx.db.selectFrom('invitations as i').select(INVITATION_NODE), 'i', args, { node: asNode(Invitation) }),
    );
  }

  /** Creates the account with the chosen password and signs the new user in. */
  async accept(input: AcceptInvitationInput): Promise<AuthPayload> {
    const parsed = parseOpaqueToken(INVITATION_PREFIX, input.token);
    if (!parsed) throw IdentityErrors.invalidInvitation();
    // Hashed before the token is looked at: an unknown invitation costs the same as a revoked or expired one.
    const passwordHash = await this.passwords.hash(input.password);
    const tenantId = await this.systemDb.transaction(async (m) => {
      const row = await m.findOne(Invitation, { where: { id: parsed.id }, select: { id: true, tenantId: true } });
      return row?.tenantId;
    });
    if (!tenantId) throw IdentityErrors.invalidInvitation();

    return RequestContext.runAs({ tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        const invitation = await tx.db
          .selectFrom('invitations as i')
          .select([...INVITATION_NODE, 'i.secret_hash as secretHash'])
          .where('i.id', '=', parsed.id)
          .$narrowType<{ role: Role }>()
          .executeTakeFirst();
        const matches = secretMatches(parsed.secret, invitation?.secretHash);
        if (
          !invitation ||
          !matches ||
          invitation.acceptedAt ||
          invitation.revokedAt ||
          invitation.expiresAt.getTime() <= Date.now()
        ) {
          throw IdentityErrors.invalidInvitation();
        }
        // With SSO required, the invitee signs in through the provider instead (accepting it there).
        await refusePasswordSignIn(tx, invitation.role);
        // Claim first: of two concurrent accepts, one creates the user and the other is refused.
        const claimed = await tx
          .repo(Invitation)
          .update({ id: invitation.id, acceptedAt: IsNull(), revokedAt: IsNull() }, { acceptedAt: new Date() });
        if (claimed === 0) throw IdentityErrors.invalidInvitation();
        const existing = await userWithPassword(tx, { email: invitation.email }, true);
        if (existing) {
          if (!canBeGivenALogin(existing)) throw IdentityErrors.emailTaken(invitation.email);
          existing.passwordHash = passwordHash;
          existing.lastLoginAt = new Date();
          if (input.displayName?.trim()) existing.displayName = input.displayName.trim();
          await tx.repo(User).update(
            { id: existing.id },
            { passwordHash, lastLoginAt: existing.lastLoginAt, displayName: existing.displayName },
          );
          await recordAcceptance(tx, invitation.id, existing.id, invitation.role);
          return this.sessions.issue(tx, existing);
        }
        let user: User;
        try {
          user = await tx.repo(User).insert({
            email: invitation.email,
            displayName: input.displayName?.trim() || invitation.displayName,
            role: invitation.role,
            status: UserStatus.ACTIVE,
            passwordHash,
            lastLoginAt: new Date(),
          });
        } catch (error) {
          if (isUniqueViolation(error, 'users_tenant_email')) throw IdentityErrors.emailTaken(invitation.email);
          throw error;
        }
        await recordAcceptance(tx, invitation.id, user.id, invitation.role);
        return this.sessions.issue(tx, user);
      }),
    );
  }
}

const recordAcceptance = (tx: TenantTransaction, invitationId: string, userId: string, role: Role) =>
  AuditTrail.record(tx, {
    action: AuditAction.INVITATION_ACCEPTED,
    actor: userActor(userId),
    subject: { type: AuditSubjectType.INVITATION, id: invitationId },
    details: { role },
  });

import { Module } from '@nestjs/common';
import { PrincipalVerifier, SecretBox, SignInLimiter } from '#cairn/shared/auth';
import { ApiKey } from './api-keys/api-key.entity.js';
import { AuditLogResolver } from './audit/audit-log.resolver.js';
import { AuditLogService } from './audit/audit-log.service.js';
import { MfaChallenges } from './mfa/mfa-challenges.js';
import { MfaPolicyService } from './mfa/mfa-policy.service.js';
import { MfaResolver } from './mfa/mfa.resolver.js';
import { MfaService } from './mfa/mfa.service.js';
import { ApiKeyResolver } from './api-keys/api-key.resolver.js';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { Firm } from './firms/firm.entity.js';
import { FirmResolver } from './firms/firm.resolver.js';
import { FirmService } from './firms/firm.service.js';
import { IdentityPrincipalVerifier } from './identity-principal.verifier.js';
import { Invitation } from './invitations/invitation.entity.js';
import { PurgeExpiredCredentialsJob } from './maintenance/purge-expired-credentials.job.js';
import { ResealSecretsJob, SecretResealer } from './maintenance/reseal-secrets.job.js';
import { InvitationResolver } from './invitations/invitation.resolver.js';
import { InvitationService } from './invitations/invitation.service.js';
import { Identity1763900000100 } from './migrations/1763900000100-identity.js';
import { Mfa1763900002910 } from './migrations/1763900002910-mfa.js';
import { SingleSignOn1763900003000 } from './migrations/1763900003000-single-sign-on.js';
import { ClientTokenService } from './sessions/client-token.service.js';
import { RefreshToken } from './sessions/refresh-token.entity.js';
import { SessionResolver } from './sessions/session.resolver.js';
import { SessionService } from './sessions/session.service.js';
import { User } from './users/user.entity.js';
import { UserResolver } from './users/user.resolver.js';
import { UserService } from './users/user.service.js';
import { ZoneChanges } from './zones/zone-changes.js';
import { SsoController } from './sso/sso.controller.js';
import { SsoResolver } from './sso/sso.resolver.js';
import { SsoService } from './sso/sso.service.js';

export const identityEntities = [Firm, User, RefreshToken, ApiKey, Invitation];
export const identityMigrations = [Identity1763900000100, Mfa1763900002910, SingleSignOn1763900003000];
export const identityResolvers = [
  FirmResolver,
  SessionResolver,
  UserResolver,
  ApiKeyResolver,
  InvitationResolver,
  MfaResolver,
  AuditLogResolver,
  SsoResolver,
];

const services = [
  FirmService,
  SessionService,
  ClientTokenService,
  UserService,
  ApiKeyService,
  InvitationService,
  ZoneChanges,
  MfaChallenges,
  MfaService,
  MfaPolicyService,
  AuditLogService,
  SecretBox,
];

@Module({
  providers: [...services, { provide: PrincipalVerifier, useClass: IdentityPrincipalVerifier }],
  exports: [...services, PrincipalVerifier],
})
export class IdentityCoreModule {}

/** Identity's background jobs; only the worker imports this. */
@Module({
  imports: [IdentityCoreModule],
  providers: [PurgeExpiredCredentialsJob, SecretResealer, ResealSecretsJob],
})
export class IdentityJobsModule {}

/** The GraphQL surface of identity (and single sign-on's browser routes); the API imports this, the worker only the core. */
@Module({
  imports: [IdentityCoreModule],
  controllers: [SsoController],
  providers: [...identityResolvers, SignInLimiter, SsoService],
})
export class IdentityModule {}

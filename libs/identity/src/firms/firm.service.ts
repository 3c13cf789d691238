import { Injectable } from '@nestjs/common';
import { PasswordHasher, Role } from '#cairn/shared/auth';
import { isUniqueViolation, TenantDatabase } from '#cairn/shared/database';
import { IdentityErrors } from '../identity.errors.js';
import { AuthPayload } from '../sessions/dto/auth-payload.type.js';
import { SessionService } from '../sessions/session.service.js';
import { User, UserStatus } from '../users/user.entity.js';
import { ZoneChanges } from '../zones/zone-changes.js';
import { SignUpFirmInput } from './dto/sign-up-firm.input.js';
import { UpdateFirmInput } from './dto/update-firm.input.js';
import { Firm } from './firm.entity.js';

@Injectable()
export class FirmService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly zoneChanges: ZoneChanges,
  ) {}

  /** Creates the firm, its first ADMIN and a session, all in one transaction. */
  async signUp(input: SignUpFirmInput): Promise<AuthPayload> {
    const passwordHash = await this.passwords.hash(input.adminPassword);
    try {
      return await this.tenantDb.createTenant(
        async (manager) => {
          const firm = manager.create(Firm, {
            name: input.firmName.trim(),
            slug: input.firmSlug,
            defaultTimezone: input.timezone,
          });
          return (await manager.save(firm)).id;
        },
        async (tx) => {
          const admin = await tx.repo(User).insert({
            email: input.adminEmail.toLowerCase(),
            displayName: input.adminName.trim(),
            role: Role.ADMIN,
            status: UserStatus.ACTIVE,
            passwordHash,
          });
          return this.sessions.issue(tx, admin);
        },
      );
    } catch (error) {
      if (isUniqueViolation(error, 'tenants_slug_key')) throw IdentityErrors.slugTaken(input.firmSlug);
      throw error;
    }
  }

  /** Changes the firm's default zone; schedules of people without a zone of their own follow in the same transaction. */
  update(input: UpdateFirmInput, now = new Date()): Promise<Firm> {
    return this.tenantDb.transaction(async (tx) => {
      // The row lock orders concurrent edits, so each re-plan sees the zone it is for.
      const firm = await tx.db.selectFrom('tenants').select('default_timezone').forUpdate().executeTakeFirstOrThrow();
      if (input.defaultTimezone !== firm.default_timezone) {
        await tx.manager.update(Firm, { id: tx.tenantId }, { defaultTimezone: input.defaultTimezone });
        await this.zoneChanges.changed(tx, { firmDefault: true }, now);
      }
      return tx.manager.findOneOrFail(Firm, { where: { id: tx.tenantId } });
    });
  }

  async current(): Promise<Firm> {
    return this.tenantDb.transaction(async (tx) => {
      const firm = await tx.manager.findOneOrFail(Firm, { where: { id: tx.tenantId } });
      return firm;
    });
  }
}

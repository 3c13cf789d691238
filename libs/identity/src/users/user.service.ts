import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditAction, AuditSubjectType, AuditTrail, userActor } from '#cairn/shared/audit';
import { Role } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { asNode, ConnectionShape, paginate, requestLoader } from '#cairn/shared/graphql';
import { IdentityErrors } from '../identity.errors.js';
import { SessionService } from '../sessions/session.service.js';
import { UsersArgs } from './dto/users.args.js';
import { User, UserStatus } from './user.entity.js';

const STAFF_ROLES: Role[] = [Role.ADMIN, Role.COACH];

/** A user's columns as the API shows them (no password hash), named as User's properties. */
export const USER_NODE = [
  'u.id',
  'u.email',
  'u.display_name as displayName',
  'u.role',
  'u.status',
  'u.timezone',
  'u.last_login_at as lastLoginAt',
  'u.created_at as createdAt',
] as const;

@Injectable()
export class UserService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly sessions: SessionService,
  ) {}

  async get(id: string): Promise<User> {
    const user = await this.tenantDb.transaction((tx) => tx.repo(User).findOne({ id }));
    if (!user) throw IdentityErrors.userNotFound();
    return user;
  }

  list(args: UsersArgs): Promise<ConnectionShape<User>> {
    return this.tenantDb.transaction((tx) => {
      let query = tx.db.selectFrom('users as u').select(USER_NODE);
      if (args.role) query = query.where('u.role', '=', args.role);
      return paginate(query, 'u', args, { node: asNode(User) });
    });
  }

  /** Batched by id for the rest of the request (e.g. `createdBy` on a page of API keys). */
  load(id: string): Promise<User | null> {
    return requestLoader<string, User>(
      'users-by-id',
      (ids) => this.tenantDb.read((tx) => tx.repo(User).findBy({ id: In([...ids]) })),
      (user) => user.id,
    ).load(id);
  }

  /**
   * Moves a firm member between ADMIN and COACH (a client is a different kind of person: their data, not their
   * permissions, define them). Effective at once: every request reads the role from the database. Not one's
   * own role, so a firm never demotes its last admin by accident.
   */
  async changeRole(id: string, role: Role, actingUserId: string): Promise<User> {
    if (id === actingUserId) throw IdentityErrors.cannotChangeOwnRole();
    if (!STAFF_ROLES.includes(role)) throw IdentityErrors.staffRolesOnly();
    return this.tenantDb.transaction(async (tx) => {
      const user = await tx.repo(User).findOne({ id });
      if (!user) throw IdentityErrors.userNotFound();
      if (!STAFF_ROLES.includes(user.role)) throw IdentityErrors.staffRolesOnly();
      if (user.role === role) return user;
      await tx.repo(User).update({ id }, { role });
      await AuditTrail.record(tx, {
        action: AuditAction.USER_ROLE_CHANGED,
        actor: userActor(actingUserId),
        subject: { type: AuditSubjectType.USER, id },
        details: { from: user.role, to: role },
      });
      user.role = role;
      return user;
    });
  }

  /** Deactivated users cannot log in, refresh, or use access tokens already issued. */
  async deactivate(id: string, actingUserId: string): Promise<User> {
    if (id === actingUserId) throw IdentityErrors.cannotDeactivateSelf();
    return this.tenantDb.transaction(async (tx) => {
      const user = await tx.repo(User).findOne({ id });
      if (!user) throw IdentityErrors.userNotFound();
      user.status = UserStatus.DEACTIVATED;
      await tx.repo(User).update({ id }, { status: UserStatus.DEACTIVATED });
      await this.sessions.revokeAllForUser(tx, id);
      await AuditTrail.record(tx, {
        action: AuditAction.USER_DEACTIVATED,
        actor: userActor(actingUserId),
        subject: { type: AuditSubjectType.USER, id },
      });
      return user;
    });
  }
}

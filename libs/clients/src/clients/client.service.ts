import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { In } from 'typeorm';
import { CreatedInvitation, InvitationService, User, ZoneChanges } from '#cairn/identity';
import { type Principal, Role } from '#cairn/shared/auth';
import { isValidTimeZone, todayIn } from '#cairn/shared/calendar';
import { isUniqueViolation, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { asNode, ConnectionShape, paginate, requestLoader } from '#cairn/shared/graphql';
import { CaseloadAccess, engagedWith, usersWithProfiles } from '../access/caseload-access.service.js';
import { ClientErrors } from '../clients.errors.js';
import { Engagement, EngagementStatus } from '../engagements/engagement.entity.js';
import { Profile } from '../profiles/profile.entity.js';
import { Client } from './client.model.js';
import { ClientsArgs } from './dto/clients.args.js';
import { CreateClientInput } from './dto/create-client.input.js';
import { UpdateClientInput, UpdateProfileInput } from './dto/update-client.input.js';

export async function firmTimezone(tx: TenantTransaction): Promise<string> {
  const row = await tx.db.selectFrom('tenants').select('default_timezone').executeTakeFirstOrThrow();
  return row.default_timezone;
}

function toClient(user: User, profile: Profile | undefined, defaultZone: string): Client {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    timezone: user.timezone,
    effectiveTimezone: user.timezone ?? defaultZone,
    jobTitle: profile?.jobTitle ?? null,
    organization: profile?.organization ?? null,
    status: user.status,
    archivedAt: profile?.archivedAt ?? null,
    archiveReason: profile?.archiveReason ?? null,
    version: profile?.version ?? 0,
    createdAt: user.createdAt,
  };
}

@Injectable()
export class ClientService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly access: CaseloadAccess,
    private readonly invitations: InvitationService,
    private readonly zoneChanges: ZoneChanges,
  ) {}

  /** Creates a client who can be coached (and acted for by a partner) right away; inviting them to sign in is optional. */
  create(principal: Principal, input: CreateClientInput): Promise<Client> {
    const email = input.email.toLowerCase();
    if (input.timezone && !isValidTimeZone(input.timezone)) throw ClientErrors.invalidTimeZone(input.timezone);
    const scope = this.access.scopeOf(principal);
    if (scope.kind === 'client') throw ClientErrors.notAllowed();
    if (scope.kind === 'coach' && input.coachId && input.coachId !== scope.coachId) throw ClientErrors.notAllowed();
    const coachId = scope.kind === 'coach' ? scope.coachId : input.coachId;
    if (!coachId) throw ClientErrors.coachRequired();

    return this.tenantDb.transaction(async (tx) => {
      const coach = await tx.repo(User).findOne({ id: coachId, role: In([Role.COACH, Role.ADMIN]) });
      if (!coach) throw ClientErrors.coachNotFound();
      if (await tx.repo(User).findOne({ email })) throw ClientErrors.emailTaken(email);
      const defaultZone = await firmTimezone(tx);
      let user: User;
      try {
        user = await tx.repo(User).insert({
          email,
          displayName: input.displayName.trim(),
          role: Role.CLIENT,
          timezone: input.timezone ?? null,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw ClientErrors.emailTaken(email);
        throw error;
      }
      const profile = await tx.repo(Profile).insert({
        userId: user.id,
        jobTitle: input.jobTitle?.trim() || null,
        organization: input.organization?.trim() || null,
      });
      await tx.repo(Engagement).insert({
        clientId: user.id,
        coachId,
        isPrimary: true,
        status: EngagementStatus.ACTIVE,
        startsOn: input.startsOn ?? todayIn(user.timezone ?? defaultZone),
        endsOn: null,
      });
      return toClient(user, profile, defaultZone);
    });
  }

  /** A one-time token that lets the client set a password and sign in (their own frontend sends it). */
  invite(principal: Principal, id: string): Promise<CreatedInvitation> {
    return this.tenantDb.transaction(async (tx) => {
      await this.access.editableClient(tx, principal, id);
      const user = (await tx.repo(User).findOne({ id })) as User;
      return this.invitations.invite(
        { email: user.email, displayName: user.displayName, role: Role.CLIENT },
        principal.userId as string,
      );
    });
  }

  get(principal: Principal, id: string): Promise<Client> {
    return this.tenantDb.read(async (tx) => {
      await this.access.visibleClient(tx, principal, id);
      return this.compose(tx, id);
    });
  }

  /** One statement: the page of users with their profiles and the firm's default zone joined. */
  list(principal: Principal, args: ClientsArgs): Promise<ConnectionShape<Client>> {
    return this.tenantDb.read(async (tx) => {
      let query = usersWithProfiles(tx)
        .select((eb) => [
          'u.id',
          'u.email',
          'u.display_name as displayName',
          'u.timezone',
          eb.fn.coalesce('u.timezone', 't.default_timezone').as('effectiveTimezone'),
          'p.job_title as jobTitle',
          'p.organization',
          'u.status',
          'p.archived_at as archivedAt',
          'p.archive_reason as archiveReason',
          eb.fn.coalesce('p.version', sql.lit(0)).as('version'),
          'u.created_at as createdAt',
        ])
        .where('u.role', '=', Role.CLIENT);
      query = this.access.restrictQuery(tx, query, principal, 'u.id');
      if (!args.includeArchived) query = query.where('p.archived_at', 'is', null);
      const scope = this.access.scopeOf(principal);
      // A coach's own caseload is already what `restrict` keeps: the same test twice would probe twice.
      if (args.coachId && !(scope.kind === 'coach' && scope.coachId === args.coachId)) {
        query = query.where(engagedWith(tx, 'u.id', args.coachId));
      }
      return paginate(query, 'u', args, { node: asNode(Client) });
    });
  }

  /** Batched for the rest of the request; null when the caller may not see the client. */
  load(principal: Principal, id: string): Promise<Client | null> {
    return requestLoader<string, Client>(
      'clients-by-id',
      (ids) =>
        this.tenantDb.read(async (tx) => {
          const visible = await this.access.visibleClients(tx, principal, ids);
          return this.composeMany(tx, visible.map((c) => c.id));
        }),
      (client) => client.id,
    ).load(id);
  }

  update(principal: Principal, input: UpdateClientInput, now = new Date()): Promise<Client> {
    return this.tenantDb.transaction(async (tx) => {
      await this.access.editableClient(tx, principal, input.id);
      await this.applyProfile(tx, input.id, input, now);
      return this.compose(tx, input.id);
    });
  }

  /** Any signed-in person edits their own name, zone, job title and organization. */
  updateOwn(userId: string, input: UpdateProfileInput, now = new Date()): Promise<User> {
    return this.tenantDb.transaction(async (tx) => {
      await this.applyProfile(tx, userId, input, now);
      return (await tx.repo(User).findOne({ id: userId })) as User;
    });
  }

  archive(principal: Principal, id: string, reason: string | undefined): Promise<Client> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.access.visibleClient(tx, principal, id);
      if (this.access.scopeOf(principal).kind === 'client') throw ClientErrors.notAllowed();
      if (!client.archived) {
        await this.ensureProfile(tx, id);
        await tx.repo(Profile).update(
          { userId: id },
          { archivedAt: new Date(), archivedByUserId: principal.userId ?? null, archiveReason: reason?.trim() || null },
        );
      }
      return this.compose(tx, id);
    });
  }

  restore(principal: Principal, id: string): Promise<Client> {
    return this.tenantDb.transaction(async (tx) => {
      await this.access.visibleClient(tx, principal, id);
      if (this.access.scopeOf(principal).kind === 'client') throw ClientErrors.notAllowed();
      await tx.repo(Profile).update({ userId: id }, { archivedAt: null, archivedByUserId: null, archiveReason: null });
      return this.compose(tx, id);
    });
  }

  /** A changed zone re-plans the person's schedules (as of `now`) in the same transaction. */
  private async applyProfile(tx: TenantTransaction, userId: string, input: UpdateProfileInput, now: Date): Promise<void> {
    if (input.timezone && !isValidTimeZone(input.timezone)) throw ClientErrors.invalidTimeZone(input.timezone);
    const profile = await this.ensureProfile(tx, userId);
    if (input.expectedVersion !== undefined && input.expectedVersion !== profile.version) {
      throw ClientErrors.staleVersion();
    }
    const userPatch: Partial<Pick<User, 'displayName' | 'timezone'>> = {};
    if (input.displayName !== undefined && input.displayName !== null) userPatch.displayName = input.displayName.trim();
    if (input.timezone !== undefined) userPatch.timezone = input.timezone || null;
    const zoneBefore = (await tx.repo(User).findOne({ id: userId }))?.timezone ?? null;
    if (Object.keys(userPatch).length > 0) await tx.repo(User).update({ id: userId }, userPatch);
    const patch: Partial<Pick<Profile, 'jobTitle' | 'organization'>> = {};
    if (input.jobTitle !== undefined) patch.jobTitle = input.jobTitle?.trim() || null;
    if (input.organization !== undefined) patch.organization = input.organization?.trim() || null;
    // The version moves on every accepted edit, and the WHERE makes a concurrent one lose.
    const changed = await tx.repo(Profile).update(
      { userId, version: profile.version },
      { ...patch, version: profile.version + 1 },
    );
    if (changed === 0) throw ClientErrors.staleVersion();
    if (userPatch.timezone !== undefined && userPatch.timezone !== zoneBefore) {
      await this.zoneChanges.changed(tx, { userIds: [userId] }, now);
    }
  }

  private async ensureProfile(tx: TenantTransaction, userId: string): Promise<Profile> {
    const existing = await tx.repo(Profile).findOne({ userId });
    if (existing) return existing;
    // Users who arrived by invitation get their profile row on first edit.
    await tx.db
      .insertInto('profiles')
      .values({ user_id: userId, version: 0 })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doNothing())
      .execute();
    return (await tx.repo(Profile).findOne({ userId })) as Profile;
  }

  private async compose(tx: TenantTransaction, id: string): Promise<Client> {
    const [client] = await this.composeMany(tx, [id]);
    if (!client) throw ClientErrors.clientNotFound();
    return client;
  }

  private async composeMany(tx: TenantTransaction, ids: readonly string[]): Promise<Client[]> {
    if (ids.length === 0) return [];
    const users = await tx.repo(User).findBy({ id: In([...ids]), role: Role.CLIENT });
    const profiles = await tx.repo(Profile).findBy({ userId: In([...ids]) });
    const byUser = new Map(profiles.map((p) => [p.userId, p]));
    const zone = await firmTimezone(tx);
    return users.map((u) => toClient(u, byUser.get(u.id), zone));
  }
}

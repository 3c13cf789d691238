import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from '#cairn/identity';
import { type Principal, Role } from '#cairn/shared/auth';
import { todayIn } from '#cairn/shared/calendar';
import { TenantDatabase, violatedUniqueConstraint } from '#cairn/shared/database';
import { requestGroupLoader } from '#cairn/shared/graphql';
import { CaseloadAccess } from '../access/caseload-access.service.js';
import { ClientErrors } from '../clients.errors.js';
import { StartEngagementInput, UpdateEngagementInput } from './dto/start-engagement.input.js';
import { Engagement, EngagementStatus } from './engagement.entity.js';

@Injectable()
export class EngagementService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly access: CaseloadAccess,
  ) {}

  /** Admins (and API keys) staff any client; a client's primary coach may bring in a co-coach. */
  start(principal: Principal, input: StartEngagementInput): Promise<Engagement> {
    return this.tenantDb.transaction(async (tx) => {
      const client = await this.access.editableClient(tx, principal, input.clientId);
      const scope = this.access.scopeOf(principal);
      if (scope.kind === 'client') throw ClientErrors.notAllowed();
      if (scope.kind === 'coach') {
        const primary = await tx.repo(Engagement).findOne({
          clientId: client.id,
          coachId: scope.coachId,
          isPrimary: true,
          status: In([EngagementStatus.ACTIVE, EngagementStatus.PAUSED]),
        });
        if (!primary) throw ClientErrors.notAllowed();
      }
      const coach = await tx.repo(User).findOne({ id: input.coachId, role: In([Role.COACH, Role.ADMIN]) });
      if (!coach) throw ClientErrors.coachNotFound();
      try {
        return await tx.repo(Engagement).insert({
          clientId: client.id,
          coachId: coach.id,
          isPrimary: input.isPrimary,
          status: EngagementStatus.ACTIVE,
          startsOn: input.startsOn ?? todayIn(client.timezone),
          endsOn: null,
        });
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint === 'engagements_open_pair') throw ClientErrors.alreadyEngaged();
        if (constraint === 'engagements_open_primary') throw ClientErrors.primaryTaken();
        throw error;
      }
    });
  }

  /** Pause, resume, end, or change who is primary. Admins for any engagement; a coach for their own. */
  update(principal: Principal, input: UpdateEngagementInput): Promise<Engagement> {
    return this.tenantDb.transaction(async (tx) => {
      const engagement = await tx.repo(Engagement).findOne({ id: input.id });
      if (!engagement) throw ClientErrors.engagementNotFound();
      const client = await this.access.visibleClient(tx, principal, engagement.clientId).catch(() => {
        throw ClientErrors.engagementNotFound();
      });
      const scope = this.access.scopeOf(principal);
      if (scope.kind === 'client' || (scope.kind === 'coach' && engagement.coachId !== scope.coachId)) {
        throw ClientErrors.notAllowed();
      }
      if (engagement.status === EngagementStatus.ENDED) {
        throw ClientErrors.engagementEnded();
      }
      if (input.status !== undefined) engagement.status = input.status;
      if (input.isPrimary !== undefined) engagement.isPrimary = input.isPrimary;
      if (engagement.status === EngagementStatus.ENDED) {
        engagement.endsOn = input.endsOn ?? todayIn(client.timezone);
        if (engagement.endsOn < engagement.startsOn) throw ClientErrors.endBeforeStart();
      }
      try {
        await tx.repo(Engagement).update(
          { id: engagement.id },
          { status: engagement.status, isPrimary: engagement.isPrimary, endsOn: engagement.endsOn },
        );
      } catch (error) {
        if (violatedUniqueConstraint(error) === 'engagements_open_primary') throw ClientErrors.primaryTaken();
        throw error;
      }
      return engagement;
    });
  }

  /** Engagements of a client, newest first; batched across a page of clients. */
  forClient(clientId: string, includeEnded: boolean): Promise<Engagement[]> {
    return requestGroupLoader(
      `engagements-by-client:${includeEnded}`,
      (clientIds: readonly string[]) =>
        this.tenantDb.read((tx) =>
          tx.repo(Engagement).find({
            where: {
              clientId: In([...clientIds]),
              ...(includeEnded ? {} : { status: In([EngagementStatus.ACTIVE, EngagementStatus.PAUSED]) }),
            },
            order: { createdAt: 'DESC' },
          }),
        ),
      (engagement) => engagement.clientId,
    ).load(clientId);
  }
}

import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { CaseloadAccess } from '#cairn/clients';
import { type Principal } from '#cairn/shared/auth';
import { TenantDatabase } from '#cairn/shared/database';
import { ConnectionShape, paginate, requestLoader } from '#cairn/shared/graphql';
import { CheckInsArgs } from '../assignments/dto/assign-check-in.input.js';
import { CheckInErrors } from '../check-ins.errors.js';
import { CheckInTemplateVersion } from '../templates/checkin-template-version.entity.js';
import { CheckIn, CheckInStatus } from './check-in.entity.js';

/** Reading check-ins: a client sees their own, a coach their caseload's, an admin the firm's. */
@Injectable()
export class CheckInService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
  ) {}

  list(principal: Principal, args: CheckInsArgs, now = new Date()): Promise<ConnectionShape<CheckIn>> {
    return this.tenantDb.transaction(async (tx) => {
      if (args.clientId) await this.caseload.visibleClient(tx, principal, args.clientId);
      const qb = tx.repo(CheckIn).queryBuilder('c');
      this.caseload.restrict(tx, qb, principal, 'c.client_id');
      if (args.clientId) qb.andWhere('c.client_id = :clientId', { clientId: args.clientId });
      if (args.status) qb.andWhere('c.status = :status', { status: args.status });
      if (args.openNow) {
        qb.andWhere('c.status = :pending AND c.opens_at <= :now', { pending: CheckInStatus.PENDING, now });
      }
      return paginate(qb, 'c', args);
    });
  }

  get(principal: Principal, id: string): Promise<CheckIn> {
    return this.tenantDb.transaction(async (tx) => {
      const checkIn = await tx.repo(CheckIn).findOne({ id });
      if (!checkIn) throw CheckInErrors.checkInNotFound();
      const [client] = await this.caseload.visibleClients(tx, principal, [checkIn.clientId]);
      if (!client) throw CheckInErrors.checkInNotFound();
      return checkIn;
    });
  }

  /** The template version a check-in was sent with; batched across a page. */
  templateVersion(id: string): Promise<CheckInTemplateVersion | null> {
    return requestLoader<string, CheckInTemplateVersion>(
      'checkin-template-versions-by-id',
      (ids) => this.tenantDb.read((tx) => tx.repo(CheckInTemplateVersion).findBy({ id: In([...ids]) })),
      (version) => version.id,
    ).load(id);
  }
}

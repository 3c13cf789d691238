import { Injectable } from '@nestjs/common';
import { DevelopmentItem, DevelopmentItemStatus, DevelopmentSource } from '#cairn/development';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { AppError } from '#cairn/shared/graphql';
import { SupporterErrors } from '../supporters.errors.js';
import { SupporterRelationship, SupporterRequestStatus } from '../supporters/supporter.enums.js';
import { SupporterService } from '../supporters/supporter.service.js';
import { SupporterRequestView } from '../view/supporter-view.types.js';
import { AnswerSupporterRequestInput, AskSupporterInput } from './dto/supporter-request.inputs.js';

export const MAX_OPEN_REQUESTS = 5;
/** A neutral score the client re-rates; the supporter cannot know the client's motivation. */
const UNRATED = 3;

/** The development list's sources name the kind of person; a supporter's relationship maps onto them. */
export const SOURCE_OF: Record<SupporterRelationship, DevelopmentSource> = {
  [SupporterRelationship.BOSS]: DevelopmentSource.BOSS,
  [SupporterRelationship.MENTOR]: DevelopmentSource.MENTOR,
  [SupporterRelationship.COLLEAGUE]: DevelopmentSource.PEER,
  [SupporterRelationship.FRIEND]: DevelopmentSource.FRIEND,
  [SupporterRelationship.FAMILY]: DevelopmentSource.FRIEND,
  [SupporterRelationship.OTHER]: DevelopmentSource.FRIEND,
};

export const selectRequests = (tx: TenantTransaction) =>
  tx.db
    .selectFrom('supporter_requests as r')
    .select((eb) => [
      'r.id',
      'r.question',
      eb.cast<SupporterRequestStatus>('r.status', 'text').as('status'),
      'r.created_at as createdAt',
      'r.answered_at as answeredAt',
      'r.development_item_id as developmentItemId',
    ])
    .orderBy('r.status', 'desc')
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id');

/** Fact-finding (step 3): the client asks a supporter; the answer lands in the client's development list. */
@Injectable()
export class SupporterRequestService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly supporters: SupporterService,
  ) {}

  ask(principal: Principal, input: AskSupporterInput): Promise<SupporterRequestView> {
    const question = input.question.trim();
    if (!question) throw AppError.badInput('question must not be blank', [{ field: 'question', messages: ['question must not be blank'] }]);
    return this.tenantDb.transaction(async (tx) => {
      const supporter = await this.supporters.ownActive(tx, principal, input.supporterId);
      await tx.db.selectFrom('supporters').select('id').where('id', '=', supporter.id).forUpdate().execute();
      const open = await tx.db
        .selectFrom('supporter_requests')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('supporter_id', '=', supporter.id)
        .where('status', '=', SupporterRequestStatus.OPEN)
        .executeTakeFirstOrThrow();
      if (Number(open.n) >= MAX_OPEN_REQUESTS) throw SupporterErrors.tooManyOpenRequests(MAX_OPEN_REQUESTS);
      const { id } = await tx.db
        .insertInto('supporter_requests')
        .values({ supporter_id: supporter.id, client_id: supporter.clientId, question })
        .returning('id')
        .executeTakeFirstOrThrow();
      return selectRequests(tx).where('r.id', '=', id).executeTakeFirstOrThrow();
    });
  }

  list(principal: Principal, supporterId: string): Promise<SupporterRequestView[]> {
    return this.tenantDb.read(async (tx) => {
      await this.supporters.visible(tx, principal, supporterId);
      return selectRequests(tx).where('r.supporter_id', '=', supporterId).execute();
    });
  }

  /** Once: the request row is locked, so of two answers at once one wins and the other is CONFLICT. */
  answer(principal: Principal, input: AnswerSupporterRequestInput): Promise<SupporterRequestView> {
    const title = input.title.trim();
    if (!title) throw AppError.badInput('title must not be blank', [{ field: 'title', messages: ['title must not be blank'] }]);
    return this.tenantDb.transaction(async (tx) => {
      const request = await tx.db
        .selectFrom('supporter_requests as r')
        .innerJoin('supporters as s', 's.id', 'r.supporter_id')
        .select(['r.id', 'r.status', 'r.client_id', 'r.question', 's.relationship', 's.display_name'])
        .where('r.id', '=', input.requestId)
        .where('r.supporter_id', '=', principal.supporterId as string)
        .forUpdate('r')
        .executeTakeFirst();
      if (!request) throw SupporterErrors.requestNotFound();
      if (request.status !== SupporterRequestStatus.OPEN) throw SupporterErrors.requestAnswered();
      const notes = [input.notes?.trim(), `From ${request.display_name}, asked: “${request.question}”`].filter(Boolean).join('\n\n');
      const item = await tx.repo(DevelopmentItem).insert({
        clientId: request.client_id,
        category: input.category,
        source: SOURCE_OF[request.relationship as SupporterRelationship],
        title,
        notes: notes.slice(0, 2000),
        valueScore: UNRATED,
        motivationScore: UNRATED,
        status: DevelopmentItemStatus.OPEN,
        goalId: null,
        convertedAt: null,
        dismissedAt: null,
        dismissReason: null,
        createdByUserId: null,
        createdByApiKeyId: null,
        version: 1,
      });
      const now = new Date();
      await tx.db
        .updateTable('supporter_requests')
        .set({ status: SupporterRequestStatus.ANSWERED, answered_at: now, updated_at: now, development_item_id: item.id })
        .where('id', '=', request.id)
        .execute();
      return selectRequests(tx).where('r.id', '=', request.id).executeTakeFirstOrThrow();
    });
  }
}

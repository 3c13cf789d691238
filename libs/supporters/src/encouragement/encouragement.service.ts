import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { EventOutbox } from '#cairn/shared/events';
import { AppError } from '#cairn/shared/graphql';
import { SupporterErrors } from '../supporters.errors.js';
import { SendEncouragementInput } from './dto/send-encouragement.input.js';
import { Encouragement } from './encouragement.types.js';

/** A day's worth per supporter: enough to cheer, not enough to flood a client's feed. */
export const ENCOURAGEMENTS_PER_DAY = 10;
const DAY_MS = 86_400_000;

@Injectable()
export class EncouragementService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Stored and announced in one transaction: the client's feed entry and the webhook deliveries commit with it
   * (`supporter.encouraged`; the text rides in the event's details, the payload carries ids only).
   */
  send(principal: Principal, input: SendEncouragementInput): Promise<Encouragement> {
    const message = input.message.trim();
    if (!message) throw AppError.badInput('message must not be blank', [{ field: 'message', messages: ['message must not be blank'] }]);
    const supporterId = principal.supporterId as string;
    const clientId = principal.clientId as string;
    return this.tenantDb.transaction(async (tx) => {
      // Serialises one supporter's sends, so the daily count holds under concurrent requests.
      const me = await tx.db
        .selectFrom('supporters')
        .select('display_name')
        .where('id', '=', supporterId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (input.goalId) {
        const shared = await tx.db
          .selectFrom('goal_supporter_shares')
          .select('goal_id')
          .where('supporter_id', '=', supporterId)
          .where('goal_id', '=', input.goalId)
          .executeTakeFirst();
        if (!shared) throw SupporterErrors.goalNotFound();
      }
      const window = await this.window(tx, supporterId);
      if (window.count >= ENCOURAGEMENTS_PER_DAY) {
        const retryAfterSeconds = Math.max(1, Math.ceil((window.oldest!.getTime() + DAY_MS - Date.now()) / 1000));
        throw SupporterErrors.tooManyEncouragements(ENCOURAGEMENTS_PER_DAY, retryAfterSeconds);
      }
      const row = await tx.db
        .insertInto('supporter_encouragements')
        .values({ supporter_id: supporterId, client_id: clientId, goal_id: input.goalId ?? null, body: message })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      await this.outbox.emit(
        tx,
        'supporter.encouraged',
        { encouragementId: row.id, supporterId, clientId, goalId: input.goalId ?? null },
        row.created_at,
        { details: { body: message, supporterName: me.display_name } },
      );
      return { id: row.id, message, goalId: input.goalId ?? null, createdAt: row.created_at };
    });
  }

  async leftToday(tx: TenantTransaction, supporterId: string): Promise<number> {
    return Math.max(0, ENCOURAGEMENTS_PER_DAY - (await this.window(tx, supporterId)).count);
  }

  /** The last 24 hours' sends (a rolling day: the supporter's zone does not matter). */
  private async window(tx: TenantTransaction, supporterId: string) {
    const row = await tx.db
      .selectFrom('supporter_encouragements')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('supporter_id', '=', supporterId)
      .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest as Date | null };
  }
}

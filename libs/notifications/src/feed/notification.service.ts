import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { In, IsNull } from 'typeorm';
import type { Principal } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { asNode, ConnectionShape, paginate } from '#cairn/shared/graphql';
import { NOTIFICATION_KINDS, NotificationKind } from '../notification-kind.enum.js';
import { NotificationErrors } from '../notifications.errors.js';
import { NotificationPublisher } from '../live/notification-publisher.js';
import { NotificationsArgs } from './dto/notifications.args.js';
import { Notification } from './notification.entity.js';

export interface NoticeInput {
  recipientUserId: string;
  kind: NotificationKind;
  /** Short, human readable, e.g. "Weekly check-in is due"; 1 to 200 characters. */
  title: string;
  /** Up to 2000 characters. */
  body?: string | null;
  /** The client it is about. */
  clientId?: string | null;
  /** The check-in it is about. */
  checkInId?: string | null;
  /** Unique per tenant and recipient: recording the same notice twice (retries, re-runs) is a no-op. */
  dedupeKey: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown) => typeof value === 'string' && UUID.test(value);
// Code points, as PostgreSQL's length() counts them.
const lengthOf = (value: string) => [...value].length;

/** A notice a caller built wrongly is a bug in that caller: it fails loudly rather than being stored half right. */
function problemOf(notice: NoticeInput): string | undefined {
  if (!isUuid(notice.recipientUserId)) return 'recipientUserId must be a UUID';
  if (!NOTIFICATION_KINDS.includes(notice.kind))
    return `kind ${String(notice.kind)} is not a NotificationKind`;
  if (typeof notice.title !== 'string' || lengthOf(notice.title) < 1 || lengthOf(notice.title) > 200) {
    return 'title must be 1 to 200 characters';
  }
  if (notice.body != null && (typeof notice.body !== 'string' || lengthOf(notice.body) > 2000)) {
    return 'body must be at most 2000 characters';
  }
  if (notice.clientId != null && !isUuid(notice.clientId)) return 'clientId must be a UUID';
  if (notice.checkInId != null && !isUuid(notice.checkInId)) return 'checkInId must be a UUID';
  if (
    typeof notice.dedupeKey !== 'string' ||
    lengthOf(notice.dedupeKey) < 1 ||
    lengthOf(notice.dedupeKey) > 200
  ) {
    return 'dedupeKey must be 1 to 200 characters';
  }
  return undefined;
}

/** Only a person has a feed; a pure API key has none. */
function recipientOf(principal: Principal): string {
  if (!principal.userId) throw NotificationErrors.noPerson();
  return principal.userId;
}

@Injectable()
export class NotificationService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly publisher: NotificationPublisher,
  ) {}

  /**
   * Call inside the transaction that makes the change: the rows commit or roll back with it and are published
   * live only after the outermost commit. Returns the ids actually inserted (duplicates skipped).
   */
  async notify(tx: TenantTransaction, notices: NoticeInput[]): Promise<string[]> {
    if (notices.length === 0) return [];
    notices.forEach((notice, i) => {
      const problem = problemOf(notice);
      if (problem) throw new Error(`NotificationService.notify: notice ${i}: ${problem}`);
    });
    // One statement for the batch, its rows as one JSON parameter (cheaper to send than an array per column);
    // a dedupe key already used (now, or earlier in the same batch) is skipped.
    const batch = JSON.stringify(
      notices.map((n) => ({
        recipient_user_id: n.recipientUserId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        client_id: n.clientId ?? null,
        check_in_id: n.checkInId ?? null,
        dedupe_key: n.dedupeKey ?? null,
      })),
    );
    const rows = await tx.db
      .insertInto('notifications')
      .columns(['recipient_user_id', 'kind', 'title', 'body', 'client_id', 'check_in_id', 'dedupe_key'])
      .expression((eb) =>
        eb
          .selectFrom(
            sql`jsonb_to_recordset(${batch}::jsonb)`.as<'n'>(
              sql`n (recipient_user_id uuid, kind text, title text, body text, client_id uuid, check_in_id uuid, dedupe_key text)`,
            ),
          )
          .selectAll(),
      )
      .onConflict((oc) => oc.constraint('notifications_dedupe').doNothing())
      .returning(['id', 'recipient_user_id'])
      .execute();
    this.publisher.publishAfterCommit(
      tx,
      rows.map((row) => ({
        tenantId: tx.tenantId,
        notificationId: row.id,
        recipientUserId: row.recipient_user_id,
      })),
    );
    return rows.map((row) => row.id);
  }

  list(principal: Principal, args: NotificationsArgs): Promise<ConnectionShape<Notification>> {
    const userId = recipientOf(principal);
    return this.tenantDb.transaction((tx) => {
      let query = tx.db
        .selectFrom('notifications as n')
        .select([
          'n.id',
          'n.recipient_user_id as recipientUserId',
          'n.kind',
          'n.title',
          'n.body',
          'n.client_id as clientId',
          'n.check_in_id as checkInId',
          'n.read_at as readAt',
          'n.created_at as createdAt',
        ])
        .where('n.recipient_user_id', '=', userId);
      if (args.unreadOnly) query = query.where('n.read_at', 'is', null);
      return paginate(query, 'n', args, { newestFirst: true, node: asNode(Notification) });
    });
  }

  unreadCount(principal: Principal): Promise<number> {
    const userId = recipientOf(principal);
    return this.tenantDb.transaction((tx) =>
      tx.repo(Notification).count({ recipientUserId: userId, readAt: IsNull() }),
    );
  }

  /** All or nothing: one id that is not the caller's (or does not exist) changes nothing. Returned in `ids` order. */
  markRead(principal: Principal, ids: string[]): Promise<Notification[]> {
    const userId = recipientOf(principal);
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    return this.tenantDb.transaction(async (tx) => {
      const repo = tx.repo(Notification);
      const mine = { id: In(wanted), recipientUserId: userId };
      if ((await repo.count(mine)) !== wanted.length) throw NotificationErrors.notFound();
      // Already read ones keep the time they were first read.
      await repo.update({ ...mine, readAt: IsNull() }, { readAt: () => 'now()' });
      const byId = new Map((await repo.findBy(mine)).map((n) => [n.id, n]));
      return wanted.map((id) => byId.get(id) as Notification);
    });
  }

  /** Returns how many changed. */
  markAllRead(principal: Principal): Promise<number> {
    const userId = recipientOf(principal);
    return this.tenantDb.transaction((tx) =>
      tx.repo(Notification).update({ recipientUserId: userId, readAt: IsNull() }, { readAt: () => 'now()' }),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { IsNull } from 'typeorm';
import {
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  type Principal,
  secretMatches,
} from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { SystemDatabase, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { CalendarFeedErrors } from '../calendar-feeds.errors.js';
import { CalendarFeed } from './calendar-feed.entity.js';
import { CalendarFeedWithUrl } from './calendar-feed-with-url.type.js';

export const CALENDAR_FEED_TOKEN_PREFIX = 'cal';
// Calendar apps poll every few minutes to hours; recording each fetch would turn every poll into a write.
const LAST_ACCESS_PRECISION_MS = 60_000;

/** A token that matched a live feed, before its tenant's own checks (the person still active, not rotated since). */
export interface ResolvedFeed {
  id: string;
  tenantId: string;
  userId: string;
  secretHash: string;
}

interface FeedRow {
  id: string;
  tenant_id: string;
  user_id: string;
  created_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  last_accessed_at: Date | null;
}

const FEED_COLUMNS = ['id', 'tenant_id', 'user_id', 'created_at', 'rotated_at', 'revoked_at', 'last_accessed_at'] as const;

function feedOf(row: FeedRow): CalendarFeed {
  return Object.assign(new CalendarFeed(), {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
    lastAccessedAt: row.last_accessed_at,
  });
}

/** Only a person has a calendar; a pure API key has none (a token minted to act as a client is that client). */
function ownerOf(principal: Principal): string {
  if (principal.kind !== 'user' || !principal.userId) throw CalendarFeedErrors.noPerson();
  return principal.userId;
}

/**
 * Each person's secret feed address: `cal_<feed id>_<secret>`, like API keys. Rotating replaces the secret in
 * place (the old address dies at once; a leaked link is what rotation is for), revoking ends the feed.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly config: AppConfig,
  ) {}

  /** The caller's live feed, or null. */
  mine(principal: Principal): Promise<CalendarFeed | null> {
    const userId = ownerOf(principal);
    return this.tenantDb.transaction((tx) => tx.repo(CalendarFeed).findOne({ userId, revokedAt: IsNull() }));
  }

  /**
   * Creates the caller's feed, or gives the live one a new secret, in one statement (so two concurrent calls
   * cannot make two feeds). The access time is reset: it describes the current address.
   */
  rotate(principal: Principal): Promise<CalendarFeedWithUrl> {
    const userId = ownerOf(principal);
    return this.tenantDb.transaction(async (tx) => {
      const secret = newSecret();
      const row = await tx.db
        .insertInto('calendar_feeds')
        .values({ user_id: userId, secret_hash: hashSecret(secret) })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'user_id'])
            .where('revoked_at', 'is', null)
            .doUpdateSet((eb) => ({
              secret_hash: eb.ref('excluded.secret_hash'),
              rotated_at: sql<Date>`clock_timestamp()`,
              last_accessed_at: null,
            })),
        )
        .returning(FEED_COLUMNS)
        .executeTakeFirstOrThrow();
      const feed = feedOf(row);
      return { feed, url: this.urlOf(formatOpaqueToken(CALENDAR_FEED_TOKEN_PREFIX, feed.id, secret)) };
    });
  }

  /** Ends the caller's live feed and returns it; null when there is none (so calling twice is harmless). */
  revoke(principal: Principal): Promise<CalendarFeed | null> {
    const userId = ownerOf(principal);
    return this.tenantDb.transaction(async (tx) => {
      const row = await tx.db
        .updateTable('calendar_feeds')
        .set({ revoked_at: sql<Date>`clock_timestamp()` })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning(FEED_COLUMNS)
        .executeTakeFirst();
      return row ? feedOf(row) : null;
    });
  }

  urlOf(token: string): string {
    return `${this.config.publicBaseUrl}/calendar/${token}.ics`;
  }

  /**
   * Resolves a raw token to its feed and tenant; runs before any tenant is known, hence SystemDatabase. Null for
   * anything that is not a live feed's current token, whatever the reason.
   */
  async resolve(rawToken: string): Promise<ResolvedFeed | null> {
    const parsed = parseOpaqueToken(CALENDAR_FEED_TOKEN_PREFIX, rawToken);
    if (!parsed) return null;
    return this.systemDb.transaction(async (_m, db) => {
      const feed = await db
        .selectFrom('calendar_feeds')
        .select(['id', 'tenant_id as tenantId', 'user_id as userId', 'secret_hash as secretHash', 'revoked_at as revokedAt'])
        .where('id', '=', parsed.id)
        .executeTakeFirst();
      const matches = secretMatches(parsed.secret, feed?.secretHash);
      if (!feed || !matches || feed.revokedAt) return null;
      return { id: feed.id, tenantId: feed.tenantId, userId: feed.userId, secretHash: feed.secretHash };
    });
  }

  /** Records a fetch, at most once a minute per feed (one conditional statement: no read, no race). */
  async touch(tx: TenantTransaction, feedId: string, now = new Date()): Promise<void> {
    await tx.db
      .updateTable('calendar_feeds')
      .set({ last_accessed_at: now })
      .where('id', '=', feedId)
      .where((eb) =>
        eb.or([
          eb('last_accessed_at', 'is', null),
          eb('last_accessed_at', '<', new Date(now.getTime() - LAST_ACCESS_PRECISION_MS)),
        ]),
      )
      .execute();
  }
}

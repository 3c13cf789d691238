import { Injectable, Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { SecretBox } from '#cairn/shared/auth';
import { SystemDatabase } from '#cairn/shared/database';
import { JobHandler } from '#cairn/shared/queue';

/**
 * Every column that holds SecretBox-sealed values, with its table's key. A new sealed column is
 * added here, or a DATA_ENCRYPTION_KEYS rotation could never retire the key its values are sealed under.
 */
export const SEALED_COLUMNS: ReadonlyArray<{ table: string; key: readonly string[]; columns: readonly string[] }> = [
  { table: 'webhook_endpoints', key: ['tenant_id', 'id'], columns: ['secret', 'previous_secret'] },
  { table: 'sso_configurations', key: ['tenant_id'], columns: ['client_secret'] },
  // TOTP secrets: without them people with MFA on could sign in only with a recovery code.
  { table: 'user_mfa', key: ['tenant_id', 'user_id'], columns: ['secret_sealed'] },
  // PKCE verifiers of sign-ins under way (ten minutes; the purge deletes them after a day).
  { table: 'sso_sign_ins', key: ['tenant_id', 'id'], columns: ['code_verifier'] },
];

const BATCH = 100;

type Row = Record<string, string | null>;

export interface ResealCounts {
  /** Values now sealed under the write key. */
  resealed: number;
  /** Values no configured key opens (a key removed too early): left as they are, and logged. */
  unreadable: number;
}

/**
 * Moves every sealed value to the current write key (the first of DATA_ENCRYPTION_KEYS), so an old key can be
 * removed. Walks each table in (tenant_id, id) order, a batch per transaction; a value is replaced only if it is
 * still the one read (a concurrent rotation wins), so it is idempotent and a run killed halfway is finished by
 * the next one. Cross-tenant by nature (one key for every firm): runs as the owner, hourly and by
 * `npm run keys:reseal`, never from a tenant's request.
 */
@Injectable()
export class SecretResealer {
  private readonly logger = new Logger(SecretResealer.name);

  constructor(
    private readonly systemDb: SystemDatabase,
    private readonly box: SecretBox,
  ) {}

  async resealAll(): Promise<ResealCounts> {
    const counts: ResealCounts = { resealed: 0, unreadable: 0 };
    for (const { table, key, columns } of SEALED_COLUMNS) {
      let after: Row | undefined;
      for (;;) {
        const rows = await this.stale(table, key, columns, after);
        if (rows.length === 0) break;
        after = rows.at(-1);
        await this.systemDb.transaction(async (_m, db) => {
          for (const row of rows)
            for (const column of columns) {
              const stored = row[column];
              if (stored === null || !this.box.needsReseal(stored)) continue;
              let resealed: string;
              try {
                resealed = this.box.reseal(stored);
              } catch {
                counts.unreadable++;
                this.logger.warn(`${table}.${column} of ${key.map((k) => row[k]).join('/')} opens with no configured key; left as it is`);
                continue;
              }
              const sameRow = sql.join(key.map((k) => sql`${sql.ref(k)} = ${row[k]}`), sql` AND `);
              const { numAffectedRows } = await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${resealed}
                WHERE ${sameRow} AND ${sql.ref(column)} = ${stored}`.execute(db);
              counts.resealed += Number(numAffectedRows ?? 0);
            }
        });
      }
    }
    return counts;
  }

  /** The next batch of rows with a value not sealed under the write key, after `after` in key order. */
  private async stale(table: string, key: readonly string[], columns: readonly string[], after?: Row) {
    const prefix = `v2.${this.box.writeKid}.`;
    // left() rather than LIKE: a kid may contain `_`, a LIKE wildcard.
    const anyStale = sql.join(
      columns.map((c) => sql`(${sql.ref(c)} IS NOT NULL AND left(${sql.ref(c)}, ${prefix.length}) <> ${prefix})`),
      sql` OR `,
    );
    const keyList = sql.join(key.map((k) => sql.ref(k)));
    // Keys are uuids; the row comparison walks the primary key's order.
    const from = after ? sql`AND (${keyList}) > (${sql.join(key.map((k) => sql`${after[k]}::uuid`))})` : sql``;
    const { rows } = await this.systemDb.transaction((_m, db) =>
      sql<Row>`SELECT ${keyList}, ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)}
        WHERE (${anyStale}) ${from} ORDER BY ${keyList} LIMIT ${BATCH}`.execute(db),
    );
    return rows;
  }
}

@Injectable()
export class ResealSecretsJob {
  constructor(private readonly resealer: SecretResealer) {}

  @JobHandler('keys.reseal-secrets')
  run(): Promise<ResealCounts> {
    return this.resealer.resealAll();
  }
}

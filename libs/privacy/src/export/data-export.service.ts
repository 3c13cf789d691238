import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import {
  formatOpaqueToken,
  hashSecret,
  newSecret,
  parseOpaqueToken,
  type Principal,
  Role,
  SecretBox,
  secretMatches,
} from '#cairn/shared/auth';
import { AuditAction, AuditSubjectType, AuditTrail, auditActorOf } from '#cairn/shared/audit';
import { AppConfig } from '#cairn/shared/config';
import { AfterCommit, SystemDatabase, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { QueueName } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import { PrivacyErrors } from '../privacy.errors.js';
import { addOrRetry, type ExportJobData, exportJob } from '../privacy-jobs.js';
import { DataExport, DataExportStatus, RequestedDataExport } from './data-export.model.js';
import { buildExportDocument } from './export-document.js';

export const DATA_EXPORT_TOKEN_PREFIX = 'exp';
/** How long an export (and its link) lives from the request: long enough to fetch, short enough to not linger. */
export const DATA_EXPORT_TTL_MS = 24 * 60 * 60 * 1000;
const ENQUEUE = Symbol('privacy:export-client');

const COLUMNS = [
  'id',
  'client_id as clientId',
  'requested_by_user_id as requestedByUserId',
  'status',
  'progress',
  'failure',
  'expires_at as expiresAt',
  'ready_at as readyAt',
  'downloaded_at as downloadedAt',
  'created_at as createdAt',
] as const;

/** What the download route gets: the document, or why there is none. */
export type Download =
  | { kind: 'document'; clientId: string; json: string }
  | { kind: 'not-found' }
  | { kind: 'not-ready' }
  | { kind: 'gone' };

const asExport = (row: Omit<DataExport, 'status'> & { status: string }): DataExport =>
  Object.assign(new DataExport(), row, { status: row.status as DataExportStatus });

/**
 * A client's data export: requested by an admin or the client, built and sealed by the worker, downloaded once
 * through `GET /exports/<token>` before it expires; the sealed document is deleted on download or expiry.
 */
@Injectable()
export class DataExportService {
  private readonly logger = new Logger('Privacy');

  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly afterCommit: AfterCommit,
    private readonly secretBox: SecretBox,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.PRIVACY) private readonly queue: Queue,
  ) {}

  async request(principal: Principal, clientId: string): Promise<RequestedDataExport> {
    // The resolver admits people only (ADMIN, CLIENT): there is always a person to record as the requester.
    const requestedBy = principal.userId;
    if (!requestedBy) throw PrivacyErrors.notYourself();
    if (principal.role === Role.CLIENT && requestedBy !== clientId) throw PrivacyErrors.notYourself();
    const tenantId = RequestContext.requireTenantId();
    return this.tenantDb.transaction(async (tx) => {
      const client = await tx.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', clientId)
        .where('role', '=', 'CLIENT')
        .executeTakeFirst();
      if (!client) throw PrivacyErrors.clientNotFound();
      const secret = newSecret();
      const row = await tx.db
        .insertInto('data_exports')
        .values({
          client_id: clientId,
          requested_by_user_id: requestedBy,
          secret_hash: hashSecret(secret),
          expires_at: sql<Date>`clock_timestamp() + ${`${DATA_EXPORT_TTL_MS} milliseconds`}::interval`,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      await AuditTrail.record(tx, {
        action: AuditAction.DATA_EXPORT_REQUESTED,
        actor: auditActorOf(principal),
        subject: { type: AuditSubjectType.USER, id: clientId },
        details: { exportId: row.id },
      });
      this.afterCommit.collect(tx, ENQUEUE, [exportJob({ tenantId, exportId: row.id })], (jobs) =>
        addOrRetry(this.queue, jobs).catch((error: Error) =>
          this.logger.warn(`Export not queued (the privacy sweep queues it): ${error.message}`),
        ),
      );
      const token = formatOpaqueToken(DATA_EXPORT_TOKEN_PREFIX, row.id, secret);
      return { dataExport: asExport(row), downloadUrl: `${this.config.publicBaseUrl}/exports/${token}` };
    });
  }

  /** An admin sees the firm's exports; a client those of their own data. */
  async find(principal: Principal, id: string): Promise<DataExport> {
    const row = await this.tenantDb.read((tx) =>
      tx.db.selectFrom('data_exports').select(COLUMNS).where('id', '=', id).executeTakeFirst(),
    );
    if (!row || (principal.role !== Role.ADMIN && row.clientId !== principal.userId)) throw PrivacyErrors.exportNotFound();
    return asExport(row);
  }

  /** The worker's job: builds, seals and stores the document, recording progress as it goes. */
  async build(data: ExportJobData): Promise<DataExportStatus> {
    return RequestContext.runAs({ tenantId: data.tenantId }, async () => {
      const started = await this.tenantDb.transaction((tx) =>
        tx.db
          .updateTable('data_exports')
          .set({ status: DataExportStatus.RUNNING, progress: 0, updated_at: sql<Date>`clock_timestamp()` })
          .where('id', '=', data.exportId)
          .where('status', 'in', [DataExportStatus.QUEUED, DataExportStatus.RUNNING])
          .where('expires_at', '>', sql<Date>`clock_timestamp()`)
          .returning(['client_id as clientId'])
          .executeTakeFirst(),
      );
      // Already built, downloaded, expired, or erased with its client: nothing to do.
      if (!started) return DataExportStatus.EXPIRED;
      try {
        const subject = await this.tenantDb.read((tx) =>
          tx.db
            .selectFrom('users')
            .select(['id as clientId', 'email'])
            .where('id', '=', started.clientId)
            .executeTakeFirstOrThrow(),
        );
        const document = await buildExportDocument((work) => this.tenantDb.read(work), subject, (progress) =>
          this.update(data.exportId, { progress }),
        );
        const sealed = Buffer.from(this.secretBox.seal(JSON.stringify(document, null, 2)), 'utf8');
        await this.update(data.exportId, { status: DataExportStatus.READY, progress: 100, document: sealed }, true);
        return DataExportStatus.READY;
      } catch (error) {
        // The cause goes to the log; the row says only that it failed (a message could quote the data).
        this.logger.error(error instanceof Error ? error : new Error(String(error)));
        await this.update(data.exportId, { status: DataExportStatus.FAILED, failure: 'The export could not be built; ask for a new one' });
        return DataExportStatus.FAILED;
      }
    });
  }

  /**
   * The download: the token's export, if ready, unexpired and not yet downloaded, marked DOWNLOADED and its
   * document deleted in the same transaction, so two downloads at once get it once.
   */
  async download(rawToken: string): Promise<Download> {
    const parsed = parseOpaqueToken(DATA_EXPORT_TOKEN_PREFIX, rawToken);
    if (!parsed) return { kind: 'not-found' };
    // The tenant is known only from the token: the one lookup before it runs as the owner.
    const found = await this.systemDb.transaction((_m, db) =>
      db.selectFrom('data_exports').select(['tenant_id as tenantId', 'secret_hash as secretHash']).where('id', '=', parsed.id).executeTakeFirst(),
    );
    if (!found || !secretMatches(parsed.secret, found.secretHash)) return { kind: 'not-found' };
    return RequestContext.runAs({ tenantId: found.tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        // FOR UPDATE: a second download at once waits, then finds the row no longer READY.
        const taken = await tx.db
          .selectFrom('data_exports')
          .select(['client_id as clientId', 'document'])
          .where('id', '=', parsed.id)
          .where('status', '=', DataExportStatus.READY)
          .where('expires_at', '>', sql<Date>`clock_timestamp()`)
          .forUpdate()
          .executeTakeFirst();
        if (taken) {
          await tx.db
            .updateTable('data_exports')
            .set({
              status: DataExportStatus.DOWNLOADED,
              document: null,
              downloaded_at: sql<Date>`clock_timestamp()`,
              updated_at: sql<Date>`clock_timestamp()`,
            })
            .where('id', '=', parsed.id)
            .execute();
        }
        if (taken?.document) {
          return { kind: 'document', clientId: taken.clientId, json: this.secretBox.open(taken.document.toString('utf8')) } as const;
        }
        const row = await tx.db.selectFrom('data_exports').select(['status']).where('id', '=', parsed.id).executeTakeFirst();
        const pending = row?.status === DataExportStatus.QUEUED || row?.status === DataExportStatus.RUNNING;
        return pending ? ({ kind: 'not-ready' } as const) : ({ kind: 'gone' } as const);
      }),
    );
  }

  /** The hourly sweep, across firms (maintenance): expired exports lose their document. */
  async expire(): Promise<number> {
    return this.systemDb.transaction(async (_m, db) => {
      const rows = await db
        .updateTable('data_exports')
        .set({ status: DataExportStatus.EXPIRED, document: null, updated_at: sql<Date>`clock_timestamp()` })
        .where('expires_at', '<=', sql<Date>`clock_timestamp()`)
        .where('status', 'in', [DataExportStatus.QUEUED, DataExportStatus.RUNNING, DataExportStatus.READY])
        .returning('id')
        .execute();
      return rows.length;
    });
  }

  private async update(
    id: string,
    set: { status?: DataExportStatus; progress?: number; document?: Buffer; failure?: string },
    ready = false,
  ): Promise<void> {
    await this.tenantDb.transaction((tx: TenantTransaction) =>
      tx.db
        .updateTable('data_exports')
        .set({
          ...set,
          updated_at: sql<Date>`clock_timestamp()`,
          ...(ready ? { ready_at: sql<Date>`clock_timestamp()` } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', DataExportStatus.RUNNING)
        .execute(),
    );
  }
}

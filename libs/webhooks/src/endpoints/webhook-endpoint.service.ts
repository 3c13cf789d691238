import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { IsNull, type QueryDeepPartialEntity } from 'typeorm';
import { AuditAction, auditActorOf, AuditSubjectType, AuditTrail } from '#cairn/shared/audit';
import { type Principal, SecretBox } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { asNode, ConnectionArgs, ConnectionShape, paginate } from '#cairn/shared/graphql';
import { WebhookErrors } from '../webhooks.errors.js';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointWithSecret,
} from './dto/webhook-endpoint.inputs.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { targetProblem } from './webhook-target.js';

const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
/** How long the secret a rotation retires keeps signing next to the new one. */
export const SECRET_OVERLAP_HOURS = 24;
const text = (value: string | null | undefined) => value?.trim() || null;

@Injectable()
export class WebhookEndpointService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  async create(principal: Principal, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const url = await this.checkedUrl(input.url);
    return this.tenantDb.transaction(async (tx) => {
      const secret = newSigningSecret();
      const saved = await tx.repo(WebhookEndpoint).insert({
        url,
        description: text(input.description),
        eventTypes: input.eventTypes,
        secret: this.box.seal(secret),
        enabled: true,
        version: 1,
        createdByUserId: principal.userId ?? null,
      });
      await audit(tx, principal, AuditAction.WEBHOOK_ENDPOINT_CREATED, saved.id, { eventTypes: input.eventTypes });
      return { endpoint: await this.get(tx, saved.id), secret };
    });
  }

  async update(principal: Principal, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    // A null url is ignored like a null eventTypes (the input's contract): only a given one is checked.
    const url = input.url === undefined || input.url === null ? undefined : await this.checkedUrl(input.url);
    return this.tenantDb.transaction(async (tx) => {
      const endpoint = await this.get(tx, input.id);
      const patch: Partial<WebhookEndpoint> = {};
      if (url !== undefined) patch.url = url;
      if (input.eventTypes) patch.eventTypes = input.eventTypes;
      if (input.description !== undefined) patch.description = text(input.description);
      if (input.enabled !== undefined && input.enabled !== null) patch.enabled = input.enabled;
      await this.bump(tx, endpoint.id, input.expectedVersion, patch);
      await audit(tx, principal, AuditAction.WEBHOOK_ENDPOINT_UPDATED, endpoint.id, { changed: Object.keys(patch) });
      return this.get(tx, endpoint.id);
    });
  }

  /**
   * For SECRET_OVERLAP_HOURS deliveries are signed with the new secret and the one it replaces, so a receiver
   * not yet switched keeps verifying. Rotating again within that window retires the current secret and drops
   * the older one: never more than two signatures.
   */
  rotateSecret(principal: Principal, id: string): Promise<WebhookEndpointWithSecret> {
    return this.tenantDb.transaction(async (tx) => {
      const endpoint = await this.get(tx, id);
      const secret = newSigningSecret();
      // SET expressions see the row as it was, so `previous_secret = secret` keeps the one being replaced
      // without ever reading it into the application; the database clock is the one the deliverer compares to.
      await this.bump(tx, id, endpoint.version, {
        secret: this.box.seal(secret),
        previousSecret: () => 'secret',
        previousSecretExpiresAt: () => `now() + interval '${SECRET_OVERLAP_HOURS} hours'`,
      });
      await audit(tx, principal, AuditAction.WEBHOOK_SECRET_ROTATED, id);
      return { endpoint: await this.get(tx, id), secret };
    });
  }

  /** Soft: the row stays for the delivery history, disabled; what was still pending fails. */
  delete(principal: Principal, id: string): Promise<WebhookEndpoint> {
    return this.tenantDb.transaction(async (tx) => {
      const endpoint = await this.get(tx, id);
      await this.bump(tx, id, endpoint.version, { enabled: false, deletedAt: new Date() });
      await audit(tx, principal, AuditAction.WEBHOOK_ENDPOINT_DELETED, id);
      await tx.db
        .updateTable('webhook_deliveries')
        .set({
          status: 'FAILED',
          failed_at: sql<Date>`now()`,
          next_attempt_at: null,
          last_error: 'Endpoint deleted',
        })
        .where('endpoint_id', '=', id)
        .where('status', '=', 'PENDING')
        .execute();
      return { ...endpoint, enabled: false, version: endpoint.version + 1 };
    });
  }

  list(args: ConnectionArgs): Promise<ConnectionShape<WebhookEndpoint>> {
    return this.tenantDb.transaction((tx) =>
      paginate(
        tx.db
          .selectFrom('webhook_endpoints as e')
          .select([
            'e.id',
            'e.url',
            'e.description',
            'e.event_types as eventTypes',
            'e.previous_secret_expires_at as previousSecretExpiresAt',
            'e.enabled',
            'e.created_by_user_id as createdByUserId',
            'e.version',
            'e.created_at as createdAt',
            'e.updated_at as updatedAt',
          ])
          .where('e.deleted_at', 'is', null),
        'e',
        args,
        { node: asNode(WebhookEndpoint) },
      ),
    );
  }

  private async get(tx: TenantTransaction, id: string): Promise<WebhookEndpoint> {
    const endpoint = await tx.repo(WebhookEndpoint).findOne({ id, deletedAt: IsNull() });
    if (!endpoint) throw WebhookErrors.endpointNotFound();
    return endpoint;
  }

  private async bump(
    tx: TenantTransaction,
    id: string,
    expected: number,
    patch: QueryDeepPartialEntity<WebhookEndpoint>,
  ) {
    const updated = await tx
      .repo(WebhookEndpoint)
      .update(
        { id, version: expected, deletedAt: IsNull() },
        { ...patch, version: expected + 1, updatedAt: new Date() },
      );
    if (updated === 0) throw WebhookErrors.staleVersion();
  }

  private async checkedUrl(raw: string): Promise<string> {
    const url = raw.trim();
    const problem = await targetProblem(url, {
      requireHttps: this.config.NODE_ENV === 'production',
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    });
    if (problem) throw WebhookErrors.badUrl(problem);
    return url;
  }
}

const audit = (tx: TenantTransaction, principal: Principal, action: AuditAction, id: string, details?: Record<string, string[]>) =>
  AuditTrail.record(tx, { action, actor: auditActorOf(principal), subject: { type: AuditSubjectType.WEBHOOK_ENDPOINT, id }, details });

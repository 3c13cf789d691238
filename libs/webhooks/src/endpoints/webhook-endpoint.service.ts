import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { Principal } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { WebhookErrors } from '../webhooks.errors.js';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointWithSecret,
} from './dto/webhook-endpoint.inputs.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { targetProblem } from './webhook-target.js';

const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
const text = (value: string | null | undefined) => value?.trim() || null;

@Injectable()
export class WebhookEndpointService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const url = await this.checkedUrl(input.url);
    return this.tenantDb.transaction(async (tx) => {
      const secret = newSigningSecret();
      const saved = await tx.repo(WebhookEndpoint).insert({
        url,
        description: text(input.description),
        eventTypes: input.eventTypes,
        secret,
        enabled: true,
        version: 1,
        createdByUserId: principal.userId ?? null,
      });
      return { endpoint: await this.get(tx, saved.id), secret };
    });
  }

  async update(input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    const url = input.url === undefined ? undefined : await this.checkedUrl(input.url);
    return this.tenantDb.transaction(async (tx) => {
      const endpoint = await this.get(tx, input.id);
      const patch: Partial<WebhookEndpoint> = {};
      if (url !== undefined) patch.url = url;
      if (input.eventTypes) patch.eventTypes = input.eventTypes;
      if (input.description !== undefined) patch.description = text(input.description);
      if (input.enabled !== undefined && input.enabled !== null) patch.enabled = input.enabled;
      await this.bump(tx, endpoint.id, input.expectedVersion, patch);
      return this.get(tx, endpoint.id);
    });
  }

  /** The old secret stops signing at once; receivers should accept both briefly while they switch. */
  rotateSecret(id: string): Promise<WebhookEndpointWithSecret> {
    return this.tenantDb.transaction(async (tx) => {
      const endpoint = await this.get(tx, id);
      const secret = newSigningSecret();
      await this.bump(tx, id, endpoint.version, { secret });
      return { endpoint: await this.get(tx, id), secret };
    });
  }

  /** Soft: the row stays for the delivery history, disabled; what was still pending fails. */
  delete(id: string): Promise<WebhookEndpoint> {
    return this.tenantDb.transaction(async (tx) => {
      const endpoint = await this.get(tx, id);
      await this.bump(tx, id, endpoint.version, { enabled: false, deletedAt: new Date() });
      await tx.manager.query(
        `UPDATE webhook_deliveries SET status = 'FAILED', failed_at = now(), next_attempt_at = NULL,
                last_error = 'Endpoint deleted'
          WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'PENDING'`,
        [tx.tenantId, id],
      );
      return { ...endpoint, enabled: false, version: endpoint.version + 1 };
    });
  }

  list(): Promise<WebhookEndpoint[]> {
    return this.tenantDb.transaction((tx) =>
      tx
        .repo(WebhookEndpoint)
        .find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }

  private async get(tx: TenantTransaction, id: string): Promise<WebhookEndpoint> {
    const endpoint = await tx.repo(WebhookEndpoint).findOne({ id, deletedAt: IsNull() });
    if (!endpoint) throw WebhookErrors.endpointNotFound();
    return endpoint;
  }

  private async bump(tx: TenantTransaction, id: string, expected: number, patch: Partial<WebhookEndpoint>) {
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

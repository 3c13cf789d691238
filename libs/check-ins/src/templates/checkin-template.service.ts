import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { type Principal, Role } from '#cairn/shared/auth';
import { TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { asNode, ConnectionShape, paginate, requestGroupLoader } from '#cairn/shared/graphql';
import { CheckInErrors } from '../check-ins.errors.js';
import { CheckInPromptInput } from './checkin-prompt.model.js';
import { normalisePrompts } from './checkin-prompt.rules.js';
import { CheckInTemplateVersion } from './checkin-template-version.entity.js';
import { CheckInTemplate } from './checkin-template.entity.js';
import { CheckInTemplatesArgs, CreateCheckInTemplateInput, UpdateCheckInTemplateInput } from './dto/checkin-template.inputs.js';

function checkedPrompts(inputs: CheckInPromptInput[]) {
  const { prompts, problems } = normalisePrompts(inputs);
  if (problems.length) throw CheckInErrors.invalidPrompts(problems);
  return prompts;
}

/** Templates with the columns of the entity (as its properties, tenant aside). */
const templates = (tx: TenantTransaction) =>
  tx.db
    .selectFrom('checkin_templates as t')
    .select([
      't.id',
      't.name',
      't.description',
      't.current_version as currentVersion',
      't.archived_at as archivedAt',
      't.created_by_user_id as createdByUserId',
      't.created_by_api_key_id as createdByApiKeyId',
      't.created_at as createdAt',
      't.updated_at as updatedAt',
    ]);

/** The firm's library of check-in templates. Everyone in the firm may read it; coaches and admins write it. */
@Injectable()
export class CheckInTemplateService {
  constructor(private readonly tenantDb: TenantDatabase) {}

  create(principal: Principal, input: CreateCheckInTemplateInput): Promise<CheckInTemplate> {
    const prompts = checkedPrompts(input.prompts);
    return this.tenantDb.transaction(async (tx) => {
      const template = await tx.repo(CheckInTemplate).insert({
        name: input.name.trim(),
        description: input.description?.trim() || null,
        currentVersion: 1,
        archivedAt: null,
        createdByUserId: principal.userId ?? null,
        createdByApiKeyId: principal.apiKeyId ?? null,
      });
      await tx.repo(CheckInTemplateVersion).insert({
        templateId: template.id,
        version: 1,
        prompts,
        createdByUserId: principal.userId ?? null,
      });
      return template;
    });
  }

  update(principal: Principal, input: UpdateCheckInTemplateInput): Promise<CheckInTemplate> {
    const prompts = input.prompts ? checkedPrompts(input.prompts) : undefined;
    return this.tenantDb.transaction(async (tx) => {
      const template = await this.editable(tx, principal, input.id);
      if (template.currentVersion !== input.expectedVersion) throw CheckInErrors.staleTemplate();
      const nextVersion = prompts ? template.currentVersion + 1 : template.currentVersion;
      const patch: Partial<CheckInTemplate> = { currentVersion: nextVersion };
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.description !== undefined) patch.description = input.description?.trim() || null;
      // The WHERE on the version read makes the loser of two concurrent edits a CONFLICT, not a lost update.
      const changed = await tx
        .repo(CheckInTemplate)
        .update({ id: template.id, currentVersion: input.expectedVersion }, patch);
      if (changed === 0) throw CheckInErrors.staleTemplate();
      if (prompts) {
        await tx.repo(CheckInTemplateVersion).insert({
          templateId: template.id,
          version: nextVersion,
          prompts,
          createdByUserId: principal.userId ?? null,
        });
      }
      return Object.assign(template, patch);
    });
  }

  setArchived(principal: Principal, id: string, archived: boolean): Promise<CheckInTemplate> {
    return this.tenantDb.transaction(async (tx) => {
      const template = await this.editable(tx, principal, id, { allowArchived: true });
      template.archivedAt = archived ? (template.archivedAt ?? new Date()) : null;
      await tx.repo(CheckInTemplate).update({ id }, { archivedAt: template.archivedAt });
      return template;
    });
  }

  get(id: string): Promise<CheckInTemplate> {
    return this.tenantDb.transaction(async (tx) => {
      const template = await tx.repo(CheckInTemplate).findOne({ id });
      if (!template) throw CheckInErrors.templateNotFound();
      return template;
    });
  }

  list(args: CheckInTemplatesArgs): Promise<ConnectionShape<CheckInTemplate>> {
    return this.tenantDb.transaction((tx) => {
      let query = templates(tx);
      if (!args.includeArchived) query = query.where('t.archived_at', 'is', null);
      return paginate(query, 't', args, { node: asNode(CheckInTemplate) });
    });
  }

  getVersion(id: string): Promise<CheckInTemplateVersion> {
    return this.tenantDb.transaction(async (tx) => {
      const version = await tx.repo(CheckInTemplateVersion).findOne({ id });
      if (!version) throw CheckInErrors.templateVersionNotFound();
      return version;
    });
  }

  /** A template's versions, newest first; batched across a page of templates. */
  versionsOf(templateId: string): Promise<CheckInTemplateVersion[]> {
    return requestGroupLoader(
      'checkin-template-versions',
      (ids: readonly string[]) =>
        this.tenantDb.read((tx) =>
          tx.repo(CheckInTemplateVersion).find({ where: { templateId: In([...ids]) }, order: { version: 'DESC' } }),
        ),
      (version) => version.templateId,
    ).load(templateId);
  }

  /** Admins change any template; a coach the ones they created. API keys act for the firm. */
  private async editable(
    tx: TenantTransaction,
    principal: Principal,
    id: string,
    { allowArchived = false } = {},
  ): Promise<CheckInTemplate> {
    const row = await templates(tx).where('t.id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw CheckInErrors.templateNotFound();
    const template = asNode(CheckInTemplate)(row);
    if (principal.role === Role.COACH && template.createdByUserId !== principal.userId) {
      throw CheckInErrors.notTemplateOwner();
    }
    if (template.archivedAt && !allowArchived) throw CheckInErrors.templateArchived();
    return template;
  }
}

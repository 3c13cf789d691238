import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { formatOpaqueToken, hashSecret, newSecret } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import type { TenantTransaction } from '#cairn/shared/database';
import { MessageKind, MessageService } from '#cairn/messaging';
import { fillUrlPattern, safeText } from '#cairn/shared/templates';
import { supporterLinkHtml, supporterLinkText } from './supporter-link-email.template.js';

export const LINK_PREFIX = 'spl';

/**
 * A supporter's passwordless sign-in link: single use, expiring after INVITATION_TTL_DAYS, and the only open
 * one (a new link voids the unused ones). With INVITE_URL_PATTERN set it is emailed in the caller's
 * transaction, through the message pipeline like invitations (the `spl_` prefix tells the page it apart).
 */
@Injectable()
export class SupporterLinks {
  constructor(
    private readonly config: AppConfig,
    private readonly messages: MessageService,
  ) {}

  async issue(
    tx: TenantTransaction,
    supporter: { id: string; email: string; displayName: string; clientId: string },
  ): Promise<{ token: string; expiresAt: Date }> {
    await tx.db
      .updateTable('supporter_links')
      .set({ expires_at: new Date() })
      .where('supporter_id', '=', supporter.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .execute();
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + this.config.INVITATION_TTL_DAYS * 86_400_000);
    const link = await tx.db
      .insertInto('supporter_links')
      .values({ supporter_id: supporter.id, secret_hash: hashSecret(secret), expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = formatOpaqueToken(LINK_PREFIX, link.id, secret);
    await this.email(tx, link.id, supporter, token, expiresAt);
    return { token, expiresAt };
  }

  private async email(
    tx: TenantTransaction,
    linkId: string,
    supporter: { email: string; displayName: string; clientId: string },
    token: string,
    expiresAt: Date,
  ): Promise<void> {
    const pattern = this.config.INVITE_URL_PATTERN;
    if (!pattern) return;
    // The tenant layer narrows `tenants` to the caller's firm.
    const firm = await tx.db.selectFrom('tenants').select(['name', 'slug']).executeTakeFirstOrThrow();
    const client = await tx.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', supporter.clientId)
      .executeTakeFirstOrThrow();
    const view = {
      supporterName: supporter.displayName,
      clientName: client.display_name,
      firmName: firm.name,
      linkUrl: fillUrlPattern(pattern, { token, firmSlug: firm.slug }),
      expiresAt: DateTime.fromJSDate(expiresAt, { zone: 'UTC' }).setLocale('en-GB').toFormat("ccc d LLL yyyy, HH:mm 'UTC'"),
    };
    const subject = safeText(`${client.display_name} asked you to support their goals`);
    await this.messages.send(tx, {
      recipientUserId: null,
      to: { email: supporter.email, name: supporter.displayName },
      kind: MessageKind.INVITATION,
      subject: subject.length > 300 ? `${subject.slice(0, 299)}…` : subject,
      text: supporterLinkText(view),
      html: supporterLinkHtml(view),
      dedupeKey: `supporter-link/${linkId}`,
    });
  }
}

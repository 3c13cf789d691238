import { Global, Injectable, Module } from '@nestjs/common';
import { type InvitationEmail, InvitationMailer } from '#cairn/identity';
import type { TenantTransaction } from '#cairn/shared/database';
import { MessageKind } from '../messages/message-kind.enum.js';
import { MessageService } from '../messages/message.service.js';
import { MessagingCoreModule } from '../messaging.module.js';

/**
 * Invitation emails through the message pipeline: a message to the invitee's address (they have no account, so
 * email only), keyed by the invitation, so it is committed with the invitation, sent once by the email worker,
 * and a re-invite (a new invitation) sends a new one.
 */
@Injectable()
export class MessageInvitationMailer extends InvitationMailer {
  constructor(private readonly messages: MessageService) {
    super();
  }

  async send(tx: TenantTransaction, email: InvitationEmail): Promise<void> {
    await this.messages.send(tx, {
      recipientUserId: null,
      to: email.to,
      kind: MessageKind.INVITATION,
      subject: email.subject,
      text: email.text,
      html: email.html,
      dedupeKey: `invitation/${email.invitationId}`,
    });
  }
}

/** Binds identity's InvitationMailer for the whole app (identity sits below messaging); the API and worker import it. */
@Global()
@Module({
  imports: [MessagingCoreModule],
  providers: [{ provide: InvitationMailer, useClass: MessageInvitationMailer }],
  exports: [InvitationMailer],
})
export class InvitationEmailModule {}

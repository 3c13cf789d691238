import { Injectable } from '@nestjs/common';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { MessageKind } from '../messages/message-kind.enum.js';
import type { UnsubscribeTarget } from './unsubscribe-links.js';

/** A kind of email people can unsubscribe from, and the owning domain's opt-out. */
export interface EmailList {
  /** What the confirmation page names, e.g. `nudge emails`. */
  name: string;
  /** Turns the recipient's opt-out on; a second call changes nothing. A recipient who no longer exists is a no-op. */
  optOut(tx: TenantTransaction, userId: string): Promise<void>;
}

/**
 * The kinds of email that carry an unsubscribe link, each registered by the domain that owns its opt-out (nudge
 * preferences, report opt-outs) when its module starts. Email of a kind nobody registered carries no link.
 */
@Injectable()
export class EmailOptOuts {
  private readonly lists = new Map<MessageKind, EmailList>();

  constructor(private readonly tenantDb: TenantDatabase) {}

  register(kind: MessageKind, list: EmailList): void {
    this.lists.set(kind, list);
  }

  listOf(kind: MessageKind): EmailList | undefined {
    return this.lists.get(kind);
  }

  /** Runs as the link's tenant, so RLS bounds what the opt-out can touch to that firm. */
  optOut(target: UnsubscribeTarget): Promise<void> {
    const list = this.lists.get(target.kind);
    if (!list) throw new Error(`No email list for ${target.kind}`);
    return RequestContext.runAs({ tenantId: target.tenantId }, () =>
      this.tenantDb.transaction((tx) => list.optOut(tx, target.userId)),
    );
  }
}

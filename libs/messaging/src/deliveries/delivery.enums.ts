import { registerEnumType } from '@nestjs/graphql';

export enum DeliveryChannel {
  EMAIL = 'EMAIL',
  IN_APP = 'IN_APP',
  WEBHOOK = 'WEBHOOK',
}
registerEnumType(DeliveryChannel, {
  name: 'DeliveryChannel',
  description:
    'EMAIL over SMTP; IN_APP in the recipient’s notification feed; WEBHOOK as an event to the firm’s endpoints, so a partner can deliver push or SMS.',
});

/** The same reason for every channel: for a message that cannot go out at all (`OutgoingMessage.fail`). */
export function onEveryChannel(reason: string): Record<DeliveryChannel, string> {
  return { [DeliveryChannel.EMAIL]: reason, [DeliveryChannel.IN_APP]: reason, [DeliveryChannel.WEBHOOK]: reason };
}

export enum DeliveryStatus {
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description:
    'QUEUED: waiting for its (next) attempt. SENT: handed to the SMTP server, the feed or the outbox. FAILED: given up, see lastError. SKIPPED: not sent by design (no SMTP configured, the recipient opted out of the channel).',
});

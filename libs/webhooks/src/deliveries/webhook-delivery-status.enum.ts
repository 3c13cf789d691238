import { registerEnumType } from '@nestjs/graphql';

export enum WebhookDeliveryStatus {
  /** Waiting for its first or next attempt. */
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  /** Retried for at least a day without a 2xx, or its endpoint was deleted. */
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

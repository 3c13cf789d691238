import { MigrationInterface, QueryRunner } from 'typeorm';
import { addAttemptStates, dropAttemptStates } from '#cairn/shared/delivery';

/** Webhook attempts logged when they start: `state` and `finished_at` (see addAttemptStates). */
export class WebhookDeliveryAttemptsStarted1763900002410 implements MigrationInterface {
  name = 'WebhookDeliveryAttemptsStarted1763900002410';

  up(q: QueryRunner): Promise<void> {
    return addAttemptStates(q, 'webhook_delivery_attempts');
  }

  down(q: QueryRunner): Promise<void> {
    return dropAttemptStates(q, 'webhook_delivery_attempts');
  }
}

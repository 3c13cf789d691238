import { MigrationInterface, QueryRunner } from 'typeorm';
import { addAttemptStates, dropAttemptStates } from '#cairn/shared/delivery';

/** Email attempts logged when they start: `state` and `finished_at` (see addAttemptStates). */
export class MessageDeliveryAttemptsStarted1763900002400 implements MigrationInterface {
  name = 'MessageDeliveryAttemptsStarted1763900002400';

  up(q: QueryRunner): Promise<void> {
    return addAttemptStates(q, 'message_delivery_attempts');
  }

  down(q: QueryRunner): Promise<void> {
    return dropAttemptStates(q, 'message_delivery_attempts');
  }
}

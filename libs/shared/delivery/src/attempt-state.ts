import { registerEnumType } from '@nestjs/graphql';

/**
 * Where one attempt stands in a delivery log. An attempt is logged when it starts; STARTED with no finish time
 * is in flight, and one whose worker died stays as INTERRUPTED once the next attempt is claimed (what it sent,
 * if anything, is unknown).
 */
export enum DeliveryAttemptState {
  STARTED = 'STARTED',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  INTERRUPTED = 'INTERRUPTED',
}

registerEnumType(DeliveryAttemptState, {
  name: 'DeliveryAttemptState',
  description:
    'STARTED: in flight. SUCCEEDED / FAILED: finished. INTERRUPTED: its worker stopped mid-attempt (killed); the next attempt took over.',
});

/** The state an attempt's log row gets from its outcome. */
export function finishedState(sent: boolean): DeliveryAttemptState {
  return sent ? DeliveryAttemptState.SUCCEEDED : DeliveryAttemptState.FAILED;
}

import { registerEnumType } from '@nestjs/graphql';

export enum MessageKind {
  NUDGE = 'NUDGE',
  REPORT = 'REPORT',
  INVITATION = 'INVITATION',
  SUPPORTER_DIGEST = 'SUPPORTER_DIGEST',
}
registerEnumType(MessageKind, {
  name: 'MessageKind',
  description:
    'NUDGE: a gentle push to a client. REPORT: a progress report to a coach. INVITATION: an invitation email to someone without an account yet. SUPPORTER_DIGEST: a supporter’s digest of the goals a client shares with them.',
});

import { registerEnumType } from '@nestjs/graphql';

/** Who the supporter is to the client; it also names the source of their fact-finding answers. */
export enum SupporterRelationship {
  BOSS = 'BOSS',
  MENTOR = 'MENTOR',
  COLLEAGUE = 'COLLEAGUE',
  FRIEND = 'FRIEND',
  FAMILY = 'FAMILY',
  OTHER = 'OTHER',
}
registerEnumType(SupporterRelationship, {
  name: 'SupporterRelationship',
  description: 'Who a supporter is to the client (step 8: your boss, colleagues, friends and family).',
});

export enum SupporterRequestStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
}
registerEnumType(SupporterRequestStatus, { name: 'SupporterRequestStatus' });

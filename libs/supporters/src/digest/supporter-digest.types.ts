import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsUUID } from 'class-validator';

export enum DigestCadence {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  OFF = 'OFF',
}
registerEnumType(DigestCadence, {
  name: 'DigestCadence',
  description: 'How often a client’s supporters get a digest: DAILY, WEEKLY (Mondays; the default) or OFF.',
});

@ObjectType()
export class SupporterDigestSettings {
  @Field(() => ID)
  clientId: string;

  @Field(() => DigestCadence)
  cadence: DigestCadence;
}

@InputType()
export class UpdateSupporterDigestInput {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => DigestCadence)
  @IsEnum(DigestCadence)
  cadence: DigestCadence;
}

import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { AuditAction } from '#cairn/shared/audit';
import { ConnectionArgs } from '#cairn/shared/graphql';

@InputType({ description: 'Every given condition must hold.' })
export class AuditLogFilter {
  @Field(() => [AuditAction], { nullable: true, description: 'Any of these actions.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(AuditAction, { each: true })
  actions?: AuditAction[];

  @Field(() => ID, { nullable: true, description: 'The user or API key that acted.' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be an id' })
  actorId?: string;

  @Field(() => ID, { nullable: true, description: 'The user, invitation, key, endpoint or firm acted on.' })
  @IsOptional()
  @IsUUID('all', { message: 'subjectId must be an id' })
  subjectId?: string;

  @Field({ nullable: true, description: 'At or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Before this instant.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => AuditLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditLogFilter)
  filter?: AuditLogFilter;
}

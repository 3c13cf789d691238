import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ConnectionArgs, MAX_PAGE_SIZE } from '#cairn/shared/graphql';
import { DevelopmentCategory, DevelopmentItemStatus } from '../development-item.enums.js';

@ArgsType()
export class DevelopmentItemsArgs extends ConnectionArgs {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => [DevelopmentItemStatus], { nullable: true, description: 'Only items in these statuses; default all.' })
  @IsOptional()
  @ArrayMaxSize(3)
  @IsEnum(DevelopmentItemStatus, { each: true })
  status?: DevelopmentItemStatus[];

  @Field(() => DevelopmentCategory, { nullable: true })
  @IsOptional()
  @IsEnum(DevelopmentCategory)
  category?: DevelopmentCategory;
}

@ArgsType()
export class PrioritizedDevelopmentItemsArgs {
  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => Int, { defaultValue: 20, description: `How many of the top-ranked OPEN items, 1 to ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 20;
}

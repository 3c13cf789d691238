import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

@InputType()
export class ArchiveClientInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field({ nullable: true, description: 'Up to 500 characters, kept with the archived record.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

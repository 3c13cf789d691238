import { Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

@InputType({ description: 'Only the fields given change.' })
export class UpdateNudgePolicyInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => Int, { nullable: true, description: '0 to 168.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  checkinDueSoonHours?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  checkinMissed?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  taskStarting?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  taskOverdue?: boolean;

  @Field(() => Int, { nullable: true, description: '0 to 365.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  goalStalledDays?: number;

  @Field(() => Int, { nullable: true, description: '0 to 730.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(730)
  goalBehindWithinDays?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  celebrations?: boolean;

  @Field({ nullable: true, description: 'HH:MM, 24-hour.' })
  @IsOptional()
  @Matches(HH_MM, { message: 'quietHoursStart must be HH:MM (24-hour)' })
  quietHoursStart?: string;

  @Field({ nullable: true, description: 'HH:MM, 24-hour; equal to the start means no quiet hours.' })
  @IsOptional()
  @Matches(HH_MM, { message: 'quietHoursEnd must be HH:MM (24-hour)' })
  quietHoursEnd?: string;

  @Field(() => Int, { nullable: true, description: '1 to 10.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  dailyCap?: number;
}

import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export const DEFAULT_UPCOMING_DAYS = 14;
export const MAX_UPCOMING_DAYS = 90;
export const MAX_AGENDA_ITEMS = 500;

@ArgsType()
export class TaskAgendaArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'One client (also their archived history); NOT_FOUND outside your reach.',
  })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only clients with an open engagement with this coach (admins: any coach’s caseload).',
  })
  @IsOptional()
  @IsUUID()
  coachId?: string;

  @Field(() => Int, {
    defaultValue: 100,
    description: `Most items returned, 1–${MAX_AGENDA_ITEMS}; totalCount has them all.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_AGENDA_ITEMS)
  limit: number = 100;
}

@ArgsType()
export class UpcomingTasksArgs extends TaskAgendaArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_UPCOMING_DAYS,
    description: `Days ahead, today included (1–${MAX_UPCOMING_DAYS}): the window is today … today + days − 1.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_UPCOMING_DAYS)
  days: number = DEFAULT_UPCOMING_DAYS;
}

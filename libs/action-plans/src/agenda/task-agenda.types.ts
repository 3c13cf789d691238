import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { ActionTask } from '../tasks/action-task.entity.js';

export enum TaskAgendaKind {
  START = 'START',
  DUE = 'DUE',
  OCCURRENCE = 'OCCURRENCE',
}
registerEnumType(TaskAgendaKind, {
  name: 'TaskAgendaKind',
  description:
    'START: a one-off task’s lead time begins; DUE: a one-off task is due; OCCURRENCE: a recurring task occurs.',
});

@ObjectType({ description: 'A dated entry of an overdue or upcoming view.' })
export class TaskAgendaItem {
  @Field(() => TaskAgendaKind)
  kind: TaskAgendaKind;

  @Field(() => LocalDateScalar, { description: 'In the client’s time zone.' })
  date: string;

  @Field(() => ActionTask)
  task: ActionTask;

  @Field(() => ID)
  clientId: string;

  @Field(() => Int, { description: 'Logged so far for this occurrence (one-off tasks: in total).' })
  loggedCount: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Overdue view only: days since `date`, in the client’s today.',
  })
  daysOverdue: number | null;
}

@ObjectType()
export class TaskAgenda {
  @Field(() => [TaskAgendaItem], { description: 'Sorted by date, then client and task; at most `limit`.' })
  items: TaskAgendaItem[];

  @Field(() => Int, { description: 'How many items there are in all.' })
  totalCount: number;
}

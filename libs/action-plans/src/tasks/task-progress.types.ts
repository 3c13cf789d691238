import { Field, Int, ObjectType } from '@nestjs/graphql';
import { LocalDateScalar } from '#cairn/shared/graphql';
import { ActionTask } from './action-task.entity.js';
import { TaskCompletion } from '../completions/task-completion.entity.js';

@ObjectType({
  description:
    'Runs of consecutive occurrences whose logged count met the target, up to the client’s today. Today’s ' +
    'occurrence counts once met; until then it is pending and neither extends nor breaks the current streak.',
})
export class TaskStreak {
  @Field(() => Int, {
    description: 'The run ending at the latest counted occurrence (0 after a missed one).',
  })
  current: number;

  @Field(() => Int)
  longest: number;

  @Field(() => LocalDateScalar, { description: 'The client’s today the streak was computed for.' })
  asOf: string;

  @Field({ description: 'Today is an occurrence whose target is not met yet.' })
  todayPending: boolean;
}

@ObjectType()
export class TaskOccurrence {
  @Field(() => LocalDateScalar)
  date: string;

  @Field(() => Int)
  loggedCount: number;

  @Field({ description: 'The logged count reached the task’s countTarget.' })
  met: boolean;
}

@ObjectType()
export class LogTaskCompletionPayload {
  @Field(() => TaskCompletion)
  completion: TaskCompletion;

  @Field(() => ActionTask, { description: 'The task after the log (its status may have moved on).' })
  task: ActionTask;
}

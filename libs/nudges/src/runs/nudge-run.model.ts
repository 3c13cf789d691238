import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The firm’s nudge run that runNudgesNow queued: the job the 15-minute sweep adds for this period.' })
export class NudgeRun {
  @Field({ description: 'The BullMQ job id, `nudges.plan-tenant/<tenant>/<period>`: the same id the scheduled sweep uses.' })
  jobId!: string;

  @Field({
    description:
      'The 15-minute period (UTC, e.g. 20261206T0115) the run belongs to; a client gets at most one nudge message per period.',
  })
  period!: string;

  @Field({ description: 'True when this deployment pauses nudges (NUDGES_PAUSED): the worker will skip the run.' })
  paused!: boolean;
}

import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The firm’s coach-report run that runCoachReportNow queued: the job the 15-minute sweep adds.' })
export class CoachReportRun {
  @Field({ description: 'The BullMQ job id, `reports.plan-tenant/<tenant>/<period>`: the same id the scheduled sweep uses.' })
  jobId!: string;

  @Field({ description: 'The 15-minute sweep period (UTC, e.g. 20261206T0115) the job is keyed by.' })
  period!: string;

  @Field({ description: 'True when this deployment pauses reports (REPORTS_PAUSED): the worker will skip the run.' })
  paused!: boolean;
}

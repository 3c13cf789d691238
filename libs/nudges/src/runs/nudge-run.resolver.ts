import { InjectQueue } from '@nestjs/bullmq';
import { Mutation, Resolver } from '@nestjs/graphql';
import type { Queue } from 'bullmq';
import { Role, Roles } from '#cairn/shared/auth';
import { AppConfig } from '#cairn/shared/config';
import { enqueueTenantRun, QueueName } from '#cairn/shared/queue';
import { RequestContext } from '#cairn/shared/tenancy';
import { NudgeRun } from './nudge-run.model.js';

@Resolver(() => NudgeRun)
export class NudgeRunResolver {
  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.NUDGES) private readonly queue: Queue,
  ) {}

  // No scope: an integration has no business re-running a firm's nudges, so API keys are refused.
  @Roles(Role.ADMIN)
  @Mutation(() => NudgeRun, {
    description:
      'Admins only. Queues the firm’s nudge run now instead of at the next 15-minute sweep. Exactly once with the scheduled runs: a client already nudged in this period, or about these items, gets nothing more.',
  })
  async runNudgesNow(): Promise<NudgeRun> {
    const run = await enqueueTenantRun(this.queue, 'nudges.sweep', 'nudges.plan-tenant', RequestContext.requireTenantId());
    return { ...run, paused: this.config.NUDGES_PAUSED };
  }
}

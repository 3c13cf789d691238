import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '#cairn/shared/auth';
import { AppConfig, ConfigModule, loadConfig } from '#cairn/shared/config';
import { DatabaseModule } from '#cairn/shared/database';
import { eventsEntities } from '#cairn/shared/events';
import { LoggingModule } from '#cairn/shared/observability';
import { QueueModule } from '#cairn/shared/queue';
import { actionPlansEntities, ActionPlansJobsModule } from '#cairn/action-plans';
import { checkInsEntities, CheckInsJobsModule } from '#cairn/check-ins';
import { clientsEntities } from '#cairn/clients';
import { developmentEntities } from '#cairn/development';
import { goalsEntities } from '#cairn/goals';
import { identityEntities, IdentityJobsModule } from '#cairn/identity';
import { notificationsEntities, NotificationsCoreModule } from '#cairn/notifications';
import { InvitationEmailModule, messagingEntities, MessagingJobsModule } from '#cairn/messaging';
import { nudgesEntities, NudgesJobsModule } from '#cairn/nudges';
import { reportsEntities, ReportsJobsModule } from '#cairn/reports';
import { PrivacyJobsModule } from '#cairn/privacy';
import { SupportersJobsModule } from '#cairn/supporters';
import { webhooksEntities, WebhooksJobsModule } from '#cairn/webhooks';

/** The worker connects to the same database but never migrates (it passes no migrations). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('cairn-worker'),
        DatabaseModule.forRoot({ entities: [...identityEntities, ...clientsEntities, ...goalsEntities, ...developmentEntities, ...actionPlansEntities, ...checkInsEntities, ...eventsEntities, ...webhooksEntities, ...notificationsEntities, ...messagingEntities, ...nudgesEntities, ...reportsEntities], applicationName: 'cairn-worker' }),
        QueueModule.forWorker(),
        AuthModule,
        IdentityJobsModule,
        WebhooksJobsModule,
        CheckInsJobsModule,
        ActionPlansJobsModule,
        NotificationsCoreModule,
        MessagingJobsModule,
        InvitationEmailModule,
        NudgesJobsModule,
        ReportsJobsModule,
        SupportersJobsModule,
        PrivacyJobsModule,
      ],
    };
  }
}

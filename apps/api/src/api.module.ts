import { DynamicModule, Module } from '@nestjs/common';
import { auditMigrations } from '#cairn/shared/audit';
import { AuthModule, CredentialGuardModule, JwksModule } from '#cairn/shared/auth';
import { AppConfig, ConfigModule, loadConfig } from '#cairn/shared/config';
import { DatabaseModule, TenancyPlumbing1763900000000 } from '#cairn/shared/database';
import { eventsEntities, eventsMigrations } from '#cairn/shared/events';
import { GraphqlApiModule } from '#cairn/shared/graphql';
import { HealthModule, LoggingModule, MetricsModule } from '#cairn/shared/observability';
import { QueueDashboardModule, QueueModule } from '#cairn/shared/queue';
import { actionPlansEntities, actionPlansMigrations, ActionPlansModule, actionPlansResolvers } from '#cairn/action-plans';
import { CaseloadModule, caseloadResolvers } from '#cairn/caseload';
import { checkInsEntities, checkInsMigrations, CheckInsModule, checkInsResolvers } from '#cairn/check-ins';
import { clientsEntities, clientsMigrations, ClientsModule, clientsResolvers } from '#cairn/clients';
import { developmentEntities, developmentMigrations, DevelopmentModule, developmentResolvers } from '#cairn/development';
import { goalsEntities, goalsMigrations, GoalsModule, goalsResolvers } from '#cairn/goals';
import { IdentityCoreModule, identityEntities, identityMigrations, IdentityModule, identityResolvers } from '#cairn/identity';
import { notificationsEntities, notificationsMigrations, NotificationsModule, notificationsResolvers } from '#cairn/notifications';
import { webhooksEntities, webhooksMigrations, WebhooksModule, webhooksResolvers } from '#cairn/webhooks';
import { calendarFeedsEntities, calendarFeedsMigrations, CalendarFeedsModule, calendarFeedsResolvers } from '#cairn/calendar-feeds';
import { InvitationEmailModule, messagingEntities, messagingMigrations, MessagingModule, messagingResolvers } from '#cairn/messaging';
import { nudgesEntities, nudgesMigrations, NudgesModule, nudgesResolvers } from '#cairn/nudges';
import { reportsEntities, reportsMigrations, ReportsModule, reportsResolvers } from '#cairn/reports';
import { privacyMigrations, PrivacyModule, privacyResolvers } from '#cairn/privacy';
import { SupporterCredentialsModule, supportersMigrations, SupportersModule, supportersResolvers } from '#cairn/supporters';

/**
 * Every entity and migration of the product, in one list for the API, the worker and `npm run migrate`.
 * Migrations are sorted by their timestamp (the class name's suffix), the order TypeORM applies them in, so a
 * domain can add one later than another domain's.
 */
export const ENTITIES = [
  ...identityEntities,
  ...clientsEntities,
  ...goalsEntities,
  ...developmentEntities,
  ...actionPlansEntities,
  ...checkInsEntities,
  ...eventsEntities,
  ...webhooksEntities,
  ...notificationsEntities,
  ...calendarFeedsEntities,
  ...messagingEntities,
  ...nudgesEntities,
  ...reportsEntities,
];
export const MIGRATIONS = [
  TenancyPlumbing1763900000000,
  ...identityMigrations,
  ...clientsMigrations,
  ...goalsMigrations,
  ...developmentMigrations,
  ...actionPlansMigrations,
  ...eventsMigrations,
  ...auditMigrations,
  ...webhooksMigrations,
  ...checkInsMigrations,
  ...notificationsMigrations,
  ...calendarFeedsMigrations,
  ...messagingMigrations,
  ...nudgesMigrations,
  ...reportsMigrations,
  ...supportersMigrations,
  ...privacyMigrations,
].sort((a, b) => migrationTimestamp(a) - migrationTimestamp(b));

/** Every resolver class of the GraphQL API, for tools that build the schema without booting the API. */
export const RESOLVERS = [
  ...identityResolvers,
  ...clientsResolvers,
  ...goalsResolvers,
  ...developmentResolvers,
  ...actionPlansResolvers,
  ...caseloadResolvers,
  ...checkInsResolvers,
  ...webhooksResolvers,
  ...notificationsResolvers,
  ...messagingResolvers,
  ...nudgesResolvers,
  ...calendarFeedsResolvers,
  ...reportsResolvers,
  ...supportersResolvers,
  ...privacyResolvers,
];

function migrationTimestamp(migration: { name: string }): number {
  const timestamp = /(\d{13})$/.exec(migration.name);
  if (!timestamp) throw new Error(`Migration ${migration.name} does not end in a 13-digit timestamp`);
  return Number(timestamp[1]);
}

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('cairn-api'),
        DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS, applicationName: 'cairn-api' }),
        QueueModule.forRoot(),
        QueueDashboardModule,
        AuthModule,
        CredentialGuardModule.register(IdentityCoreModule, SupporterCredentialsModule),
        GraphqlApiModule.forRoot(),
        HealthModule,
        JwksModule,
        MetricsModule,
        IdentityModule,
        ClientsModule,
        GoalsModule,
        DevelopmentModule,
        ActionPlansModule,
        CaseloadModule,
        CheckInsModule,
        WebhooksModule,
        NotificationsModule,
        CalendarFeedsModule,
        MessagingModule,
        InvitationEmailModule,
        NudgesModule,
        ReportsModule,
        SupportersModule,
        PrivacyModule,
      ],
    };
  }
}

import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList } from 'typeorm';
import { AppConfig } from '#cairn/shared/config';
import { AfterCommit } from './after-commit.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { SystemDatabase } from './system-database.js';
import { TenantDatabase } from './tenant-database.js';

export interface DatabaseModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  /** Only the API passes migrations (to honour MIGRATE_ON_START in development); the worker never migrates. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function>;
  applicationName: string;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            const migrate = Boolean(options.migrations) && config.MIGRATE_ON_START;
            if (migrate && config.NODE_ENV !== 'development') {
              new Logger('Database').warn('MIGRATE_ON_START is ignored outside development; run `npm run migrate`');
            }
            return {
              ...buildDataSourceOptions(
                {
                  url: config.DATABASE_URL,
                  poolMax: config.DATABASE_POOL_MAX,
                  idleTimeoutMs: config.DATABASE_IDLE_TIMEOUT_MS,
                  applicationName: options.applicationName,
                },
                options.entities,
                options.migrations,
              ),
              migrationsRun: migrate && config.NODE_ENV === 'development',
            };
          },
        }),
      ],
      providers: [TenantDatabase, SystemDatabase, AfterCommit],
      exports: [TenantDatabase, SystemDatabase, AfterCommit],
    };
  }
}

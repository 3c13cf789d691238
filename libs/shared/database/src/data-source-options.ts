import type { DataSourceOptions, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DatabaseSettings {
  url: string;
  poolMax?: number;
  idleTimeoutMs?: number;
  applicationName?: string;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Classes = MixedList<Function>;

/** One place that turns settings into TypeORM options; schema changes happen only through migrations. */
export function buildDataSourceOptions(
  settings: DatabaseSettings,
  entities: Classes,
  migrations: Classes = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: settings.applicationName ?? 'cairn',
    extra: {
      max: settings.poolMax ?? 10,
      idleTimeoutMillis: settings.idleTimeoutMs ?? 10000,
      connectionTimeoutMillis: 10000,
    },
  };
}

import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** The one set of TypeORM options, used by the app and by the TypeORM CLI (data-source.ts). */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // One transaction per migration: a failed one leaves the schema at the last good step.
    migrationsTransactionMode: 'each',
    extra: { max: 20 },
    ...extra,
  } as DataSourceOptions;
}

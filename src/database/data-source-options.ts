import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** The one set of TypeORM options, used by the app and by the TypeORM CLI (data-source.ts). */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}, poolWaitMs = 10_000): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // One transaction per migration: a failed one leaves the schema at the last good step.
    migrationsTransactionMode: 'each',
    // A database that stops answering (a cut network, not a refused connection) must fail the request in
    // bounded time with a 503, not hang it; generous, since the wait for a free pooled client counts too
    // (DATABASE_POOL_WAIT_MS).
    extra: { max: 20, connectionTimeoutMillis: poolWaitMs },
    ...extra,
  } as DataSourceOptions;
}

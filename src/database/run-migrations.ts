import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

// Arbitrary, fixed: every process of every role takes this lock, so two instances starting together never migrate at once.
const MIGRATION_LOCK_KEY = 7_361_004_221;

/** Brings the schema up to date before the app starts serving. Returns the names of the migrations it ran. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url, { extra: { max: 1 } }));
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const ran = await dataSource.runMigrations();
      return ran.map((migration) => migration.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await dataSource.destroy();
  }
}

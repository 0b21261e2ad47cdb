import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI: `npm run migration:run` with DATABASE_URL set. */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set to run migrations from the CLI (npm start runs them itself).');
export default new DataSource(dataSourceOptions(url));

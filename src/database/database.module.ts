import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';

/**
 * The TypeORM connection. Migrations are run before the app is created (see run-migrations.ts),
 * so this module never changes the schema; each feature module registers its own entities.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.database.url) throw new Error('database.url must be resolved before the app module is built');
        return { ...dataSourceOptions(config.database.url, {}, config.database.poolWaitMs), autoLoadEntities: true };
      },
    }),
  ],
})
export class DatabaseModule {}

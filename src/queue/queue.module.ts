import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../common/metrics/metrics.service';
import { bullRootOptions } from './queue-connection';
import { MAIL_QUEUE, PERSONAL_DATA_RETENTION_QUEUE, QUOTA_RELEASE_QUEUE, REMINDER_PLANNING_QUEUE, REMINDER_QUEUE, RETENTION_QUEUE } from './queue.constants';

/** The BullMQ connection (Redis or PostgreSQL, see queue-connection.ts) and the queues of the app. */
@Module({
  imports: [
    BullModule.forRootAsync({ inject: [APP_CONFIG, Metrics], useFactory: (config: AppConfig, metrics: Metrics) => bullRootOptions(config, metrics) }),
    BullModule.registerQueue(
      { name: MAIL_QUEUE },
      { name: REMINDER_QUEUE },
      { name: QUOTA_RELEASE_QUEUE },
      { name: REMINDER_PLANNING_QUEUE },
      { name: RETENTION_QUEUE },
      { name: PERSONAL_DATA_RETENTION_QUEUE },
    ),
  ],
  exports: [BullModule],
})
export class QueueModule {}

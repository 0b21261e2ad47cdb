import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../common/metrics/metrics.service';
import { bullRootOptions, QueueLoggingBackendErrors } from './queue-connection';
import { ALL_QUEUES } from './queue.constants';

// Before registerQueue below, which takes the class when it is called.
BullModule.queueClass = QueueLoggingBackendErrors;

/** The BullMQ connection (Redis or PostgreSQL, see queue-connection.ts) and the queues of the app. */
@Module({
  imports: [
    BullModule.forRootAsync({ inject: [APP_CONFIG, Metrics], useFactory: (config: AppConfig, metrics: Metrics) => bullRootOptions(config, metrics) }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  exports: [BullModule],
})
export class QueueModule {}

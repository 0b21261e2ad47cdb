import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { QueueModule } from '../queue/queue.module';
import { RegistrationsDataModule } from '../registrations/registrations-data.module';
import { MetricsCollector } from './metrics-collector';
import { WorkerMetricsServer } from './worker-metrics-server';

/** The worker role's metrics listener (METRICS_PORT), with the same gauges as the api's /metrics. */
@Module({ imports: [QueueModule, NotificationsModule, RegistrationsDataModule], providers: [MetricsCollector, WorkerMetricsServer] })
export class WorkerMetricsModule {}

import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { QueueModule } from '../queue/queue.module';
import { RegistrationsDataModule } from '../registrations/registrations-data.module';
import { MetricsCollector } from './metrics-collector';
import { MetricsController } from './metrics.controller';

/** GET /metrics and the gauges read at scrape; api role (the instruments themselves are in MetricsModule). */
@Module({ imports: [QueueModule, NotificationsModule, RegistrationsDataModule], controllers: [MetricsController], providers: [MetricsCollector] })
export class MetricsApiModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './common/logging/logging';
import { AuthModule } from './auth/auth.module';
import { BodiesDataModule } from './bodies/bodies-data.module';
import { BodiesModule } from './bodies/bodies.module';
import { CalendarModule } from './calendar/calendar.module';
import { TemplatesModule } from './common/templates/templates.module';
import { Clock, ClockModule } from './common/clock';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsApiModule } from './metrics/metrics-api.module';
import { MetricsModule } from './common/metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { MailWorkerModule } from './notifications/mail-worker.module';
import { RemindersModule, ReminderWorkerModule } from './notifications/reminders/reminders.module';
import { QueueModule } from './queue/queue.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RegistrationsModule } from './registrations/registrations.module';
import { ReportsModule } from './reports/reports.module';
import { CheckInModule } from './registrations/check-in/check-in.module';
import { MemberFeedsModule } from './registrations/member-feeds/member-feeds.module';
import { RegistrationsDataModule } from './registrations/registrations-data.module';
import { RegistrationsWorkerModule } from './registrations/registrations-worker.module';

/**
 * One codebase, two roles. `api` serves HTTP and writes state and outbox rows; `worker` sends
 * the mail; `all` (the default start) is both in one process.
 */
@Module({})
export class AppModule {
  /** `clock`: the time the app decides by (tests pass one they can move). */
  static forRole(config: AppConfig, clock?: Clock): DynamicModule {
    const infrastructure = [
      LoggerModule.forRoot(loggerParams(config)),
      ConfigModule.forRoot(config),
      ClockModule.forRoot(clock),
      MetricsModule,
      DatabaseModule,
      QueueModule,
      TemplatesModule,
      AuthModule,
    ];
    const api = [
      DirectoryModule,
      EventsModule,
      RegistrationsModule,
      CheckInModule,
      MemberFeedsModule,
      CalendarModule,
      NotificationsModule,
      HealthModule,
      MetricsApiModule,
      RateLimitModule.forRoot(config),
      RemindersModule,
      ConsoleModule,
      ReportsModule,
      BodiesDataModule,
      BodiesModule,
    ];
    // Notifications sit below registrations and ask them through RegistrationsPort; this is where the port is filled.
    const mailWorker = MailWorkerModule.with(RegistrationsDataModule);
    const reminderWorker = ReminderWorkerModule.with(RegistrationsDataModule);
    const worker = [mailWorker, reminderWorker, RegistrationsWorkerModule, NotificationsModule];
    const roles = { all: [...api, mailWorker, reminderWorker, RegistrationsWorkerModule], api, worker };
    return { module: AppModule, imports: [...infrastructure, ...roles[config.role]] };
  }
}

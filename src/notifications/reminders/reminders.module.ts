import { DynamicModule, Module, Type } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { QueueModule } from '../../queue/queue.module';
import { NotificationsModule } from '../notifications.module';
import { ReminderJobs } from './reminder-jobs';
import { ReminderProcessor } from './reminder.processor';
import { ReminderPlanningJob } from './reminder-planning.job';
import { ReminderScheduler } from './reminder-scheduler.service';

/** The api side of reminders: follows the event's lifecycle and keeps its delayed jobs in step. */
@Module({
  imports: [QueueModule, EventsModule],
  providers: [ReminderJobs, ReminderScheduler],
})
export class RemindersModule {}

/** The worker side of reminders: runs the due jobs into outbox rows. Loaded by the worker role only. */
@Module({})
export class ReminderWorkerModule {
  /** `registrations`: a module exporting REGISTRATIONS_PORT (who is confirmed, in which language), chosen by AppModule. */
  static with(registrations: Type<unknown>): DynamicModule {
    return {
      module: ReminderWorkerModule,
      imports: [QueueModule, NotificationsModule, EventsModule, registrations],
      providers: [ReminderJobs, ReminderProcessor, ReminderPlanningJob],
    };
  }
}

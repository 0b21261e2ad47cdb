import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DueEventsReader } from '../../events/due-events.reader';
import { PeriodicJob } from '../../queue/periodic-job';
import { REMINDER_PLANNING_QUEUE } from '../../queue/queue.constants';
import { ReminderJobs } from './reminder-jobs';

const EVERY_MS = 5 * 60_000;

/**
 * Plans the reminder jobs of every published event still ahead again, at start and every few
 * minutes: a job lost with Redis, or one the api could not add because the queue was down when
 * the event changed, comes back. Adding a job that exists is a no-op (same job id).
 */
@Processor(REMINDER_PLANNING_QUEUE)
export class ReminderPlanningJob extends PeriodicJob {
  constructor(
    @InjectQueue(REMINDER_PLANNING_QUEUE) queue: Queue,
    private readonly events: DueEventsReader,
    private readonly jobs: ReminderJobs,
  ) {
    super(queue, 'plan-reminders', EVERY_MS);
  }

  protected async runOnce(): Promise<string> {
    let planned = 0;
    for (const event of await this.events.upcomingWithReminders()) planned += await this.jobs.schedule(event);
    return planned > 0 ? `reminder planning added ${planned} reminder jobs` : '';
  }
}

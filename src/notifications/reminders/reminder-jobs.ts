import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { REMIND_JOB, RemindJob, REMINDER_QUEUE } from '../../queue/queue.constants';
import { Clock } from '../../common/clock';

/** What planning reminders needs of an event. */
export interface ReminderPlanEvent {
  id: string;
  status: string;
  startsAt: Date;
  reminderOffsetsMinutes: number[];
}

export interface PlannedReminder {
  jobId: string;
  data: RemindJob;
  /** When the reminder is due (epoch ms). */
  dueAt: number;
}

/** BullMQ job ids must not contain ':'; the start instant in the id makes a moved event's jobs new ones. */
export function reminderJobId(eventId: string, offsetMinutes: number, startsAtEpoch: number): string {
  return `reminder-${eventId}-${offsetMinutes}-${startsAtEpoch}`;
}

/** Every reminder of the event at its current start, due or not. */
export function remindersOf(event: Pick<ReminderPlanEvent, 'id' | 'startsAt' | 'reminderOffsetsMinutes'>): PlannedReminder[] {
  const startsAtEpoch = new Date(event.startsAt).getTime();
  return (event.reminderOffsetsMinutes ?? []).map((offsetMinutes) => ({
    jobId: reminderJobId(event.id, offsetMinutes, startsAtEpoch),
    data: { eventId: event.id, offsetMinutes, startsAtEpoch },
    dueAt: startsAtEpoch - offsetMinutes * 60_000,
  }));
}

/**
 * The delayed jobs behind reminders: one per (event, offset, start instant), due at
 * start − offset. A job holds no recipients; when it runs it re-reads the event and writes the
 * reminder mails for whoever is confirmed then (see ReminderProcessor).
 */
@Injectable()
export class ReminderJobs {
  constructor(
    @InjectQueue(REMINDER_QUEUE) private readonly queue: Queue<RemindJob>,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds the job of each reminder of a published event still ahead; one already in the queue
   * under the same id is left as it is, so this may run any number of times. A reminder whose
   * time has passed is never planned.
   */
  async schedule(event: ReminderPlanEvent, now = this.clock.nowMs()): Promise<number> {
    if (event.status !== 'published') return 0;
    const ahead = remindersOf(event).filter((reminder) => reminder.dueAt > now);
    if (ahead.length === 0) return 0;
    await this.queue.addBulk(
      ahead.map((reminder) => ({
        name: REMIND_JOB,
        data: reminder.data,
        opts: {
          jobId: reminder.jobId,
          delay: reminder.dueAt - now,
          attempts: 5,
          backoff: { type: 'exponential', delay: 5000 },
          // Gone once done, so an event moved back to an earlier start gets its job again;
          // the outbox dedupe key, not the job, is what keeps a reminder from going out twice.
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    return ahead.length;
  }

  /** Removes the jobs of the event's reminders at its given start, except those in `keep`. */
  async unschedule(event: Pick<ReminderPlanEvent, 'id' | 'startsAt' | 'reminderOffsetsMinutes'>, keep: ReadonlySet<string> = new Set()): Promise<void> {
    for (const reminder of remindersOf(event)) {
      if (keep.has(reminder.jobId)) continue;
      // A job running right now cannot be removed; it finds the event changed and does nothing.
      await this.queue.remove(reminder.jobId).catch(() => 0);
    }
  }

  /** Replaces the jobs planned for `previous` by those for `current` (a new start or new offsets). */
  async reschedule(previous: ReminderPlanEvent, current: ReminderPlanEvent): Promise<void> {
    const keep = new Set(current.status === 'published' ? remindersOf(current).map((reminder) => reminder.jobId) : []);
    await this.unschedule(previous, keep);
    await this.schedule(current);
  }
}

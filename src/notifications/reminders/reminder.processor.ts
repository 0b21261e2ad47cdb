import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { REMIND_JOB, RemindJob, REMINDER_QUEUE } from '../../queue/queue.constants';
import { EventsService } from '../../events/events.service';
import { OutboxService } from '../outbox/outbox.service';
import { REGISTRATIONS_PORT, RegistrationsPort } from '../registrations.port';
import { Clock } from '../../common/clock';

/**
 * Runs a due reminder job: re-reads the event and writes one `reminder` outbox row per confirmed
 * registrant, unless the reminder no longer applies — the event was cancelled, moved (its start
 * is no longer the one in the job; the new start has its own job), the offset was removed, a
 * later reminder is already due, or the event has started. The dedupe key
 * `reminder:<registration>:<offset>:<start>` keeps anyone from getting one reminder twice.
 */
@Processor(REMINDER_QUEUE)
export class ReminderProcessor extends WorkerHost {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly events: EventsService,
    @Inject(REGISTRATIONS_PORT) private readonly registrations: RegistrationsPort,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job<RemindJob>): Promise<string> {
    if (job.name !== REMIND_JOB) throw new UnrecoverableError(`no handler for job ${job.name} on ${REMINDER_QUEUE}`);
    const { eventId, offsetMinutes, startsAtEpoch } = job.data;
    return this.dataSource.transaction(async (manager) => {
      // A share lock: waits for a change of the event in flight and reads what it committed.
      const event = await this.events.lockForShare(manager, eventId);
      if (!event) return 'skipped: event gone';
      if (event.status !== 'published') return `skipped: event ${event.status}`;
      const startsAt = new Date(event.startsAt).getTime();
      if (startsAt !== startsAtEpoch) return 'skipped: event moved';
      const offsets = event.reminderOffsetsMinutes ?? [];
      if (!offsets.includes(offsetMinutes)) return 'skipped: reminder removed';
      const now = this.clock.nowMs();
      if (now >= startsAt) return 'skipped: event started';
      // A job that ran late (workers down) gives way to a closer reminder already due: one mail, not two.
      if (offsets.some((other) => other < offsetMinutes && now >= startsAt - other * 60_000)) return 'skipped: a later reminder is due';

      const registrants = await this.registrations.registrantsOf(manager, eventId, ['confirmed']);
      const queued = await this.outbox.queue(
        manager,
        registrants.map((registrant) => ({
          kind: 'reminder' as const,
          dedupeKey: `reminder:${registrant.id}:${offsetMinutes}:${startsAtEpoch}`,
          eventId,
          registrationId: registrant.id,
          memberId: registrant.memberId,
          recipient: registrant.email,
          recipientName: registrant.name,
          locale: registrant.locale,
          payload: { offsetMinutes, startsAt: new Date(startsAtEpoch).toISOString() },
        })),
      );
      return `queued ${queued} reminders`;
    });
  }
}
